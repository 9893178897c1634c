import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, TestClock } from "effect"
import * as Store from "../../../src/core/testing/Store.js"
import * as Transitions from "../../../src/core/testing/Transitions.js"

interface Machine {
  readonly id: string
  readonly status: "BUILD" | "ACTIVE"
  readonly pending: Transitions.Pending<"build" | "delete"> | null
}

const complete = (machine: Machine): Machine | null =>
  machine.pending?.kind === "delete" ? null : { ...machine, status: "ACTIVE", pending: null }

const settle = (now: number) => (machines: ReadonlyArray<Machine>) => Transitions.settle(machines, now, complete)

describe("Transitions", () => {
  it.effect("a resource goes BUILD → ACTIVE exactly when its delay has passed on the TestClock", () =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const store = yield* Store.make<ReadonlyArray<Machine>>(
        [{ id: "m-1", status: "BUILD", pending: Transitions.after("build", now, "2 seconds") }],
        settle
      )
      yield* TestClock.adjust("1999 millis")
      expect((yield* store.settled).map((m) => m.status)).toEqual(["BUILD"])
      yield* TestClock.adjust("1 millis")
      expect(yield* store.settled).toEqual([{ id: "m-1", status: "ACTIVE", pending: null }])
    }))

  it("a completed transition may remove the record; nothing due keeps the same array", () => {
    const machines: ReadonlyArray<Machine> = [
      { id: "a", status: "ACTIVE", pending: { kind: "delete", at: 10 } },
      { id: "b", status: "BUILD", pending: { kind: "build", at: 20 } }
    ]
    expect(Transitions.settle(machines, 9, complete)).toBe(machines)
    expect(Transitions.settle(machines, 10, complete).map((m) => m.id)).toEqual(["b"])
    expect(Transitions.isDue(null, 1e12)).toBe(false)
    expect(Transitions.after("build", 5, "1 second")).toEqual({ kind: "build", at: 1005 })
    expect(Transitions.millis("1 minute")).toBe(60_000)
  })
})
