/** The Promise bridge: what plain Node code sees when a call fails, when the session is closed, and while it closes. */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Config, Context, Deferred, Effect, Layer, Stream } from "effect"
import { ConfigurationError, NotFoundError, SessionClosedError } from "../../src/core/Errors.js"
import { open, settle } from "../../src/core/Facade.js"
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

  it("settle runs a session-less effect and rejects with an Error", async () => {
    expect(await settle("test", Effect.succeed(3))).toBe(3)
    expect(await rejection(settle("test", Effect.fail({ reason: "x" })))).toBeInstanceOf(Error)
  })
})
