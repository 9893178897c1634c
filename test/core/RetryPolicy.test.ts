import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Random, TestClock } from "effect"
import { TransportError } from "../../src/core/Errors.js"
import * as Path from "../../src/core/Path.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const engine = (replies: Parameters<typeof Scripted.make>[0], retry: RetryPolicy.RetryPolicy) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make(replies)
    const rest = yield* RestClient.make({
      api: "test",
      baseUrl: "http://api.test/",
      caller: "id",
      retry,
      timeout: "10 seconds",
      errorBody: () => ({})
    }).pipe(Effect.provide(http.layer))
    return { rest, sent: http.sent }
  })

const exact = RetryPolicy.make({ attempts: 4, baseDelay: "500 millis", factor: 2, maxDelay: "30 seconds", jitter: 0 })
const get = { method: "GET", path: Path.literal("things/") } as const

describe("RetryPolicy", () => {
  it("lists the backoff waits, capped", () => {
    const policy = RetryPolicy.make({ attempts: 5, baseDelay: "1 second", factor: 10, maxDelay: "5 seconds", jitter: 0 })
    expect(RetryPolicy.delays(policy).map(Duration.toMillis)).toEqual([1000, 5000, 5000, 5000])
  })

  it.effect("retries a 503 at exactly 0, 500 and 1500 ms, then succeeds", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 503 }, { status: 503 }, { status: 200, body: { ok: true } }], exact)
      const fiber = yield* Effect.fork(rest.send(get))
      yield* TestClock.adjust("499 millis")
      expect(Scripted.times(yield* sent)).toEqual([0])
      yield* TestClock.adjust("1 millis")
      expect(Scripted.times(yield* sent)).toEqual([0, 500])
      yield* TestClock.adjust("1 second")
      const response = yield* Fiber.join(fiber)
      expect(response.status).toBe(200)
      expect(Scripted.times(yield* sent)).toEqual([0, 500, 1500])
    }))

  it.effect("gives up after the last attempt with the typed error of the last answer", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 503, body: { message: "busy" } }], exact)
      const fiber = yield* Effect.fork(Effect.exit(rest.send(get)))
      yield* TestClock.adjust("1 minute")
      const exit = yield* Fiber.join(fiber)
      expect(Scripted.times(yield* sent)).toEqual([0, 500, 1500, 3500])
      expect(exit).toStrictEqual(Exit.fail(expect.anything()))
      if (Exit.isFailure(exit)) {
        const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
        expect(error?._tag).toBe("UnavailableError")
      }
    }))

  it.effect("does not retry a status it was not asked to", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 404 }], exact)
      const error = yield* Effect.flip(rest.send(get))
      expect(error._tag).toBe("NotFoundError")
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("never resends a POST that is not replay-safe", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 503 }, { status: 201, body: {} }], exact)
      const error = yield* Effect.flip(rest.send({ method: "POST", path: Path.literal("things/"), body: { a: 1 } }))
      expect(error._tag).toBe("UnavailableError")
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("resends a POST the caller declares replay-safe, with the same bytes", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 502 }, { status: 201, body: {} }], exact)
      const fiber = yield* Effect.fork(rest.send({ method: "POST", path: Path.literal("things/"), body: { a: 1 }, replaySafe: true }))
      yield* TestClock.adjust("500 millis")
      yield* Fiber.join(fiber)
      const list = yield* sent
      expect(list.map((s) => s.body)).toEqual(['{"a":1}', '{"a":1}'])
    }))

  it.effect("waits the server's Retry-After when it is longer than the backoff", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([
        { status: 429, headers: { "retry-after": "3" } },
        { status: 200, body: {} }
      ], exact)
      const fiber = yield* Effect.fork(rest.send(get))
      yield* TestClock.adjust("2999 millis")
      expect(Scripted.times(yield* sent)).toEqual([0])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      expect(Scripted.times(yield* sent)).toEqual([0, 3000])
    }))

  it.effect("refuses to wait a Retry-After longer than maxRetryAfter and keeps it on the error", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ ...exact, jitter: 0, maxRetryAfter: "1 minute" })
      const { rest, sent } = yield* engine([{ status: 429, headers: { "retry-after": "3600" } }], policy)
      const error = yield* Effect.flip(rest.send(get))
      expect(error._tag).toBe("RateLimitedError")
      expect(error._tag === "RateLimitedError" && error.retryAfterMillis).toBe(3_600_000)
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("retries dropped connections as TransportError", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ drop: true }, { status: 200, body: {} }], exact)
      const fiber = yield* Effect.fork(rest.send(get))
      yield* TestClock.adjust("500 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(Scripted.times(yield* sent)).toEqual([0, 500])
    }))

  it.effect("spreads waits within ±jitter of the nominal backoff", () =>
    Effect.gen(function*() {
      const jittered = RetryPolicy.make({ attempts: 4, baseDelay: "1 second", factor: 2, jitter: 0.2 })
      const { rest, sent } = yield* engine([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200, body: {} }], jittered)
      const fiber = yield* Effect.fork(rest.send(get))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      const at = Scripted.times(yield* sent)
      const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0))
      const nominal = [1000, 2000, 4000]
      gaps.forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(0.8 * (nominal[i] ?? 0))
        expect(gap).toBeLessThanOrEqual(1.2 * (nominal[i] ?? 0))
      })
      expect(new Set(gaps.map((g, i) => g / (nominal[i] ?? 1))).size).toBeGreaterThan(1)
    }).pipe(Effect.withRandom(Random.make("jitter-seed"))))

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(RetryPolicy.parseRetryAfter("120", 0)).toBe(120_000)
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")
    expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000)
    expect(RetryPolicy.parseRetryAfter("soon", now)).toBeUndefined()
    expect(RetryPolicy.parseRetryAfter(undefined, now)).toBeUndefined()
  })
})

describe("RetryPolicy and refused certificates", () => {
  it("never retries a refused TLS certificate, whatever the policy lists", () => {
    const refused = new TransportError({ api: "t", method: "GET", url: "https://x/", message: "m", code: "CERT_HAS_EXPIRED" })
    const reset = new TransportError({ api: "t", method: "GET", url: "https://x/", message: "m", code: "ECONNRESET" })
    const policy = RetryPolicy.make({ kinds: ["TransportError"] })
    expect(RetryPolicy.isRetryable(policy, refused)).toBe(false)
    expect(RetryPolicy.isRetryable(policy, reset)).toBe(true)
  })
})
