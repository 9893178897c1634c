/**
 * The fault matrix: every fault kind of the simulator kit, injected on `domains.get` (and on the domain list),
 * through the VeiL client with exact retries (3 attempts, 1 s then 2 s, no jitter). Each fault ends either in
 * success after a retry — at exactly known virtual times — or in the right typed error.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, TestClock } from "effect"
import { Fault, type FaultRule } from "../../src/core/testing/Faults.js"
import { VeilClient } from "../../src/veil/Client.js"
import { SeedIds } from "../../src/veil/testing/Seed.js"
import { VeilSimulator } from "../../src/veil/testing/Simulator.js"
import * as VeilSim from "../support/VeilSim.js"

const id = SeedIds.domain(0)
const itemPath = `/api/domains/${id}/`
/** Only the list itself, not every path under it. */
const listPath = /^\/api\/domains\/$/

/** Arms a fault on `GET domains/{id}/` (every matching request when `times` is Infinity). */
const onGet = (fault: Fault, times = 1) => inject({ method: "GET", path: itemPath, fault, times })

/** Arms a fault on `GET domains/` (the list). */
const onList = (fault: Fault, times = 1) => inject({ method: "GET", path: listPath, fault, times })

const inject = (rule: FaultRule) => Effect.flatMap(VeilSimulator, (sim) => sim.faults.inject(rule))

/** Virtual times of the requests to the domain's detail. */
const getTimes = Effect.map(VeilSim.requestsTo(itemPath), (all) => all.filter((r) => r.path === itemPath).map((r) => r.at))

/** Virtual times of the requests to the domain list. */
const listTimes = Effect.map(VeilSim.requestsTo("/api/domains/"), (all) => all.filter((r) => r.path === "/api/domains/").map((r) => r.at))

/** Runs `effect` in a fiber while the virtual clock moves on by `by`; its result as an Either. */
const run = <A, E, R>(effect: Effect.Effect<A, E, R>, by: Duration.DurationInput = "1 minute") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.either(effect))
    yield* TestClock.adjust(by)
    return yield* Fiber.join(fiber)
  })

/** The domain read, expected to succeed. */
const getOk = Effect.flatMap(VeilClient, (veil) => run(veil.domains.get(id))).pipe(
  Effect.map((result) => {
    expect(result._tag).toBe("Right")
    return result
  })
)

/** The domain read, expected to fail: the error. */
const getError = Effect.flatMap(VeilClient, (veil) => run(Effect.flip(veil.domains.get(id)))).pipe(
  Effect.flatMap((result) => (result._tag === "Right" ? Effect.succeed(result.right) : Effect.dieMessage("the read succeeded")))
)

describe("VeiL faults: retried, then success at exact times", () => {
  it.effect("Status 503 ×2 → success; requests at 0, 1000, 3000", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.status(503), 2)
      const result = yield* getOk
      expect(result).toMatchObject({ _tag: "Right", right: { id } })
      expect(yield* getTimes).toEqual([0, 1000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Status 503 ×2 on the list → the page arrives; requests at 0, 1000, 3000", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onList(Fault.status(503), 2)
      const result = yield* run(veil.domains.list({ limit: 3 }))
      if (result._tag === "Left") return expect.unreachable(`list failed: ${result.left._tag}`)
      expect(result.right.items).toHaveLength(3)
      expect(yield* listTimes).toEqual([0, 1000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("RateLimit 2 s → the second request waits the server's Retry-After: exactly 2000, not the 1000 backoff", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onGet(Fault.rateLimit(2))
      const fiber = yield* Effect.fork(veil.domains.get(id))
      yield* TestClock.adjust("1999 millis")
      expect(yield* getTimes).toEqual([0])
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const domain = yield* Fiber.join(fiber)
      expect(domain.id).toBe(id)
      expect(yield* getTimes).toEqual([0, 2000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Latency 30 s over a 5 s timeout ×1 → the first attempt times out at 5000, the retry at 6000 succeeds", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onGet(Fault.latency("30 seconds"))
      const fiber = yield* Effect.fork(veil.domains.get(id))
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis") // 5000: the attempt gives up; the retry waits 1 s
      expect(yield* getTimes).toEqual([0])
      yield* TestClock.adjust("1 second")
      const domain = yield* Fiber.join(fiber)
      expect(domain.id).toBe(id)
      expect(yield* getTimes).toEqual([0, 6000])
    }).pipe(Effect.provide(VeilSim.layer({ client: { timeout: "5 seconds" } }))))

  it.effect("Drop ×1 → TransportError, retried → success; requests at 0, 1000", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.drop)
      yield* getOk
      expect(yield* getTimes).toEqual([0, 1000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Html (502 page from a proxy) ×1 → UnavailableError, retried → success; requests at 0, 1000", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.html())
      yield* getOk
      expect(yield* getTimes).toEqual([0, 1000])
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL faults: the right typed error", () => {
  it.effect("Status 500 ×3 → ServerError after 3 attempts at 0, 1000, 3000, with the ECP code and detail", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.status(500), 3)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "ServerError", status: 500, code: "50000", detail: "Internal server error.", method: "GET" })
      expect(yield* getTimes).toEqual([0, 1000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Latency on every request → TimeoutError after 3 attempts (0, 6000, 13000), failing at 18000", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onGet(Fault.latency("30 seconds"), Infinity)
      const fiber = yield* Effect.fork(Effect.flip(veil.domains.get(id)))
      yield* TestClock.adjust("17999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 5000, method: "GET" })
      expect(yield* getTimes).toEqual([0, 6000, 13000])
    }).pipe(Effect.provide(VeilSim.layer({ client: { timeout: "5 seconds" } }))))

  it.effect("RateLimit longer than the policy's maxRetryAfter (2 min) → RateLimitedError at once, one request", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.rateLimit(300))
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "RateLimitedError", status: 429, retryAfterMillis: 300_000 })
      expect(yield* getTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Malformed → DecodeError, not retried (one request)", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.malformed, Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "DecodeError", status: 200, issues: [{ path: [], message: "malformed JSON" }] })
      expect(yield* getTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Malformed on the list → DecodeError, one request", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onList(Fault.malformed, Infinity)
      const result = yield* run(veil.domains.list())
      expect(result).toMatchObject({ _tag: "Left", left: { _tag: "DecodeError" } })
      expect(yield* listTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Html with status 200 where JSON was expected → UnavailableError (not fully available), after 3 attempts", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.html(200), Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 200 })
      expect(error.message).toContain("not fully available")
      expect(error.message).toContain("text/html")
      expect(yield* getTimes).toEqual([0, 1000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Html 502 on every request → UnavailableError naming the foreign page", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.html(502), Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 502 })
      expect(error.message).toContain("not the ECP API")
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Truncated → DecodeError (malformed JSON), not retried", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.truncated, Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "DecodeError", status: 200, issues: [{ message: "malformed JSON" }] })
      expect(yield* getTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Empty → DecodeError naming the empty body, not retried", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.empty(), Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "DecodeError", status: 200 })
      expect(error.message).toContain("empty body")
      expect(yield* getTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("Status 418 → UnavailableError (ECP is being updated), retried like any unavailability", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.status(418), Infinity)
      const error = yield* getError
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 418, detail: "VeiL ECP is being updated; try again later" })
      expect(yield* getTimes).toEqual([0, 1000, 3000])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a 200 whose `id` has the wrong type → DecodeError whose first issue names `id`", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.status(200, { body: { id: 42, verbose_name: "x" } }), Infinity)
      const error = yield* getError
      if (error._tag !== "DecodeError") return expect.unreachable(`expected DecodeError, got ${error._tag}`)
      expect(error.issues[0]?.path).toEqual(["id"])
      expect(error.message).toContain("id")
      expect(yield* getTimes).toEqual([0])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a 200 without `id` → DecodeError whose first issue names `id` as missing", () =>
    Effect.gen(function*() {
      yield* onGet(Fault.status(200, { body: { verbose_name: "x", user_power_state: 3 } }), Infinity)
      const error = yield* getError
      if (error._tag !== "DecodeError") return expect.unreachable(`expected DecodeError, got ${error._tag}`)
      expect(error.issues[0]).toMatchObject({ path: ["id"], message: "is missing" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a list row with a wrong type → DecodeError whose path goes through results[i]", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* onList(Fault.status(200, { body: { count: 2, next: null, previous: null, results: [{ id }, { id: "x", user_power_state: "ON" }] } }))
      const result = yield* run(veil.domains.list())
      if (result._tag === "Right" || result.left._tag !== "DecodeError") return expect.unreachable("expected a DecodeError")
      expect(result.left.issues[0]?.path).toEqual(["results", 1, "user_power_state"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a wrong token → AuthenticationError with ECP's code `invalid` and detail, one request", () =>
    Effect.gen(function*() {
      const error = yield* getError
      expect(error).toMatchObject({
        _tag: "AuthenticationError",
        status: 401,
        code: "invalid",
        detail: "Signature has expired."
      })
      const [request, ...rest] = yield* VeilSim.requestsTo(itemPath)
      expect(rest).toEqual([])
      expect(request?.headers["authorization"]).toBe("jwt not-the-controllers-token")
      expect(error.message).not.toContain("not-the-controllers-token")
    }).pipe(Effect.provide(VeilSim.layer({ client: { token: "jwt not-the-controllers-token", check: false } }))))
})
