/** The Promise client derived from a service's shape: groups, listings, handles, plain results, and the session's controls. */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Context, Data, Deferred, Effect, Layer, Ref, Stream } from "effect"
import { SessionClosedError } from "../../src/core/Errors.js"
import { client, open } from "../../src/core/Facade.js"
import * as Handle from "../../src/core/Handle.js"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import { rejection } from "../support/Rejection.js"

class Missing extends Data.TaggedError("Missing")<{ readonly id: string }> {}

/** A job the server queued: its id, its first state, and how to follow it. */
interface Job extends Handle.Handle {
  readonly id: string
  readonly state: { readonly step: number }
  readonly refresh: Effect.Effect<number>
  readonly steps: (until: number) => Stream.Stream<number>
  readonly wait: (options?: { readonly onStep?: (step: number) => void }) => Effect.Effect<string>
}

/** A creation: the ids made, and the job making them. */
interface Created extends Handle.Handle {
  readonly ids: ReadonlyArray<string>
  readonly job: Job
}

interface Page {
  readonly items: ReadonlyArray<{ readonly id: string }>
  /** Not a handle: its effect stays an effect. */
  readonly more: Effect.Effect<number>
}

interface Store {
  readonly config: { readonly url: string }
  readonly version: Effect.Effect<string>
  readonly close: Effect.Effect<string>
  readonly items: {
    readonly list: () => Effect.Effect<Page>
    readonly listAll: (prefix: string) => Stream.Stream<string>
    readonly get: (id: string) => Effect.Effect<string, Missing>
    readonly create: (count: number) => Effect.Effect<Created>
    readonly act: (id: string) => Effect.Effect<Job | { readonly _tag: "Done" }>
    readonly broken: () => Effect.Effect<string>
    readonly hang: (started: Deferred.Deferred<void>) => Effect.Effect<string>
    readonly stock: { readonly count: (id: string) => Effect.Effect<number> }
  }
}

class StoreClient extends Context.Tag("test/StoreClient")<StoreClient, Store>() {}

const page: Page = { items: [{ id: "a" }, { id: "b" }], more: Effect.succeed(1) }

const job = (id: string): Job => ({
  [Handle.HandleTypeId]: Handle.HandleTypeId,
  id,
  state: { step: 0 },
  refresh: Effect.succeed(1),
  steps: (until) => Stream.range(1, until),
  wait: (options = {}) =>
    Effect.as(Effect.forEach([1, 2, 3], (step) => Effect.sync(() => options.onStep?.(step)), { discard: true }), `${id} done`)
})

const store: Store = {
  config: { url: "http://store.test" },
  version: Effect.succeed("1.2"),
  close: Effect.succeed("a member named as a control"),
  items: {
    list: () => Effect.succeed(page),
    listAll: (prefix) => Stream.make(`${prefix}1`, `${prefix}2`, `${prefix}3`),
    get: (id) => (id === "a" ? Effect.succeed("item a") : Effect.fail(new Missing({ id }))),
    create: (count) => Effect.succeed(Handle.make({ ids: Array.from({ length: count }, (_, i) => `n${i}`), job: job("j1") })),
    act: (id) => Effect.succeed(id === "queued" ? job("j2") : { _tag: "Done" }),
    broken: () => {
      throw new Error("built wrong")
    },
    hang: (started) => Effect.zipRight(Deferred.succeed(started, undefined), Effect.never),
    stock: { count: (id) => Effect.succeed(id.length) }
  }
}

const connect = async () => {
  const facade = await open(Layer.merge(Layer.succeed(StoreClient, store), ResponseCache.layerNone), "store")
  return client(facade, await facade.run(StoreClient), { omit: ["config"] })
}

describe("Facade.client", () => {
  it("lifts effects, functions, listings and nested groups; a typed failure rejects as itself", async () => {
    await using s = await connect()
    expect(await s.version()).toBe("1.2")
    expect(await s.items.get("a")).toBe("item a")
    expect(await rejection(s.items.get("z"))).toEqual(new Missing({ id: "z" }))
    expect(await s.items.stock.count("abc")).toBe(3)
    const all: Array<string> = []
    for await (const item of s.items.listAll("x")) all.push(item)
    expect(all).toEqual(["x1", "x2", "x3"])
    expectTypeOf(s.version).toEqualTypeOf<() => Promise<string>>()
    expectTypeOf(s.items.get).toEqualTypeOf<(id: string) => Promise<string>>()
    expectTypeOf(s.items.listAll).toEqualTypeOf<(prefix: string) => AsyncIterable<string>>()
  })

  it("hands ordinary results out as they are: not walked, not copied", async () => {
    await using s = await connect()
    const got = await s.items.list()
    expect(got).toBe(page)
    expect(Effect.isEffect(got.more)).toBe(true)
    expectTypeOf(got).toEqualTypeOf<Page>()
  })

  it("lifts handles, nested ones included, and keeps their data; a result that may be a handle is lifted when it is one", async () => {
    await using s = await connect()
    const created = await s.items.create(2)
    expect(created.ids).toEqual(["n0", "n1"])
    expect(created.job.id).toBe("j1")
    expect(created.job.state).toEqual({ step: 0 })
    expect(await created.job.refresh()).toBe(1)
    const steps: Array<number> = []
    for await (const step of created.job.steps(3)) steps.push(step)
    expect(steps).toEqual([1, 2, 3])
    const seen: Array<number> = []
    expect(await created.job.wait({ onStep: (step) => seen.push(step) })).toBe("j1 done")
    expect(seen).toEqual([1, 2, 3])
    const queued = await s.items.act("queued")
    const done = await s.items.act("now")
    expect(done).toEqual({ _tag: "Done" })
    expect("id" in queued && (await queued.wait())).toBe("j2 done")
    expectTypeOf(created.job.refresh).toEqualTypeOf<() => Promise<number>>()
    expectTypeOf(created.ids).toEqualTypeOf<ReadonlyArray<string>>()
  })

  it("keeps omitted members and members named as controls behind `service`", async () => {
    const s = await connect()
    expect("config" in s).toBe(false)
    expect(s.service).toBe(store)
    expect(await s.run(Effect.flatMap(StoreClient, (service) => service.close))).toBe("a member named as a control")
    expect(await s.forEach(["a", "bb"], (id) => s.service.items.stock.count(id), { concurrency: 2 })).toEqual([1, 2])
    expect(await s.cacheStats()).toMatchObject({ hits: 0, misses: 0 })
    expect(s.closed).toBe(false)
    await s.close()
    expect(s.closed).toBe(true)
    expect(await rejection(s.version())).toBeInstanceOf(SessionClosedError)
  })

  it("takes the prototype given (an API's class), its withSignal views too", async () => {
    class Store {}
    const facade = await open(Layer.merge(Layer.succeed(StoreClient, store), ResponseCache.layerNone), "store")
    await using s = client(facade, store, { prototype: Store.prototype })
    expect(s).toBeInstanceOf(Store)
    expect(s.withSignal(new AbortController().signal)).toBeInstanceOf(Store)
    expect(await s.items.get("a")).toBe("item a")
    expect(s.closed).toBe(false)
  })

  it("a function that throws instead of answering an effect rejects with what it threw", async () => {
    await using s = await connect()
    expect(await rejection(s.items.broken())).toMatchObject({ message: "built wrong" })
  })

  it("withSignal: the view's calls and the handles it hands out are interrupted by its signal; the session goes on", async () => {
    await using s = await connect()
    const controller = new AbortController()
    const view = s.withSignal(controller.signal)
    expect(view.signal).toBe(controller.signal)
    const created = await view.items.create(1)
    const started = await Effect.runPromise(Deferred.make<void>())
    const hanging = view.items.hang(started)
    await Effect.runPromise(Deferred.await(started))
    const reason = new Error("enough")
    controller.abort(reason)
    expect(await rejection(hanging)).toBe(reason)
    expect(await rejection(created.job.refresh())).toBe(reason)
    expect(await s.items.get("a")).toBe("item a")
    expect(await s.withSignal(new AbortController().signal).items.stock.count("ab")).toBe(2)
  })

  it("counts the calls it runs among the session's, so close() interrupts them", async () => {
    const s = await connect()
    const started = await Effect.runPromise(Deferred.make<void>())
    const hanging = s.items.hang(started)
    await Effect.runPromise(Deferred.await(started))
    await s[Symbol.asyncDispose]()
    expect(await rejection(hanging)).toBeInstanceOf(SessionClosedError)
    const ran = await Effect.runPromise(Ref.make(false))
    expect(await rejection(s.run(Ref.set(ran, true)))).toBeInstanceOf(SessionClosedError)
    expect(await Effect.runPromise(Ref.get(ran))).toBe(false)
  })
})
