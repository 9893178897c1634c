/** The Promise bridge: what plain Node code sees when a call fails, when the session is closed, and while it closes. */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Config, Context, Deferred, Effect, Layer, Ref, Stream } from "effect"
import { ConfigurationError, NotFoundError, SessionClosedError } from "../../src/core/Errors.js"
import { open, toPromise } from "../../src/core/Facade.js"
import { rejection } from "../support/Rejection.js"

class Probe extends Context.Tag("test/Probe")<Probe, { readonly started: Deferred.Deferred<void> }>() {}

const probe = Layer.effect(Probe, Effect.map(Deferred.make<void>(), (started) => ({ started })))

describe("Facade", () => {
  it("rejects with the typed error itself", async () => {
    const facade = await open(probe, "test")
    const missing = new NotFoundError({ api: "test", method: "GET", url: "http://x/a", message: "no a" })
    expect(await rejection(facade.run(Effect.fail(missing)))).toBe(missing)
    await facade.close()
  })

  it("rejects with an Error whatever the failure: a string, a defect, Effect's ConfigError", async () => {
    const facade = await open(probe, "test")
    const text = await rejection(facade.run(Effect.fail("plain text")))
    expect(text).toBeInstanceOf(Cause.UnknownException)
    expect(text).toMatchObject({ _tag: "UnknownException", error: "plain text", message: "test: plain text" })
    const died = await rejection(facade.run(Effect.die(42)))
    expect(died).toBeInstanceOf(Error)
    const config = await rejection(facade.run(Config.string("NOT_SET_ANYWHERE_1234")))
    expect(config).toBeInstanceOf(ConfigurationError)
    expect(config).toMatchObject({ api: "test", settings: ["NOT_SET_ANYWHERE_1234"] })
    await facade.close()
  })

  it("after close, every call and every iteration rejects with a SessionClosedError, an Error", async () => {
    const facade = await open(probe, "test")
    await facade.close()
    await facade.close()
    const closed = await rejection(facade.run(Effect.succeed(1)))
    expect(closed).toBeInstanceOf(SessionClosedError)
    expect(closed).toBeInstanceOf(Error)
    expect(closed).toMatchObject({ _tag: "SessionClosedError", api: "test" })
    expect(String(closed)).toContain("the test session is closed")
    const iterated = await rejection((async () => {
      for await (const _ of facade.iterate(Stream.make(1, 2))) return
    })())
    expect(iterated).toBeInstanceOf(SessionClosedError)
  })

  it("a call still running when the session closes rejects with a SessionClosedError", async () => {
    const facade = await open(probe, "test")
    const { started } = await facade.run(Probe)
    const running = rejection(facade.run(Effect.zipRight(Deferred.succeed(started, undefined), Effect.never)))
    await facade.run(Deferred.await(started))
    await facade.close()
    expect(await running).toBeInstanceOf(SessionClosedError)
  })

  it("an iteration cut off by close rejects with a SessionClosedError and releases its stream", async () => {
    const facade = await open(probe, "test")
    let released = false
    const stream = Stream.concat(
      Stream.make(1),
      Stream.fromEffect(Effect.never)
    ).pipe(Stream.ensuring(Effect.sync(() => {
      released = true
    })))
    const seen: Array<number> = []
    const iterating = rejection((async () => {
      for await (const n of facade.iterate(stream)) {
        seen.push(n)
        void facade.close()
      }
    })())
    expect(await iterating).toBeInstanceOf(SessionClosedError)
    expect(seen).toEqual([1])
    expect(released).toBe(true)
  })

  it("a layer that fails to build rejects open() with its error, as an Error", async () => {
    const failing = Layer.fail(ConfigurationError.of("test", [{ setting: "A", message: "A is not set" }, { setting: "B", message: "B is not set" }]))
    const error = await rejection(open(failing, "test"))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(String(error)).toContain("test configuration: A is not set; B is not set")
  })

  it("toPromise runs a session-less effect and rejects with an Error", async () => {
    expect(await toPromise("test", Effect.succeed(3))).toBe(3)
    expect(await rejection(toPromise("test", Effect.fail({ reason: "x" })))).toBeInstanceOf(Error)
  })
})

describe("Facade cancellation", () => {
  /** An effect that says when it started and whether it was interrupted, and never ends. */
  const hang = (started: Deferred.Deferred<void>, interrupted: Ref.Ref<boolean>) =>
    Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(Effect.onInterrupt(() => Ref.set(interrupted, true)))

  it("a call of a view interrupted by its signal rejects with the signal's reason; other calls of the session go on", async () => {
    const facade = await open(probe, "test")
    const started = await facade.run(Deferred.make<void>())
    const interrupted = await facade.run(Ref.make(false))
    const controller = new AbortController()
    const view = facade.withSignal(controller.signal)
    const cut = rejection(view.run(hang(started, interrupted)))
    const other = facade.run(Effect.zipRight(Deferred.await(started), Effect.succeed("still here")))
    await facade.run(Deferred.await(started))
    controller.abort()
    expect(await cut).toBe(controller.signal.reason)
    expect(await cut).toBeInstanceOf(Error)
    expect(await facade.run(Ref.get(interrupted))).toBe(true)
    expect(await other).toBe("still here")
    expect(await view.run(Effect.succeed(1)).catch((e: unknown) => e)).toBe(controller.signal.reason)
    expect(await facade.run(Effect.succeed(2))).toBe(2)
    await facade.close()
  })

  it("a signal already aborted rejects at once and runs nothing; a reason that is not an Error is wrapped", async () => {
    const facade = await open(probe, "test")
    const ran = await facade.run(Ref.make(false))
    const reason = new Error("gave up")
    expect(await rejection(facade.run(Ref.set(ran, true), { signal: AbortSignal.abort(reason) }))).toBe(reason)
    expect(await rejection(facade.withSignal(AbortSignal.abort(reason)).lift(() => Ref.set(ran, true))())).toBe(reason)
    expect(await facade.run(Ref.get(ran))).toBe(false)
    const text = await rejection(facade.run(Effect.void, { signal: AbortSignal.abort("stop") }))
    expect(text).toBeInstanceOf(Cause.UnknownException)
    expect(text).toMatchObject({ error: "stop" })
    await facade.close()
  })

  it("a view's signal and a call's signal both interrupt; views of views keep their parent's signal", async () => {
    const facade = await open(probe, "test")
    const outer = new AbortController()
    const inner = new AbortController()
    const view = facade.withSignal(outer.signal).withSignal(inner.signal)
    const started = await facade.run(Deferred.make<void>())
    const interrupted = await facade.run(Ref.make(false))
    const cut = rejection(view.run(hang(started, interrupted)))
    await facade.run(Deferred.await(started))
    outer.abort(new Error("outer"))
    expect(await cut).toMatchObject({ message: "outer" })
    const call = new AbortController()
    const byCall = rejection(facade.withSignal(inner.signal).run(Effect.never, { signal: call.signal }))
    call.abort(new Error("call"))
    expect(await byCall).toMatchObject({ message: "call" })
    await facade.close()
  })

  it("an iteration stops on abort: the page being fetched is interrupted, the loop rejects with the reason, the stream is released", async () => {
    const facade = await open(probe, "test")
    let released = 0
    const stream = Stream.concat(Stream.make(1, 2, 3), Stream.fromEffect(Effect.never)).pipe(
      Stream.rechunk(1),
      Stream.ensuring(Effect.sync(() => {
        released++
      }))
    )
    // Aborted while the loop body runs: no further item.
    const between = new AbortController()
    const seen: Array<number> = []
    const first = await rejection((async () => {
      for await (const n of facade.withSignal(between.signal).iterate(stream)) {
        seen.push(n)
        if (n === 2) between.abort()
      }
    })())
    expect(first).toBe(between.signal.reason)
    expect(seen).toEqual([1, 2])
    expect(released).toBe(1)
    // Aborted while a page is being fetched (the stream never answers): the fetch is interrupted.
    const waiting = new AbortController()
    const pending = rejection((async () => {
      for await (const n of facade.withSignal(waiting.signal).iterate(stream)) {
        if (n === 3) setTimeout(() => waiting.abort(), 0)
      }
    })())
    expect(await pending).toBe(waiting.signal.reason)
    expect(released).toBe(2)
    await facade.close()
  })

  it("closing a view closes the session; close() interrupts the calls of every view with a SessionClosedError", async () => {
    const facade = await open(probe, "test")
    const view = facade.withSignal(new AbortController().signal)
    const { started } = await facade.run(Probe)
    const running = rejection(view.run(Effect.zipRight(Deferred.succeed(started, undefined), Effect.never)))
    await facade.run(Deferred.await(started))
    await view.close()
    expect(facade.closed).toBe(true)
    expect(await running).toBeInstanceOf(SessionClosedError)
    expect(await rejection(facade.run(Effect.void))).toBeInstanceOf(SessionClosedError)
  })
})
