import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Context, Data, Effect, Exit, Option, Stream } from "effect"
import * as Mock from "../../../src/core/testing/Mock.js"

class OutOfStock extends Data.TaggedError("OutOfStock")<{ readonly item: string }> {}

/** A service of the shape clients have: an effect, groups of operations, a nested group, a listing. */
interface Shop {
  readonly version: Effect.Effect<string>
  readonly items: {
    readonly get: (id: string) => Effect.Effect<string, OutOfStock>
    readonly listAll: (prefix?: string) => Stream.Stream<string>
    readonly stock: { readonly count: Effect.Effect<number> }
  }
  readonly orders: { readonly place: (item: string) => Effect.Effect<string, OutOfStock> }
}

class ShopClient extends Context.Tag("test/ShopClient")<ShopClient, Shop>() {}

/** The message of the defect a failed exit died with. */
const defectOf = <A, E>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) && Cause.isDie(exit.cause)
    ? Option.match(Cause.dieOption(exit.cause), { onNone: () => undefined, onSome: (d) => (d instanceof Error ? d.message : String(d)) })
    : undefined

describe("Mock.mock", () => {
  const layer = Mock.mock(ShopClient, {
    items: { get: (id) => (id === "pen" ? Effect.succeed("a pen") : Effect.fail(new OutOfStock({ item: id }))) }
  })

  it.effect("answers the members given, their typed failures included", () =>
    Effect.gen(function*() {
      const shop = yield* ShopClient
      expect(yield* shop.items.get("pen")).toBe("a pen")
      expect(yield* Effect.flip(shop.items.get("ink"))).toEqual(new OutOfStock({ item: "ink" }))
    }).pipe(Effect.provide(layer)))

  it.effect("a member not given dies naming it, however it is used: yielded, called, streamed, in a nested group", () =>
    Effect.gen(function*() {
      const shop = yield* ShopClient
      expect(defectOf(yield* Effect.exit(shop.version))).toBe("ShopClient mock: version is not mocked")
      expect(defectOf(yield* Effect.exit(shop.orders.place("pen")))).toBe("ShopClient mock: orders.place is not mocked")
      expect(defectOf(yield* Effect.exit(Stream.runCollect(shop.items.listAll())))).toBe("ShopClient mock: items.listAll is not mocked")
      expect(defectOf(yield* Effect.exit(shop.items.stock.count))).toBe("ShopClient mock: items.stock.count is not mocked")
    }).pipe(Effect.provide(layer)))

  it.effect("a nested group given partly keeps its members and names the missing ones by their whole path", () =>
    Effect.gen(function*() {
      const shop = yield* ShopClient
      expect(yield* shop.items.stock.count).toBe(3)
      expect(Chunk.toArray(yield* Stream.runCollect(shop.items.listAll("p")))).toEqual(["pen", "pencil"])
      expect(defectOf(yield* Effect.exit(shop.items.get("pen")))).toBe("ShopClient mock: items.get is not mocked")
    }).pipe(Effect.provide(Mock.mock(ShopClient, {
      items: { stock: { count: Effect.succeed(3) }, listAll: (prefix) => Stream.make(`${prefix}en`, `${prefix}encil`) }
    }))))

  it("a mock can be handed out by a Promise (it is no thenable) and shows no member it does not have", async () => {
    const shop = await Effect.runPromise(Effect.provide(ShopClient, Mock.mock(ShopClient, {})))
    expect("then" in shop).toBe(false)
    expect(Reflect.get(shop.items, "then")).toBeUndefined()
    expect(Object.keys(shop)).toEqual([])
    const exit = await Effect.runPromiseExit(shop.items.get("pen"))
    expect(defectOf(exit)).toBe("ShopClient mock: items.get is not mocked")
  })
})
