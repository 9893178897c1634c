import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Ref } from "effect"
import * as Callback from "../../src/core/Callback.js"

describe("Callback.call", () => {
  it.effect("runs the effect an Effect callback answers", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<ReadonlyArray<number>>([])
      yield* Callback.call((n: number) => Ref.update(seen, (all) => [...all, n]), 7)
      expect(yield* Ref.get(seen)).toEqual([7])
    }))

  it.effect("calls a plain function, ignoring what it answers", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      yield* Callback.call((n: number) => seen.push(n), 3)
      expect(seen).toEqual([3])
    }))

  it.live("awaits a Promise a plain function answers before going on", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      yield* Callback.call(async (s: string) => {
        await new Promise((resolve) => setImmediate(resolve))
        seen.push(s)
      }, "late")
      expect(seen).toEqual(["late"])
    }))

  it.effect("a throw, a rejection or a failure is a defect", () =>
    Effect.gen(function*() {
      const thrown = yield* Effect.exit(Callback.call((_: number) => {
        throw new Error("boom")
      }, 1))
      const rejected = yield* Effect.exit(Callback.call((_: number) => Promise.reject(new Error("no")), 1))
      expect(Exit.isFailure(thrown) && Cause.isDie(thrown.cause)).toBe(true)
      expect(Exit.isFailure(rejected) && Cause.isDie(rejected.cause)).toBe(true)
    }))
})
