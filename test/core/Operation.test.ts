import { describe, expect, it } from "@effect/vitest"
import { Chunk, Data, Effect, Fiber, Ref, Schedule, Stream, TestClock } from "effect"
import * as Operation from "../../src/core/Operation.js"

class Failed extends Data.TaggedError("Failed")<{ readonly state: string }> {}

/** An operation whose polls answer `states` in turn (the last one repeats), counting the polls and the final runs. */
const scripted = (states: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const polls = yield* Ref.make(0)
    const finals = yield* Ref.make<ReadonlyArray<string>>([])
    const operation = Operation.make<string, never, never, Failed>({
      subject: "job 1",
      poll: Effect.map(Ref.getAndUpdate(polls, (n) => n + 1), (n) => states[Math.min(n, states.length - 1)] ?? ""),
      isFinal: (s) => s === "done" || s === "failed",
      failure: (s) => (s === "failed" ? new Failed({ state: s }) : undefined),
      schedule: Schedule.spaced("1 second"),
      onFinal: (s) => Ref.update(finals, (l) => [...l, s])
    })
    return { operation, polls: Ref.get(polls), finals: Ref.get(finals) }
  })

describe("Operation", () => {
  it.effect("waits on the schedule for the final state, showing each state, and runs onFinal once", () =>
    Effect.gen(function*() {
      const { operation, polls, finals } = yield* scripted(["queued", "running", "done"])
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const fiber = yield* Effect.fork(operation.wait({ onProgress: (s) => Ref.update(seen, (l) => [...l, s]) }))
      yield* TestClock.adjust("1999 millis")
      expect(yield* polls).toBe(2)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("done")
      expect(yield* Ref.get(seen)).toEqual(["queued", "running", "done"])
      expect(yield* finals).toEqual(["done"])
    }))

  it.effect("waitForSuccess fails with the operation's error on a failed final state; wait answers it", () =>
    Effect.gen(function*() {
      const { operation } = yield* scripted(["failed"])
      expect(yield* Effect.flip(operation.waitForSuccess())).toEqual(new Failed({ state: "failed" }))
      expect(yield* operation.wait()).toBe("failed")
    }))

  it.effect("progress streams every state; a deadline fails with the last state seen", () =>
    Effect.gen(function*() {
      const done = yield* scripted(["a", "done"])
      const states = yield* Effect.fork(Stream.runCollect(done.operation.progress()))
      yield* TestClock.adjust("1 second")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(states))).toEqual(["a", "done"])
      expect(yield* done.finals).toEqual(["done"])

      const stuck = yield* scripted(["running"])
      const fiber = yield* Effect.fork(Effect.flip(stuck.operation.wait({ timeout: "3 seconds" })))
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "WaitTimeoutError", subject: "job 1", timeoutMillis: 3000, lastState: "running" })
      expect(yield* stuck.finals).toEqual([])
    }))
})
