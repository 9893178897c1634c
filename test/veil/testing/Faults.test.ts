import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { Fault } from "../../../src/core/testing/Faults.js"
import * as Veil from "../../../src/veil/testing/index.js"

const { rawRequest } = Veil

describe("VeiL simulator: faults and journal", () => {
  it.effect("injected statuses carry ECP error bodies; 429 carries Retry-After", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.faults.inject({ path: "/api/domains/", fault: Fault.status(503), times: 2 })
      yield* sim.faults.inject({ path: "/api/nodes/", fault: Fault.rateLimit(30) })
      const first = yield* rawRequest("GET", "/api/domains/")
      expect(first).toMatchObject({
        status: 503,
        body: { errors: [{ code: "50300", detail: "Service temporarily unavailable." }] }
      })
      expect((yield* rawRequest("GET", "/api/domains/")).status).toBe(503)
      expect((yield* rawRequest("GET", "/api/domains/")).status).toBe(200)
      const limited = yield* rawRequest("GET", "/api/nodes/")
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("30")
      expect(limited.body).toEqual({
        errors: [{ code: "42900", detail: "Request was throttled. Expected available in 30 seconds." }]
      })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("drop, malformed, HTML, truncated and empty bodies reach the client as such", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.faults.inject({ fault: Fault.drop })
      const dropped = yield* Effect.flip(rawRequest("GET", "/api/domains/"))
      expect(dropped._tag === "RequestError" ? dropped.reason : dropped._tag).toBe("Transport")
      yield* sim.faults.inject({ fault: Fault.malformed })
      expect(typeof (yield* rawRequest("GET", "/api/domains/")).body).toBe("string")
      yield* sim.faults.inject({ fault: Fault.html() })
      const html = yield* rawRequest("GET", "/api/domains/")
      expect(html.status).toBe(502)
      expect(html.headers["content-type"]).toBe("text/html")
      yield* sim.faults.inject({ fault: Fault.truncated })
      const cut = yield* rawRequest("GET", "/api/domains/")
      expect(cut.status).toBe(200)
      expect(typeof cut.body).toBe("string")
      yield* sim.faults.inject({ fault: Fault.empty() })
      const empty = yield* rawRequest("GET", "/api/domains/")
      expect(empty).toMatchObject({ status: 200, body: undefined })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("latency is observed on the TestClock", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.faults.inject({ fault: Fault.latency("2 seconds") })
      const fiber = yield* Effect.fork(rawRequest("GET", "/api/controllers/check/"))
      yield* TestClock.adjust("1999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("the journal records every request, faulted or not", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* TestClock.adjust("5 seconds")
      yield* sim.faults.inject({ method: "POST", fault: Fault.status(500) })
      yield* rawRequest("POST", `/api/domains/${Veil.SeedIds.domain(1)}/start/`, {
        query: { async: 1 },
        body: { force: false, idempotency_key: "j-1" }
      })
      yield* rawRequest("GET", "/api/domains/", { query: { limit: 1 } })
      const entries = yield* sim.journal.entries
      expect(entries).toHaveLength(2)
      expect(entries[0]).toMatchObject({
        method: "POST",
        path: `/api/domains/${Veil.SeedIds.domain(1)}/start/`,
        query: { async: "1" },
        body: { force: false, idempotency_key: "j-1" },
        at: 5000
      })
      expect(entries[0]?.headers["authorization"]).toBe(sim.token)
      expect(entries[1]).toMatchObject({ method: "GET", query: { limit: "1" } })
    }).pipe(Effect.provide(Veil.layer())))
})
