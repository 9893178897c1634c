import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Redacted, Scope, TestClock } from "effect"
import { AuthenticationError } from "../../src/core/Errors.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import type { OpenStackOptions } from "../../src/openstack/Config.js"
import * as Keystone from "../../src/openstack/Keystone.js"
import { everything, observe } from "../support/Observe.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

/** A 401 from some service. */
const refused = new AuthenticationError({ api: "openstack", method: "GET", url: "http://nova/servers", status: 401, message: "refused" })

/** Any request: these credentials do not depend on it. */
const probe = { method: "GET", url: "", body: "" }

const password = "devstack-secret-pw"
const options: OpenStackOptions = {
  authUrl: "http://keystone.test:5000/v3",
  auth: {
    type: "password",
    user: { name: "admin", domain: { name: "Default" } },
    password: Redacted.make(password),
    scope: { project: { name: "admin", domain: { name: "Default" } } }
  },
  region: "RegionOne"
}

const live = Fixtures.json("openstack", "live/keystone-POST-auth-tokens-201.json")

/** The live token answer, expiring `lifetimeMs` after the virtual time of the request. */
const tokenAnswer = (now: number, lifetimeMs: number, value: string): Scripted.Reply => {
  const body = typeof live === "object" && live !== null && "token" in live && typeof live.token === "object"
    ? { token: { ...live.token, expires_at: new Date(now + lifetimeMs).toISOString() } }
    : live
  return { status: 201, body, headers: { "content-type": "application/json", "x-subject-token": value, "x-openstack-request-id": "req-1" } }
}

/** A Keystone that mints a token named after the virtual time, valid for an hour, and accepts revocations. */
const keystone = Effect.map(
  Scripted.make((sent) => (sent.method === "DELETE" ? { status: 204 } : tokenAnswer(sent.at, 3_600_000, `gAAAAA-token-${sent.at}`))),
  (http) => ({ http })
)

/** A Keystone like `keystone`, whose token requests get `outage`'s answer instead while it is set. */
const flaky = Effect.gen(function*() {
  let outage: ((sent: Scripted.Sent) => Scripted.Reply) | undefined
  const http = yield* Scripted.make((sent) =>
    sent.method === "DELETE" ? { status: 204 } : outage?.(sent) ?? tokenAnswer(sent.at, 3_600_000, `gAAAAA-token-${sent.at}`)
  )
  const down = (answer: ((sent: Scripted.Sent) => Scripted.Reply) | undefined) =>
    Effect.sync(() => {
      outage = answer
    })
  /** Virtual times of the token requests (each one a password sent). */
  const tokenRequests = Effect.map(http.sent, (list) => list.filter((s) => s.method === "POST").map((s) => s.at))
  return { http, down, tokenRequests }
})

/** Keystone down behind its proxy, answering after a second. */
const unavailable = (): Scripted.Reply => ({
  delay: "1 second",
  then: { status: 503, body: { error: { code: 503, title: "Service Unavailable", message: "The server is currently unavailable." } } }
})

/** Keystone refusing the password, after a second. */
const wrongPassword = (): Scripted.Reply => ({
  delay: "1 second",
  then: {
    status: 401,
    body: Fixtures.json("openstack", "live/keystone-POST-auth-tokens-401.json"),
    headers: { "content-type": "application/json" }
  }
})

/** `n` copies of `effect` at once, each with the virtual time it ended. */
const burst = <A, E>(n: number, effect: Effect.Effect<A, E>) =>
  Effect.all(Array.from({ length: n }, () => Effect.zip(effect, Clock.currentTimeMillis)), { concurrency: "unbounded" })

/** Within keystoneauth's 120 s margin of the first token's expiry: the next call renews it. */
const renewalDue = 3_600_000 - 120_000

describe("Keystone session", () => {
  it.scoped("authenticates when it opens, with the password body, and reads the catalog", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer))
      const [sent] = yield* http.sent
      expect(sent?.method).toBe("POST")
      expect(sent?.url).toBe("http://keystone.test:5000/v3/auth/tokens")
      expect(JSON.parse(sent?.body ?? "{}")).toEqual({
        auth: {
          identity: { methods: ["password"], password: { user: { name: "admin", domain: { name: "Default" }, password } } },
          scope: { project: { name: "admin", domain: { name: "Default" } } }
        }
      })
      expect(yield* session.endpoint("compute")).toBe("http://127.0.0.1:8774/v2.1/")
      expect(yield* session.credentials.headers(probe)).toEqual({ "x-auth-token": Redacted.make("gAAAAA-token-0") })
    }))

  it.scoped("renews the token 120 s before it expires, not a millisecond earlier", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust(3_600_000 - 120_001)
      yield* session.credentials.headers(probe)
      expect((yield* http.sent).length).toBe(1)
      yield* TestClock.adjust(1)
      const headers = yield* session.credentials.headers(probe)
      expect((yield* http.sent).map((s) => s.at)).toEqual([0, 3_480_000])
      expect(Redacted.value(headers["x-auth-token"] ?? Redacted.make(""))).toBe("gAAAAA-token-3480000")
    }))

  it.scoped("renews once when calls are refused together, and not for a token already replaced", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer))
      const old = yield* session.credentials.headers(probe)
      yield* TestClock.adjust("1 second")
      const renewed = yield* Effect.all(Array.from({ length: 5 }, () => session.credentials.rejected(old, refused)), { concurrency: 5 })
      expect(renewed).toEqual([true, true, true, true, true])
      expect((yield* http.sent).length).toBe(2)
      expect(yield* session.credentials.headers(probe)).toEqual({ "x-auth-token": Redacted.make("gAAAAA-token-1000") })
    }))

  it.effect("revokes its token when the scope closes", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const scope = yield* Scope.make()
      yield* Keystone.make(options).pipe(Effect.provide(http.layer), Scope.extend(scope))
      yield* Scope.close(scope, Exit.void)
      const revoke = (yield* http.sent).find((s) => s.method === "DELETE")
      expect(revoke?.url).toBe("http://keystone.test:5000/v3/auth/tokens")
      expect(revoke?.headers["x-subject-token"]).toBe("gAAAAA-token-0")
    }))

  it.effect("a session closed while its token is being renewed revokes the new token, not the old one", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make((sent) =>
        sent.method === "DELETE"
          ? { status: 204 }
          : sent.at === 0
          ? tokenAnswer(sent.at, 3_600_000, "gAAAAA-token-0")
          : { delay: "2 seconds", then: tokenAnswer(sent.at, 3_600_000, `gAAAAA-token-${sent.at}`) }
      )
      const scope = yield* Scope.make()
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer), Scope.extend(scope))
      yield* TestClock.adjust(renewalDue)
      // A call needs a token: the renewal starts (Keystone takes 2 s to answer it), and the session closes meanwhile.
      yield* Effect.fork(session.credentials.headers(probe))
      yield* TestClock.adjust("1 second")
      const closing = yield* Effect.fork(Scope.close(scope, Exit.void))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(closing)
      const revoked = (yield* http.sent).filter((s) => s.method === "DELETE").map((s) => s.headers["x-subject-token"])
      expect(revoked).toEqual([`gAAAAA-token-${renewalDue}`])
    }))

  // Daemon fibers: a close that cannot end must fail the assertions, not hang the test.
  it.effect("gives up revoking after 10 s when Keystone never answers, and the scope still closes without failing", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make((sent) =>
        sent.method === "DELETE" ? { delay: "1 day", then: { status: 204 } } : tokenAnswer(sent.at, 3_600_000, "gAAAAA-token-0"))
      // the session is opened under `observe` so that its finalizer logs there
      const recorded = yield* observe(Effect.gen(function*() {
        const scope = yield* Scope.make()
        yield* Keystone.make(options).pipe(Effect.provide(http.layer), Scope.extend(scope))
        const closing = yield* Effect.forkDaemon(Scope.close(scope, Exit.void))
        yield* TestClock.adjust("9999 millis")
        expect(closing.unsafePoll()).toBeNull()
        yield* TestClock.adjust("1 millis")
        expect(closing.unsafePoll()).toMatchObject({ _tag: "Success" })
      }))
      yield* recorded.exit
      const given = recorded.logs.filter((line) => line.includes("revoking the token"))
      expect(given).toHaveLength(1)
      expect(given[0]).toMatch(/^DEBUG /)
      expect(given[0]).toContain("revoking the token was given up: Keystone did not answer within 10s")
      expect(everything(recorded)).not.toContain("gAAAAA-token-0")
      // one revocation, never sent again
      expect((yield* http.sent).filter((s) => s.method === "DELETE")).toHaveLength(1)
    }))

  it.effect("the revocation is bounded by a per-attempt timeout shorter than 10 s", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make((sent) =>
        sent.method === "DELETE" ? { delay: "1 day", then: { status: 204 } } : tokenAnswer(sent.at, 3_600_000, "gAAAAA-token-0"))
      const scope = yield* Scope.make()
      yield* Keystone.make({ ...options, timeout: "3 seconds" }).pipe(Effect.provide(http.layer), Scope.extend(scope))
      const closing = yield* Effect.forkDaemon(Scope.close(scope, Exit.void))
      yield* TestClock.adjust("2999 millis")
      expect(closing.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(closing.unsafePoll()).toMatchObject({ _tag: "Success" })
    }))

  it.effect("revokes its token when the scope closes because its fiber was interrupted", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const session = yield* Effect.forkDaemon(Effect.scoped(Effect.zipRight(Keystone.make(options), Effect.never)).pipe(Effect.provide(http.layer)))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(session)
      const revoke = (yield* http.sent).find((s) => s.method === "DELETE")
      expect(revoke?.headers["x-subject-token"]).toBe("gAAAAA-token-0")
    }))

  it.scoped("refuses a wrong password with Keystone's own words, and never shows it", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make([{
        status: 401,
        body: Fixtures.json("openstack", "live/keystone-POST-auth-tokens-401.json"),
        headers: { "content-type": "application/json", "x-openstack-request-id": "req-9" }
      }])
      const recorded = yield* observe(Keystone.make(options).pipe(Effect.provide(http.layer)))
      expect(Exit.isFailure(recorded.exit)).toBe(true)
      const error = Exit.isFailure(recorded.exit) && recorded.exit.cause._tag === "Fail" ? recorded.exit.cause.error : undefined
      expect(error).toMatchObject({
        _tag: "AuthenticationError",
        status: 401,
        code: "Unauthorized",
        detail: "The request you have made requires authentication.",
        requestId: "req-9"
      })
      expect(`${JSON.stringify(error)} ${String(error)} ${everything(recorded)}`).not.toContain(password)
    }))

  it.scoped("keeps the token out of spans and logs", () =>
    Effect.gen(function*() {
      const { http } = yield* keystone
      const recorded = yield* observe(Effect.flatMap(Keystone.make(options), (s) => s.token).pipe(Effect.provide(http.layer)))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      expect(recorded.spans.length).toBeGreaterThan(0)
      expect(everything(recorded)).not.toContain("gAAAAA-token-0")
      expect(everything(recorded)).not.toContain(password)
    }))

  it.scoped("fails typed when Keystone answers without X-Subject-Token", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make([{ status: 201, body: live }])
      const error = yield* Effect.flip(Keystone.make(options).pipe(Effect.provide(http.layer)))
      expect(error).toMatchObject({ _tag: "DecodeError", message: "Keystone answered without an X-Subject-Token header" })
    }))

  it.scoped("200 calls with an expired token while Keystone answers 503 make one token request and all get its error; once it is back, one renewal", () =>
    Effect.gen(function*() {
      const { http, down, tokenRequests } = yield* flaky
      const session = yield* Keystone.make(options, { retry: RetryPolicy.none }).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust(renewalDue)
      yield* down(unavailable)
      const calls = yield* Effect.fork(burst(200, Effect.flip(session.token)))
      yield* TestClock.adjust("500 millis")
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      yield* TestClock.adjust("500 millis")
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 503 })
      expect(failed.every(([e, at]) => e === error && at === renewalDue + 1_000)).toBe(true)
      yield* down(undefined)
      yield* TestClock.adjust("1 second")
      const renewed = yield* burst(200, session.credentials.headers(probe))
      const fresh = Redacted.make(`gAAAAA-token-${renewalDue + 2_000}`)
      expect(renewed.every(([headers]) => Redacted.value(headers["x-auth-token"] ?? Redacted.make("")) === Redacted.value(fresh))).toBe(true)
      expect(yield* tokenRequests).toEqual([0, renewalDue, renewalDue + 2_000])
    }))

  it.scoped("a password refused during a renewal is sent once for 200 waiting calls, and not again for a minute", () =>
    Effect.gen(function*() {
      const { http, down, tokenRequests } = yield* flaky
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust(renewalDue)
      yield* down(wrongPassword)
      const calls = yield* Effect.fork(burst(200, Effect.flip(session.credentials.headers(probe))))
      yield* TestClock.adjust("1 second")
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 401 })
      expect(failed.every(([e, at]) => e === error && at === renewalDue + 1_000)).toBe(true)
      yield* TestClock.adjust(59_999)
      const held = yield* burst(200, Effect.flip(session.token))
      expect(held.every(([e]) => e === error)).toBe(true)
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      yield* TestClock.adjust(1)
      const again = yield* Effect.fork(Effect.flip(session.token))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(again)).toMatchObject({ _tag: "AuthenticationError", status: 401 })
      expect(yield* tokenRequests).toEqual([0, renewalDue, renewalDue + 61_000])
      expect(`${JSON.stringify(error)} ${String(error)}`).not.toContain(password)
    }))

  it.scoped("200 calls refused by a service while Keystone answers 503 make one token request and all get its error", () =>
    Effect.gen(function*() {
      const { http, down, tokenRequests } = yield* flaky
      const session = yield* Keystone.make(options, { retry: RetryPolicy.none }).pipe(Effect.provide(http.layer))
      const old = yield* session.credentials.headers(probe)
      yield* TestClock.adjust("1 second")
      yield* down(unavailable)
      const calls = yield* Effect.fork(burst(200, Effect.flip(session.credentials.rejected(old, refused))))
      yield* TestClock.adjust("1 second")
      expect(yield* tokenRequests).toEqual([0, 1_000])
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 503 })
      expect(failed.every(([e, at]) => e === error && at === 2_000)).toBe(true)
      // The refused token is not handed out again; once Keystone is back and the failure a second old, one renewal.
      expect(yield* Effect.flip(session.credentials.headers(probe))).toBe(error)
      yield* down(undefined)
      yield* TestClock.adjust("1 second")
      expect(yield* session.credentials.headers(probe)).toEqual({ "x-auth-token": Redacted.make("gAAAAA-token-3000") })
      expect(yield* tokenRequests).toEqual([0, 1_000, 3_000])
    }))

  it.scoped("a call interrupted while it waits for the renewal does not cancel it for the others", () =>
    Effect.gen(function*() {
      const { http, down, tokenRequests } = yield* flaky
      const session = yield* Keystone.make(options).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust(renewalDue)
      yield* down((sent) => ({ delay: "1 second", then: tokenAnswer(sent.at, 3_600_000, `gAAAAA-token-${sent.at}`) }))
      const first = yield* Effect.fork(session.token)
      yield* TestClock.adjust(0)
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      const others = yield* Effect.fork(burst(199, session.credentials.headers(probe)))
      yield* TestClock.adjust("500 millis")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("500 millis")
      expect(yield* tokenRequests).toEqual([0, renewalDue])
      const renewed = yield* Fiber.join(others)
      expect(renewed.every(([headers, at]) =>
        Redacted.value(headers["x-auth-token"] ?? Redacted.make("")) === `gAAAAA-token-${renewalDue}` && at === renewalDue + 1_000
      )).toBe(true)
    }))
})
