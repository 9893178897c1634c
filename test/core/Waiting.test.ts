import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Fiber, Ref, Schedule, Stream, TestClock } from "effect"
import * as Waiting from "../../src/core/Waiting.js"

/** An operation that reports `running` until `doneAt` ms, recording the virtual time of every poll. */
const operation = (doneAt: number) =>
  Effect.gen(function*() {
    const polls = yield* Ref.make<ReadonlyArray<number>>([])
    const poll = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      yield* Ref.update(polls, (list) => [...list, now])
      return now >= doneAt ? "done" : "running"
    })
    return { poll, polls: Ref.get(polls) }
  })

describe("Waiting", () => {
  it.effect("polls at once and then on the schedule, ending on the terminal state", () =>
    Effect.gen(function*() {
      const op = yield* operation(2500)
      const fiber = yield* Effect.fork(Waiting.until({ subject: "op", poll: op.poll, isTerminal: (s) => s === "done", schedule: Schedule.spaced("1 second") }))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("done")
      expect(yield* op.polls).toEqual([0, 1000, 2000, 3000])
    }))

  it.effect("streams every state observed, the terminal one last", () =>
    Effect.gen(function*() {
      const op = yield* operation(2000)
      const fiber = yield* Effect.fork(Stream.runCollect(Waiting.observe({ subject: "op", poll: op.poll, isTerminal: (s) => s === "done" })))
      yield* TestClock.adjust("5 seconds")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(fiber))).toEqual(["running", "running", "done"])
    }))

  it.effect("fails with WaitTimeoutError at the deadline, naming the last state", () =>
    Effect.gen(function*() {
      const op = yield* operation(60_000)
      const fiber = yield* Effect.fork(Effect.flip(Waiting.until({
        subject: "task 42",
        poll: op.poll,
        isTerminal: (s) => s === "done",
        timeout: "3500 millis",
        describe: (s) => `still ${s}`
      })))
      yield* TestClock.adjust("3499 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("WaitTimeoutError")
      expect(error.message).toBe("task 42 did not finish within 3.5s (last seen: still running)")
      expect(yield* op.polls).toEqual([0, 1000, 2000, 3000])
    }))

  it.effect("calls onProgress with each state", () =>
    Effect.gen(function*() {
      const op = yield* operation(1000)
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const fiber = yield* Effect.fork(Waiting.until({
        subject: "op",
        poll: op.poll,
        isTerminal: (s) => s === "done",
        onProgress: (s) => Ref.update(seen, (l) => [...l, s])
      }))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(seen)).toEqual(["running", "done"])
    }))
})
