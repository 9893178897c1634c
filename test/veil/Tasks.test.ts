/**
 * Task handles through the VeiL client, against the in-process simulator (tasks take 3 s of virtual time by
 * default): polling exactly on the TestClock, every terminal status, failures and deadlines, and how a finished
 * task makes cached reads of what it touched stale.
 */
import { describe, expect, it } from "@effect/vitest"
import { isPowered } from "../../src/veil/Domain.js"
import { Chunk, Clock, Duration, Effect, Fiber, Option, Ref, Stream, TestClock } from "effect"
import { Fault } from "../../src/core/testing/Faults.js"
import { VeilClient } from "../../src/veil/Client.js"
import { SeedIds } from "../../src/veil/testing/Seed.js"
import { VeilSimulator } from "../../src/veil/testing/Simulator.js"
import * as VeilSim from "../support/VeilSim.js"

// Seeded power states: domain 0 ON, 1 OFF, 4 OFF.
const on0 = SeedIds.domain(0)
const off1 = SeedIds.domain(1)
const off4 = SeedIds.domain(4)

/** Virtual times of the polls of one task (`GET tasks/{id}/`). */
const pollTimes = (taskId: string) =>
  Effect.map(VeilSim.requestsTo(`/api/tasks/${taskId}/`), (all) =>
    all.filter((r) => r.method === "GET" && r.path === `/api/tasks/${taskId}/`).map((r) => r.at))

/** Requests to one domain's detail. */
const detailReads = (id: string) =>
  Effect.map(VeilSim.requestsTo(`/api/domains/${id}/`), (all) => all.filter((r) => r.method === "GET" && r.path === `/api/domains/${id}/`))

/** The simulator's record of a domain. */
const domainRecord = (id: string) => Effect.flatMap(VeilSimulator, (s) => s.state.domain(id))

/** Runs `effect` in a fiber while the virtual clock moves on by `by`, then joins it. */
const withClock = <A, E, R>(effect: Effect.Effect<A, E, R>, by: Duration.DurationInput = "10 seconds") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(by)
    return yield* Fiber.join(fiber)
  })

describe("VeiL tasks: polling on the clock", () => {
  it.effect("wait() polls tasks/{id}/ at once and then every second: 0, 1000, 2000, 3000 ms, and stops", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const done = yield* withClock(handle.wait())
      expect(done.status).toBe("SUCCESS")
      expect(done.progress).toBe(100)
      expect(yield* pollTimes(handle.id)).toEqual([0, 1000, 2000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("wait({ interval: 500 millis }) polls every 500 ms until the task ends at 3000", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      yield* withClock(handle.wait({ interval: "500 millis" }))
      expect(yield* pollTimes(handle.id)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a task that lasts 5 s is polled until 5000 (the simulator's duration is what ends the wait)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      yield* withClock(handle.wait({ interval: "2 seconds" }))
      expect(yield* pollTimes(handle.id)).toEqual([0, 2000, 4000, 6000])
    }).pipe(Effect.provide(VeilSim.layer({ simulator: { taskDuration: "5 seconds" } }))))

  it.effect("onProgress sees every state: progress rising 0 → 33 → 66 → 100", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const seen = yield* Ref.make<ReadonlyArray<readonly [string, number]>>([])
      const handle = yield* veil.domains.start(off1)
      yield* withClock(handle.wait({ onProgress: (t) => Ref.update(seen, (all) => [...all, [t.status, t.progress] as const]) }))
      expect(yield* Ref.get(seen)).toEqual([["IN_PROGRESS", 0], ["IN_PROGRESS", 33], ["IN_PROGRESS", 66], ["SUCCESS", 100]])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("progress() emits the IN_PROGRESS states, then the terminal one, then ends", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const states = yield* withClock(Stream.runCollect(handle.progress()))
      expect(Chunk.toReadonlyArray(states).map((t) => t.status)).toEqual(["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"])
      expect(Chunk.toReadonlyArray(states).map((t) => t.finished)).toEqual([false, false, false, true])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a transient 503 on one poll is retried inside that poll; the wait still ends at 3000", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const simulator = yield* VeilSimulator
      const handle = yield* veil.domains.start(off1)
      yield* simulator.faults.inject({ method: "GET", path: `/api/tasks/${handle.id}/`, fault: Fault.status(503), times: 1 })
      const done = yield* withClock(handle.wait())
      expect(done.status).toBe("SUCCESS")
      // 0: 503, 1000: the retry answers, then one poll a second after that answer
      expect(yield* pollTimes(handle.id)).toEqual([0, 1000, 2000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("refresh reads the current state without waiting", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      yield* TestClock.adjust("1500 millis")
      const now = yield* handle.refresh
      expect(now).toMatchObject({ id: handle.id, status: "IN_PROGRESS", progress: 50 })
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL tasks: every terminal status ends the wait", () => {
  it.effect("SUCCESS", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const done = yield* withClock(handle.wait())
      expect(done).toMatchObject({ status: "SUCCESS", succeeded: true, failed: false })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("FAILED (control.failNextTask) carries the server's error_message", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      yield* sim.control.failNextTask({ errorMessage: "Not enough free memory on the node." })
      const handle = yield* veil.domains.start(off1)
      const done = yield* withClock(handle.wait())
      expect(done).toMatchObject({ status: "FAILED", error_message: "Not enough free memory on the node.", failed: true })
      expect(yield* pollTimes(handle.id)).toEqual([0, 1000, 2000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("PARTIAL: a multitask where one sub-task failed", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      yield* sim.control.failNextTask({ status: "PARTIAL" })
      const handle = yield* veil.domains.multiManager("start", [off1, off4])
      const done = yield* withClock(handle.wait())
      expect(done).toMatchObject({ status: "PARTIAL", is_multitask: true, failed: true })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("CANCELED: cancel() sends PUT tasks/{id}/cancel/ {force: true}; the wait ends CANCELED at once", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      yield* TestClock.adjust("1 second")
      yield* handle.cancel()
      const cancels = yield* VeilSim.requestsTo(`/api/tasks/${handle.id}/cancel/`)
      expect(cancels).toHaveLength(1)
      expect(cancels[0]).toMatchObject({ method: "PUT", body: { force: true }, at: 1000 })
      const fiber = yield* Effect.fork(handle.wait())
      const done = yield* Fiber.join(fiber)
      expect(done.status).toBe("CANCELED")
      expect(yield* pollTimes(handle.id)).toEqual([1000])
      // the domain never started
      expect(Option.map(yield* domainRecord(off1), (d) => d.user_power_state)).toEqual(Option.some(1))
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("cancel({ force: false }) sends force false", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      yield* handle.cancel({ force: false })
      const [cancel] = yield* VeilSim.requestsTo(`/api/tasks/${handle.id}/cancel/`)
      expect(cancel?.body).toEqual({ force: false })
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL tasks: failures and deadlines", () => {
  it.effect("waitForSuccess on a failed task fails with TaskFailedError carrying error_message as detail", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const simulator = yield* VeilSimulator
      yield* simulator.control.failNextTask({ errorMessage: "Disk full." })
      const handle = yield* veil.domains.start(off1)
      const error = yield* withClock(Effect.flip(handle.waitForSuccess()))
      expect(error).toMatchObject({ _tag: "TaskFailedError", taskId: handle.id, status: "FAILED", detail: "Disk full." })
      expect(error.message).toContain("Disk full.")
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("TaskFailedError's message names the task (taskName), not the error class", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const simulator = yield* VeilSimulator
      yield* simulator.control.failNextTask({ errorMessage: "Disk full." })
      const handle = yield* veil.domains.start(off1)
      const error = yield* withClock(Effect.flip(handle.waitForSuccess()))
      if (error._tag !== "TaskFailedError") return expect.unreachable(`expected TaskFailedError, got ${error._tag}`)
      expect(error.taskName).toBe(`Starting the virtual machine ${SeedIds.domainName(1)}.`)
      expect(error.message).toBe(`task ${handle.id} (Starting the virtual machine ${SeedIds.domainName(1)}.) ended FAILED: Disk full.`)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("waitForSuccess on a successful task answers it", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const done = yield* withClock(handle.waitForSuccess())
      expect(done.status).toBe("SUCCESS")
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("wait({ timeout: 2 seconds }) on a 3 s task fails with WaitTimeoutError at exactly 2000 ms", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const fiber = yield* Effect.fork(Effect.flip(handle.wait({ timeout: "2 seconds" })))
      yield* TestClock.adjust("1999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(yield* Clock.currentTimeMillis).toBe(2000)
      if (error._tag !== "WaitTimeoutError") return expect.unreachable(`expected WaitTimeoutError, got ${error._tag}`)
      expect(error.timeoutMillis).toBe(2000)
      expect(error.subject).toContain(handle.id)
      expect(error.lastState).toMatch(/^IN_PROGRESS \d+%$/)
      // no poll after the deadline
      yield* TestClock.adjust("10 seconds")
      expect((yield* pollTimes(handle.id)).every((at) => at <= 2000)).toBe(true)
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL tasks: finished tasks make cached reads stale", () => {
  it.effect("two gets of one domain make one request while the cache holds it", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const first = yield* veil.domains.get(off1)
      const second = yield* veil.domains.get(off1)
      expect(second.id).toBe(first.id)
      expect(yield* detailReads(off1)).toHaveLength(1)
    }).pipe(Effect.provide(VeilSim.layer({ cacheTtl: "1 minute" }))))

  it.effect("after start + wait the next get goes to the server and shows the domain ON", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      expect(isPowered(yield* veil.domains.get(off1))).toBe(false)
      const handle = yield* veil.domains.start(off1)
      // the POST itself made domains/ stale: read once more while the task runs, then it is cached again
      const during = yield* veil.domains.get(off1)
      expect(isPowered(during)).toBe(false)
      expect(during).toMatchObject({ locked_by: handle.id })
      yield* veil.domains.get(off1)
      expect(yield* detailReads(off1)).toHaveLength(2)
      yield* withClock(handle.wait())
      // only the finished task can have dropped the cached body now
      const after = yield* veil.domains.get(off1)
      expect(after).toMatchObject({ user_power_state: 3, locked_by: null })
      expect(isPowered(after)).toBe(true)
      expect(yield* detailReads(off1)).toHaveLength(3)
    }).pipe(Effect.provide(VeilSim.layer({ cacheTtl: "1 minute" }))))

  it.effect("without waiting, the cached body stays stale until its TTL (the task end is only seen by a wait)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      expect(isPowered(yield* veil.domains.get(off1))).toBe(false)
      yield* TestClock.adjust("10 seconds")
      expect(isPowered(yield* veil.domains.get(off1))).toBe(false)
      expect(yield* detailReads(off1)).toHaveLength(1)
      const done = yield* handle.wait()
      expect(done.status).toBe("SUCCESS")
      expect(isPowered(yield* veil.domains.get(off1))).toBe(true)
    }).pipe(Effect.provide(VeilSim.layer({ cacheTtl: "1 minute" }))))

  it.effect("the TTL is exact on the clock: served until 60 000 ms after the read, fetched again at 60 001", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* veil.domains.get(on0)
      yield* TestClock.adjust("59999 millis")
      yield* veil.domains.get(on0)
      expect(yield* detailReads(on0)).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      yield* veil.domains.get(on0)
      expect(yield* detailReads(on0)).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      yield* veil.domains.get(on0)
      const reads = yield* detailReads(on0)
      expect(reads.map((r) => r.at)).toEqual([0, 60001])
    }).pipe(Effect.provide(VeilSim.layer({ cacheTtl: "1 minute" }))))

  it.effect("a task's own state is never served from the cache", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.start(off1)
      const first = yield* veil.tasks.get(handle.id)
      yield* TestClock.adjust("3 seconds")
      const second = yield* veil.tasks.get(handle.id)
      expect([first.status, second.status]).toEqual(["IN_PROGRESS", "SUCCESS"])
      expect(yield* pollTimes(handle.id)).toEqual([0, 3000])
    }).pipe(Effect.provide(VeilSim.layer({ cacheTtl: "1 minute" }))))
})
