import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Ref } from "effect"
import * as Store from "../../../src/core/testing/Store.js"

describe("Store", () => {
  it.effect("transact stores the new state on Right and leaves it untouched on Left", () =>
    Effect.gen(function*() {
      const store = yield* Store.make({ count: 1 })
      const value = yield* store.transact((s) => Either.right([s.count * 10, { count: s.count + 1 }] as const))
      expect(value).toBe(10)
      const refused = yield* Effect.flip(store.transact((): Either.Either<readonly [number, { count: number }], string> => Either.left("no")))
      expect(refused).toBe("no")
      expect(yield* Ref.get(store.ref)).toEqual({ count: 2 })
    }))

  it.effect("concurrent steps are atomic: none is lost", () =>
    Effect.gen(function*() {
      const store = yield* Store.make({ count: 0 })
      yield* Effect.forEach(Array.from({ length: 100 }, (_, i) => i), () =>
        store.transact((s) => Either.right([undefined, { count: s.count + 1 }] as const)), { concurrency: "unbounded" })
      expect(yield* store.view((s) => s.count)).toBe(100)
    }))

  it.effect("views and updates see the state settled at the current time", () =>
    Effect.gen(function*() {
      const store = yield* Store.make({ settledAt: -1, n: 0 }, (now) => (s) => ({ ...s, settledAt: now }))
      yield* store.update((s) => ({ ...s, n: s.n + 1 }))
      expect(yield* store.view((s) => s)).toEqual({ settledAt: 0, n: 1 })
    }))
})
