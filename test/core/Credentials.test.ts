import { describe, expect, it } from "@effect/vitest"
import { Clock, type Duration, Effect, Exit, Fiber, Option, Redacted, Ref, TestClock } from "effect"
import * as Credentials from "../../src/core/Credentials.js"
import { type ApiError, AuthenticationError, TimeoutError, UnavailableError } from "../../src/core/Errors.js"
import * as Path from "../../src/core/Path.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

/** Credentials holding one token; renewing swaps in the next of `tokens`. Counts renewals. */
const rotating = (tokens: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const index = yield* Ref.make(0)
    const renewals = yield* Ref.make(0)
    const current = Effect.map(Ref.get(index), (i) => tokens[Math.min(i, tokens.length - 1)] ?? "")
    const credentials: Credentials.Credentials = {
      headers: () => Effect.map(current, (token) => ({ "x-auth-token": Redacted.make(token) })),
      rejected: (sent) =>
        Effect.gen(function*() {
          const token = yield* current
          const stale = Redacted.value(sent["x-auth-token"] ?? Redacted.make("")) === token
          if (!stale) return true
          const i = yield* Ref.get(index)
          if (i + 1 >= tokens.length) return false
          yield* Ref.set(index, i + 1)
          yield* Ref.update(renewals, (n) => n + 1)
          return true
        })
    }
    return { credentials, renewals: Ref.get(renewals) }
  })

/** A server that accepts only `valid` in X-Auth-Token. */
const acceptingOnly = (valid: string) => (sent: Scripted.Sent): Scripted.Reply =>
  sent.headers["x-auth-token"] === valid ? { status: 200, body: { ok: true } } : { status: 401, body: {} }

const engine = (replies: Parameters<typeof Scripted.make>[0], credentials: Credentials.Credentials) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make(replies)
    const rest = yield* RestClient.make({
      api: "test",
      baseUrl: "http://api.test/",
      caller: "me",
      credentials,
      secretHeaders: ["X-Auth-Token"],
      retry: RetryPolicy.none,
      timeout: "5 seconds",
      errorBody: () => ({})
    }).pipe(Effect.provide(http.layer))
    return { rest, sent: http.sent }
  })

describe("Credentials", () => {
  it.effect("renews once on a 401 and sends the request again — a POST too, with the same body", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["expired", "fresh"])
      const { rest, sent } = yield* engine(acceptingOnly("fresh"), credentials)
      yield* rest.send({ method: "POST", path: Path.literal("servers"), body: { name: "vm" } })
      const list = yield* sent
      expect(list.map((s) => s.headers["x-auth-token"])).toEqual(["expired", "fresh"])
      expect(list.map((s) => s.body)).toEqual(['{"name":"vm"}', '{"name":"vm"}'])
      expect(yield* renewals).toBe(1)
    }))

  it.effect("takes a second 401 as final", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["a", "b", "c"])
      const { rest, sent } = yield* engine(acceptingOnly("nobody"), credentials)
      const error = yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("x") }))
      expect(error._tag).toBe("AuthenticationError")
      expect((yield* sent).length).toBe(2)
      expect(yield* renewals).toBe(1)
    }))

  it.effect("never retries with fixed credentials", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(acceptingOnly("nobody"), Credentials.fixed({ authorization: Redacted.make("k") }))
      expect((yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("x") })))._tag).toBe("AuthenticationError")
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("many requests refused at once renew once", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["expired", "fresh"])
      const { rest } = yield* engine(acceptingOnly("fresh"), credentials)
      yield* Effect.all(Array.from({ length: 10 }, () => rest.send({ method: "GET", path: Path.literal("x") })), { concurrency: 10 })
      expect(yield* renewals).toBe(1)
    }))

  it.effect("keeps secret headers out of spans", () =>
    Effect.gen(function*() {
      const token = "gAAAAA-very-secret-token"
      const { rest, sent } = yield* engine(acceptingOnly(token), Credentials.fixed({ "x-auth-token": Redacted.make(token) }))
      const recorded = yield* observe(rest.send({ method: "GET", path: Path.literal("x") }))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      expect((yield* sent)[0]?.headers["x-auth-token"]).toBe(token)
      expect(recorded.spans.some((s) => s.attributes.has("http.request.header.x-auth-token"))).toBe(true)
      expect(everything(recorded)).not.toContain(token)
    }))
})

/** A token and the virtual time it stops being valid. */
interface Minted {
  readonly value: string
  readonly expiresAt: number
}

/** A token endpoint's outage, for the scripted source below. */
type Outage = { readonly _tag: "Fail"; readonly error: ApiError } | { readonly _tag: "Interrupt" }

const unavailable = new UnavailableError({ api: "test", method: "POST", url: "http://auth.test/token", status: 503, message: "down" })
const wrongPassword = new AuthenticationError({ api: "test", method: "POST", url: "http://auth.test/token", status: 401, message: "wrong" })
const refusedByApi = new AuthenticationError({ api: "test", method: "GET", url: "http://api.test/x", status: 401, message: "refused" })
const probe = { method: "GET", url: "", body: "" }

/**
 * Renewing credentials over a scripted token source: each token request is recorded (virtual time); renewals answer
 * after `delay` (the first token at once) with `token-N` valid for `lifetime` ms, or with the outage set by `fail`
 * (until `recover`).
 */
const tokenSource = (options: { readonly lifetime: number; readonly delay?: Duration.DurationInput }) =>
  Effect.gen(function*() {
    const requests = yield* Ref.make<ReadonlyArray<number>>([])
    const outage = yield* Ref.make(Option.none<Outage>())
    const obtain: Effect.Effect<Minted, ApiError> = Effect.gen(function*() {
      const at = yield* Clock.currentTimeMillis
      const n = (yield* Ref.updateAndGet(requests, (list) => [...list, at])).length
      if (options.delay !== undefined && n > 1) yield* Effect.sleep(options.delay)
      const down = yield* Ref.get(outage)
      if (Option.isSome(down)) return yield* down.value._tag === "Fail" ? Effect.fail(down.value.error) : Effect.interrupt
      return { value: `token-${n}`, expiresAt: (yield* Clock.currentTimeMillis) + options.lifetime }
    })
    const session = yield* Credentials.renewing({
      obtain,
      headers: (token) => ({ "x-auth-token": Redacted.make(token.value) }),
      expired: (token, now) => now >= token.expiresAt
    })
    return {
      ...session,
      requests: Ref.get(requests),
      fail: (error: ApiError) => Ref.set(outage, Option.some<Outage>({ _tag: "Fail", error })),
      interruptNext: Ref.set(outage, Option.some<Outage>({ _tag: "Interrupt" })),
      recover: Ref.set(outage, Option.none())
    }
  })

/** `n` copies of `effect` at once, each with the virtual time it ended. */
const burst = <A, E>(n: number, effect: Effect.Effect<A, E>) =>
  Effect.all(Array.from({ length: n }, () => Effect.zip(effect, Clock.currentTimeMillis)), { concurrency: "unbounded" })

/** The value of a token, in a form tests compare. */
const valueOf = (token: Minted) => token.value

describe("Credentials.renewing", () => {
  it.effect("200 calls needing a renewal share one: one token request while they wait, the same error for all", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000, delay: "1 second" })
      yield* TestClock.adjust("60 seconds")
      yield* source.fail(unavailable)
      const calls = yield* Effect.fork(burst(200, Effect.flip(source.current)))
      yield* TestClock.adjust("500 millis")
      expect(yield* source.requests).toEqual([0, 60_000])
      expect(Option.isNone(yield* Fiber.poll(calls))).toBe(true)
      yield* TestClock.adjust("500 millis")
      expect(yield* source.requests).toEqual([0, 60_000])
      const failed = yield* Fiber.join(calls)
      expect(failed.every(([error, at]) => error === unavailable && at === 61_000)).toBe(true)
      // The endpoint is back and the failure is a second old: the next burst renews once, every call gets the new token.
      yield* source.recover
      yield* TestClock.adjust("1 second")
      const again = yield* Effect.fork(burst(200, Effect.map(source.current, valueOf)))
      yield* TestClock.adjust("1 second")
      const renewed = yield* Fiber.join(again)
      expect(renewed.every(([token, at]) => token === "token-3" && at === 63_000)).toBe(true)
      expect(yield* source.requests).toEqual([0, 60_000, 62_000])
    }))

  it.effect("a failed renewal is the answer for the next second: no token request until then, one right after", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000 })
      yield* TestClock.adjust("60 seconds")
      yield* source.fail(unavailable)
      expect(yield* Effect.flip(source.current)).toBe(unavailable)
      yield* TestClock.adjust("999 millis")
      const held = yield* burst(200, Effect.flip(source.current))
      expect(held.every(([error]) => error === unavailable)).toBe(true)
      expect(yield* source.requests).toEqual([0, 60_000])
      yield* TestClock.adjust("1 millis")
      yield* source.recover
      expect(valueOf(yield* source.current)).toBe("token-3")
      expect(yield* source.requests).toEqual([0, 60_000, 61_000])
    }))

  it.effect("failures in a row are kept twice as long each time, up to 30 s; a success starts again from 1 s", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000 })
      yield* TestClock.adjust("60 seconds")
      yield* source.fail(unavailable)
      yield* Effect.flip(source.current)
      for (const seconds of [1, 2, 4, 8, 16, 30, 30]) {
        const before = (yield* source.requests).length
        yield* TestClock.adjust(seconds * 1000 - 1)
        expect(yield* Effect.flip(source.current)).toBe(unavailable)
        expect((yield* source.requests).length).toBe(before)
        yield* TestClock.adjust(1)
        expect(yield* Effect.flip(source.current)).toBe(unavailable)
        expect((yield* source.requests).length).toBe(before + 1)
      }
      yield* TestClock.adjust("30 seconds")
      yield* source.recover
      yield* source.current
      yield* TestClock.adjust("60 seconds")
      yield* source.fail(unavailable)
      yield* Effect.flip(source.current)
      const before = (yield* source.requests).length
      yield* TestClock.adjust("1 second")
      yield* Effect.flip(source.current)
      expect((yield* source.requests).length).toBe(before + 1)
    }))

  it.effect("waits at least as long as the token endpoint's Retry-After", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000 })
      yield* TestClock.adjust("60 seconds")
      const busy = new UnavailableError({ api: "test", method: "POST", url: "http://auth.test/token", status: 503, message: "busy", retryAfterMillis: 5_000 })
      yield* source.fail(busy)
      yield* Effect.flip(source.current)
      yield* TestClock.adjust("4999 millis")
      expect(yield* Effect.flip(source.current)).toBe(busy)
      expect((yield* source.requests).length).toBe(2)
      yield* TestClock.adjust("1 millis")
      yield* source.recover
      expect(valueOf(yield* source.current)).toBe("token-3")
    }))

  it.effect("a refused password is tried once for 200 waiting calls, then not again for a minute, then every 2, 4 … up to 60 minutes", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000, delay: "1 second" })
      yield* TestClock.adjust("60 seconds")
      yield* source.fail(wrongPassword)
      const calls = yield* Effect.fork(burst(200, Effect.flip(source.current)))
      yield* TestClock.adjust("1 second")
      expect(yield* source.requests).toEqual([0, 60_000])
      const failed = yield* Fiber.join(calls)
      expect(failed.every(([error, at]) => error === wrongPassword && at === 61_000)).toBe(true)
      let attempts = 2
      for (const minutes of [1, 2, 4, 8, 16, 32, 60, 60]) {
        yield* TestClock.adjust(minutes * 60_000 - 1)
        const held = yield* burst(200, Effect.flip(source.current))
        expect(held.every(([error]) => error === wrongPassword)).toBe(true)
        expect((yield* source.requests).length).toBe(attempts)
        yield* TestClock.adjust(1)
        const fiber = yield* Effect.fork(Effect.flip(source.current))
        yield* TestClock.adjust("1 second")
        expect(yield* Fiber.join(fiber)).toBe(wrongPassword)
        attempts += 1
        expect((yield* source.requests).length).toBe(attempts)
      }
    }))

  it.effect("200 calls refused by the server at once renew once; when that fails, all get its error and the refused token is not sent again", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 3_600_000, delay: "1 second" })
      const old = yield* source.credentials.headers(probe)
      yield* source.fail(unavailable)
      const calls = yield* Effect.fork(burst(200, Effect.flip(source.credentials.rejected(old, refusedByApi))))
      yield* TestClock.adjust("500 millis")
      expect(yield* source.requests).toEqual([0, 0])
      yield* TestClock.adjust("500 millis")
      expect(yield* source.requests).toEqual([0, 0])
      const failed = yield* Fiber.join(calls)
      expect(failed.every(([error, at]) => error === unavailable && at === 1_000)).toBe(true)
      // The endpoint is back and the failure a second old: the refused token, though not expired, is renewed first.
      yield* source.recover
      yield* TestClock.adjust("1 second")
      const renewal = yield* Effect.fork(source.credentials.headers(probe))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(renewal)).toEqual({ "x-auth-token": Redacted.make("token-3") })
      expect(yield* source.credentials.rejected(old, refusedByApi)).toBe(true)
      expect((yield* source.requests).length).toBe(3)
    }))

  it.effect("a refused token is not handed out while its renewal's failure is kept", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 3_600_000 })
      const old = yield* source.credentials.headers(probe)
      yield* source.fail(unavailable)
      expect(yield* Effect.flip(source.credentials.rejected(old, refusedByApi))).toBe(unavailable)
      yield* TestClock.adjust("999 millis")
      expect(yield* Effect.flip(source.credentials.headers(probe))).toBe(unavailable)
      expect(yield* Effect.flip(source.credentials.rejected(old, refusedByApi))).toBe(unavailable)
      expect((yield* source.requests).length).toBe(2)
      expect(valueOf(yield* source.held)).toBe("token-1")
    }))

  it.effect("a waiting call interrupted does not cancel the renewal for the others", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000, delay: "1 second" })
      yield* TestClock.adjust("60 seconds")
      const first = yield* Effect.fork(source.current)
      yield* TestClock.adjust(0)
      expect(yield* source.requests).toEqual([0, 60_000])
      const others = yield* Effect.fork(burst(199, Effect.map(source.current, valueOf)))
      yield* TestClock.adjust("500 millis")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("500 millis")
      expect(yield* source.requests).toEqual([0, 60_000])
      const renewed = yield* Fiber.join(others)
      expect(renewed.every(([token, at]) => token === "token-2" && at === 61_000)).toBe(true)
      expect(valueOf(yield* source.held)).toBe("token-2")
    }))

  it.effect("an interrupted renewal leaves nothing stuck: its waiters see the interruption, the next call renews", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000 })
      yield* TestClock.adjust("60 seconds")
      yield* source.interruptNext
      const exits = yield* Effect.all(Array.from({ length: 5 }, () => Effect.exit(source.current)), { concurrency: "unbounded" })
      expect(exits.every(Exit.isInterrupted)).toBe(true)
      yield* source.recover
      expect(valueOf(yield* source.current)).toBe("token-3")
      expect((yield* source.requests).length).toBe(3)
    }))

  it.effect("a renewal runs interruptibly: its own timeout ends it", () =>
    Effect.gen(function*() {
      const timedOut = new TimeoutError({ api: "test", method: "POST", url: "http://auth.test/token", message: "no answer", timeoutMillis: 5_000 })
      let requests = 0
      const session = yield* Credentials.renewing({
        obtain: Effect.suspend(() => {
          requests += 1
          return requests === 1 ? Effect.succeed("token-1") : Effect.timeoutFail(Effect.never, { duration: "5 seconds", onTimeout: () => timedOut })
        }),
        headers: (token) => ({ "x-auth-token": Redacted.make(token) }),
        expired: (_, now) => now >= 60_000
      })
      yield* TestClock.adjust("60 seconds")
      const call = yield* Effect.fork(Effect.flip(session.current))
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.poll(call)).toEqual(Option.some(Exit.succeed(timedOut)))
      expect(requests).toBe(2)
    }))

  it.effect("held gives the token now held, at once, while a renewal is under way", () =>
    Effect.gen(function*() {
      const source = yield* tokenSource({ lifetime: 60_000, delay: "1 second" })
      yield* TestClock.adjust("60 seconds")
      const renewal = yield* Effect.fork(source.current)
      yield* TestClock.adjust(0)
      expect(valueOf(yield* source.held)).toBe("token-1")
      yield* TestClock.adjust("1 second")
      expect(valueOf(yield* Fiber.join(renewal))).toBe("token-2")
      expect(valueOf(yield* source.held)).toBe("token-2")
    }))
})
