import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Scope, TestClock } from "effect"
import { AuthenticationError } from "../../src/core/Errors.js"
import type { OpenStackOptions } from "../../src/openstack/Config.js"
import * as Keystone from "../../src/openstack/Keystone.js"
import { everything, observe } from "../support/Observe.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../support/ScriptedHttp.js"

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
})
