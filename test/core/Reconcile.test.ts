/**
 * A create sent once: re-sent only after a failure proving nothing was done, looked for by its marker after an
 * ambiguous one (at once, then every interval over the window, on the Effect clock), never sent twice.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Ref, TestClock } from "effect"
import { type ApiError, ServerError, TransportError } from "../../src/core/Errors.js"
import * as Reconcile from "../../src/core/Reconcile.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"

const where = { api: "t", method: "POST", url: "http://t/things" }
const refused = new TransportError({ ...where, message: "refused", code: "ECONNREFUSED" })
const reset = new TransportError({ ...where, message: "reset", code: "ECONNRESET" })
const unavailable = new ServerError({ ...where, status: 502, message: "bad gateway" })
const retry = RetryPolicy.make({ attempts: 3, baseDelay: "1 second", factor: 1, jitter: 0 })

/** A create failing with `failures` in turn, then answering `made`; a lookup that finds it from lookup `foundAt`. */
const scripted = (failures: ReadonlyArray<ApiError>, foundAt = Infinity) =>
  Effect.gen(function*() {
    const sends = yield* Ref.make(0)
    const lookups = yield* Ref.make(0)
    const send = Effect.flatMap(Ref.getAndUpdate(sends, (n) => n + 1), (n) => {
      const failure = failures[n]
      return failure === undefined ? Effect.succeed("made") : Effect.fail(failure)
    })
    const find = Effect.map(Ref.updateAndGet(lookups, (n) => n + 1), (n) => (n >= foundAt ? Option.some("found") : Option.none()))
    const create = Reconcile.createOnce({ service: "Thing", what: "thing", marker: "m-1", markedAs: "tag m-1", send, find, retry, reconcile: { interval: "5 seconds", window: "20 seconds" } })
    return { create, sends: Ref.get(sends), lookups: Ref.get(lookups) }
  })

describe("Reconcile.createOnce", () => {
  it.effect("re-sends after a failure proving nothing was sent, under the retry policy", () =>
    Effect.gen(function*() {
      const { create, sends, lookups } = yield* scripted([refused, refused])
      const fiber = yield* Effect.fork(create)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toBe("made")
      expect(yield* sends).toBe(3)
      expect(yield* lookups).toBe(0)
    }))

  it.effect("after an ambiguous failure looks for the marker instead of sending again, and answers what it finds", () =>
    Effect.gen(function*() {
      const { create, sends, lookups } = yield* scripted([reset], 3)
      const fiber = yield* Effect.fork(create)
      yield* TestClock.adjust("9 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("found")
      expect(yield* sends).toBe(1)
      expect(yield* lookups).toBe(3)
    }))

  it.effect("fails with OutcomeUnknownError carrying the marker once the window has passed", () =>
    Effect.gen(function*() {
      const { create, sends, lookups } = yield* scripted([unavailable])
      const fiber = yield* Effect.fork(Effect.flip(create))
      yield* TestClock.adjust("20 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "OutcomeUnknownError", marker: "m-1", after: "ServerError", status: 502 })
      expect(error.message).toContain("it is unknown whether Thing made the thing")
      expect(error.message).toContain("no thing carrying tag m-1 appeared within 20s")
      expect(yield* sends).toBe(1)
      expect(yield* lookups).toBe(5)
    }))
})
