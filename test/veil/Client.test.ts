import { describe, expect, it } from "@effect/vitest"
import { HttpClient } from "@effect/platform"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Ref, TestClock } from "effect"
import { Fault } from "../../src/core/testing/Faults.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import { VeilClient } from "../../src/veil/Client.js"
import * as Simulator from "../../src/veil/testing/Simulator.js"
import { everything, observe } from "../support/Observe.js"
import * as VeilSim from "../support/VeilSim.js"

describe("VeilClient", () => {
  it.scoped("checks the controller when the session opens", () =>
    Effect.gen(function*() {
      yield* VeilClient
      const entries = yield* Effect.flatMap(Simulator.VeilSimulator, (s) => s.journal.entries)
      expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual(["GET /api/controllers/check/"])
      expect(entries[0]?.headers["authorization"]).toMatch(/^jwt /)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.scoped("names the caller's product and the library in User-Agent", () =>
    Effect.gen(function*() {
      yield* VeilClient
      const entries = yield* Effect.flatMap(Simulator.VeilSimulator, (s) => s.journal.entries)
      expect(entries[0]?.headers["user-agent"]).toMatch(/^inventory\/3 effect-cloud-clients\/\d+\.\d+\.\d+ \(veil\)$/)
    }).pipe(Effect.provide(VeilSim.layer({ client: { userAgent: "inventory/3" } }))))

  it.scoped("skips the check when told to", () =>
    Effect.gen(function*() {
      yield* VeilClient
      expect(yield* Effect.flatMap(Simulator.VeilSimulator, (s) => s.journal.entries)).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer({ client: { check: false } }))))

  it.scoped("fails to open with a typed error when the token is refused", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(VeilSim.layer({ client: { token: "jwt wrong.token.value" } })))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        expect(exit.cause).toMatchObject({ _tag: "Fail", error: { _tag: "AuthenticationError", code: "invalid", status: 401 } })
      }
    }))

  it.scoped("reads VEIL_* through layerConfig", () =>
    Effect.gen(function*() {
      const simulator = yield* Simulator.make()
      const clusters = yield* Effect.provide(
        Effect.flatMap(VeilClient, (veil) => Effect.map(veil.clusters.list(), (page) => ({ baseUrl: veil.config.baseUrl, page }))),
        VeilClient.layerConfig().pipe(
          Layer.provide(InProcess.layer(simulator.app)),
          Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([
            ["VEIL_ADDRESS", "ecp.simulator"],
            ["VEIL_SCHEME", "http"],
            ["VEIL_TOKEN", simulator.token]
          ]))))
        )
      )
      expect(clusters.baseUrl).toBe("http://ecp.simulator/api/")
      expect(clusters.page.count).toBeGreaterThan(0)
    }))

  it.effect("never lets the token reach an error, a log line or a span", () =>
    Effect.gen(function*() {
      const simulator = yield* Simulator.make()
      const secret = simulator.token.slice(4)
      const workload = Effect.gen(function*() {
        const veil = yield* VeilClient
        const [first] = (yield* veil.domains.list({ limit: 1, powerState: "OFF", template: false })).items
        if (first === undefined) return yield* Effect.dieMessage("no domain")
        yield* simulator.faults.inject({ method: "GET", path: `/api/domains/${first.id}/`, fault: Fault.status(503), times: 1 })
        const fiber = yield* Effect.fork(veil.domains.get(first.id))
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)
        const task = yield* veil.domains.start(first.id)
        const waiting = yield* Effect.fork(task.wait())
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(waiting)
        const errors = [
          yield* Effect.flip(veil.domains.get("00000000-0000-4000-8000-000000000000")),
          yield* Effect.flip(veil.domains.start(first.id)),
          yield* Effect.flip(veil.domains.get("../x"))
        ]
        yield* simulator.faults.inject({ path: "/api/nodes/", fault: Fault.malformed })
        errors.push(yield* Effect.flip(veil.nodes.list()))
        return errors
      })
      const recorded = yield* observe(Effect.scoped(Effect.provide(workload, VeilSim.layerWith(simulator))))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      const errors = Exit.isSuccess(recorded.exit) ? recorded.exit.value : []
      expect(errors.map((e) => e._tag)).toEqual(["NotFoundError", "BadRequestError", "InvalidInputError", "DecodeError"])
      // The token was really used…
      const sent = yield* simulator.journal.entries
      expect(sent.every((e) => e.headers["authorization"] === simulator.token)).toBe(true)
      // …and appears nowhere an operator looks.
      expect(recorded.spans.length).toBeGreaterThan(5)
      expect(recorded.logs.length).toBeGreaterThan(0)
      expect(everything(recorded)).not.toContain(secret)
      for (const error of errors) {
        expect(`${error.message}\n${String(error)}\n${JSON.stringify(error)}`).not.toContain(secret)
      }
    }))
})

describe("VeilClient after its session closed", () => {
  it.effect("refuses every request without sending it, so old credentials are never used again", () =>
    Effect.gen(function*() {
      const simulator = yield* Simulator.make()
      const veil = yield* Effect.scoped(Effect.provide(VeilClient, VeilSim.layerWith(simulator)))
      const before = (yield* simulator.journal.entries).length
      const error = yield* Effect.flip(veil.domains.list())
      expect(error).toMatchObject({ _tag: "SessionClosedError", api: "veil", method: "GET" })
      expect(error.message).toContain("is closed")
      expect((yield* simulator.journal.entries).length).toBe(before)
    }))
})

describe("VeilClient opening against a controller that never answers", () => {
  /** A transport that sends every request and never gets an answer; counts what it was asked to send. */
  const silent = Effect.map(Ref.make(0), (sent) => ({
    sent: Ref.get(sent),
    http: HttpClient.make(() => Effect.zipRight(Ref.update(sent, (n) => n + 1), Effect.never))
  }))
  const options = {
    address: "127.0.0.1:9",
    scheme: "http",
    token: "jwt eyJhbGciOiJIUzI1NiJ9.e30.silent",
    timeout: "5 seconds",
    retry: VeilSim.exactRetry
  } as const

  // Daemon fibers: an opening that cannot be interrupted must fail the assertions, not hang the test's own scope.
  it.scoped("fails with TimeoutError after the timeout of each attempt and the backoff between them (5 + 1 + 5 + 2 + 5 s)", () =>
    Effect.gen(function*() {
      const { http, sent } = yield* silent
      const fiber = yield* Effect.forkDaemon(Effect.flip(Effect.provideService(VeilClient.make(options), HttpClient.HttpClient, http)))
      yield* TestClock.adjust("17999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(fiber.unsafePoll()).toMatchObject({
        _tag: "Success",
        value: { _tag: "TimeoutError", api: "veil", method: "GET", url: "http://127.0.0.1:9/api/controllers/check/", timeoutMillis: 5000 }
      })
      expect(yield* sent).toBe(3)
    }))

  it.scoped("a caller's own timeout interrupts the opening at the caller's deadline", () =>
    Effect.gen(function*() {
      const { http } = yield* silent
      const fiber = yield* Effect.forkDaemon(
        Effect.provideService(VeilClient.make(options), HttpClient.HttpClient, http).pipe(Effect.timeout("3 seconds"), Effect.flip)
      )
      yield* TestClock.adjust("2999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(fiber.unsafePoll()).toMatchObject({ _tag: "Success", value: { _tag: "TimeoutException" } })
    }))
})
