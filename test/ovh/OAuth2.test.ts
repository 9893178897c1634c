import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Redacted, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { make } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const SECRET = "client-secret-0123456789abcdef"
const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: "http://auth.ovh.test/auth/oauth2/token" },
  credentials: { type: "oauth2", clientId: "client-1", clientSecret: Redacted.make(SECRET) }
}

/** What the token endpoint answers instead of a token, while `answer` is set. */
interface Outage {
  answer: Scripted.Reply | undefined
}

const json = (status: number, body: unknown) => ({ status, body, headers: { "content-type": "application/json" } })

/**
 * An OVH token endpoint minting `token-N` for `lifetime` seconds (or answering `outage`), and an API accepting only
 * the latest token.
 */
const ovh = (options: { readonly lifetime?: number; readonly revokeFirst?: boolean; readonly outage?: Outage } = {}) => {
  let minted = 0
  return Scripted.make((sent) => {
    if (sent.url === "http://auth.ovh.test/auth/oauth2/token") {
      if (options.outage?.answer !== undefined) return options.outage.answer
      const form = new URLSearchParams(sent.body ?? "")
      if (form.get("client_id") !== "client-1" || form.get("client_secret") !== SECRET) {
        return json(400, { error: "invalid_client", error_description: "ovhcloud oauth2 client does not exists" })
      }
      minted += 1
      return json(200, { access_token: `token-${minted}`, token_type: "Bearer", expires_in: options.lifetime ?? 3599, scope: "all" })
    }
    const valid = options.revokeFirst === true ? minted > 1 : true
    return sent.headers["authorization"] === `Bearer token-${minted}` && valid
      ? json(200, { nichandle: "ab12345-ovh" })
      : json(401, { class: "Client::Unauthorized", message: "Invalid token" })
  })
}

/** The token requests among the requests sent. */
const tokenRequests = (sent: ReadonlyArray<Scripted.Sent>) => sent.filter((s) => s.url.endsWith("/token"))

/** `n` copies of `effect` at once, each with the virtual time it ended. */
const burst = <A, E>(n: number, effect: Effect.Effect<A, E>) =>
  Effect.all(Array.from({ length: n }, () => Effect.zip(effect, Clock.currentTimeMillis)), { concurrency: "unbounded" })

const unavailable = json(503, { error: "temporarily_unavailable", error_description: "try again later" })

describe("OVH OAuth2", () => {
  it.scoped("buys a token with the client credentials and calls with it, unsigned and without reading the clock", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      expect(yield* client.get("/me")).toEqual({ nichandle: "ab12345-ovh" })
      const [token, call] = yield* http.sent
      expect(token?.method).toBe("POST")
      expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(Object.fromEntries(new URLSearchParams(token?.body ?? ""))).toEqual({
        grant_type: "client_credentials",
        client_id: "client-1",
        client_secret: SECRET,
        scope: "all"
      })
      expect(call?.url).toBe("http://ovh.test/1.0/me")
      expect(call?.headers["authorization"]).toBe("Bearer token-1")
      expect(Object.keys(call?.headers ?? {}).filter((h) => h.startsWith("x-ovh-"))).toEqual([])
    }))

  it.scoped("buys a new token 10 seconds before the old one expires", () =>
    Effect.gen(function*() {
      const http = yield* ovh({ lifetime: 60 })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust("49999 millis")
      yield* client.get("/me")
      yield* TestClock.adjust("1 millis")
      yield* client.get("/me")
      const sent = yield* http.sent
      expect(sent.map((s) => [new URL(s.url).pathname, s.at])).toEqual([
        ["/auth/oauth2/token", 0],
        ["/1.0/me", 49_999],
        ["/auth/oauth2/token", 50_000],
        ["/1.0/me", 50_000]
      ])
      expect(sent[3]?.headers["authorization"]).toBe("Bearer token-2")
    }))

  it.scoped("when the API refuses the token, buys one new token for all refused calls and sends each once more", () =>
    Effect.gen(function*() {
      const http = yield* ovh({ revokeFirst: true })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* Effect.all([client.get("/me"), client.get("/me"), client.get("/me")], { concurrency: "unbounded" })
      const sent = yield* http.sent
      expect(sent.filter((s) => s.url.endsWith("/token")).length).toBe(2)
      expect(sent.filter((s) => s.headers["authorization"] === "Bearer token-2").length).toBe(3)
    }))

  it.scoped("a wrong secret is an AuthenticationError naming OAuth2's reason, and the secret appears nowhere", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const wrong: OvhConfig = { ...config, credentials: { type: "oauth2", clientId: "client-2", clientSecret: Redacted.make(SECRET) } }
      const recorded = yield* observe(make(wrong).pipe(Effect.provide(http.layer)))
      expect(Exit.isFailure(recorded.exit)).toBe(true)
      const error = Exit.isFailure(recorded.exit) ? recorded.exit.cause : undefined
      expect(String(error)).toContain("ovhcloud oauth2 client does not exists")
      expect(recorded.exit).toMatchObject({ cause: { error: { _tag: "AuthenticationError", code: "invalid_client", status: 400 } } })
      expect(everything(recorded)).not.toContain(SECRET)
    }))

  it.scoped("an endpoint without OAuth2 is refused before anything is sent", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const none: OvhConfig = { ...config, endpoint: { ...config.endpoint, oauth2: undefined } }
      const error = yield* Effect.flip(make(none).pipe(Effect.provide(http.layer)))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "endpoint" })
      expect(yield* http.sent).toEqual([])
    }))

  it.scoped("200 calls with an expired token while the token endpoint answers 503 buy one token (its retries included) and all get its error", () =>
    Effect.gen(function*() {
      const outage: Outage = { answer: undefined }
      const http = yield* ovh({ lifetime: 60, outage })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust("50 seconds")
      outage.answer = unavailable
      const calls = yield* Effect.fork(burst(200, Effect.flip(client.get("/me"))))
      // Long enough for one purchase and all its retries, and for dozens of purchases one after another.
      yield* TestClock.adjust("1 minute")
      expect(tokenRequests(yield* http.sent).length).toBe(1 + RetryPolicy.defaultPolicy.attempts)
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 503 })
      expect(failed.every(([e]) => e === error)).toBe(true)
      expect((yield* http.sent).filter((s) => s.url.endsWith("/me"))).toEqual([])
      // The endpoint is back: the next call buys one token and succeeds.
      outage.answer = undefined
      expect(yield* client.get("/me")).toEqual({ nichandle: "ab12345-ovh" })
      expect(tokenRequests(yield* http.sent).length).toBe(2 + RetryPolicy.defaultPolicy.attempts)
    }))

  it.scoped("a client secret refused during a renewal is sent once for 200 waiting calls, and not again for a minute", () =>
    Effect.gen(function*() {
      const outage: Outage = { answer: undefined }
      const http = yield* ovh({ lifetime: 60, outage })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust("50 seconds")
      outage.answer = { delay: "1 second", then: json(400, { error: "invalid_client", error_description: "ovhcloud oauth2 client does not exists" }) }
      const calls = yield* Effect.fork(burst(200, Effect.flip(client.get("/me"))))
      yield* TestClock.adjust("1 second")
      expect(tokenRequests(yield* http.sent).map((s) => s.at)).toEqual([0, 50_000])
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 400, code: "invalid_client" })
      expect(failed.every(([e, at]) => e === error && at === 51_000)).toBe(true)
      yield* TestClock.adjust(59_999)
      const held = yield* burst(200, Effect.flip(client.get("/me")))
      expect(held.every(([e]) => e === error)).toBe(true)
      expect(tokenRequests(yield* http.sent).map((s) => s.at)).toEqual([0, 50_000])
      yield* TestClock.adjust(1)
      outage.answer = undefined
      expect(yield* client.get("/me")).toEqual({ nichandle: "ab12345-ovh" })
      expect(tokenRequests(yield* http.sent).map((s) => s.at)).toEqual([0, 50_000, 111_000])
      expect(`${JSON.stringify(error)} ${String(error)}`).not.toContain(SECRET)
    }))

  it.scoped("200 calls refused by the API while the token endpoint answers 503 buy one token (its retries included) and all get its error", () =>
    Effect.gen(function*() {
      const outage: Outage = { answer: undefined }
      const http = yield* ovh({ revokeFirst: true, outage })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      outage.answer = unavailable
      const calls = yield* Effect.fork(burst(200, Effect.flip(client.get("/me"))))
      yield* TestClock.adjust("1 minute")
      expect(tokenRequests(yield* http.sent).length).toBe(1 + RetryPolicy.defaultPolicy.attempts)
      const failed = yield* Fiber.join(calls)
      const error = failed[0]?.[0]
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 503 })
      expect(failed.every(([e]) => e === error)).toBe(true)
      // Each call was sent once with the refused token, which is not sent again.
      const refused = (yield* http.sent).filter((s) => s.url.endsWith("/me"))
      expect(refused.length).toBe(200)
      expect(refused.every((s) => s.headers["authorization"] === "Bearer token-1")).toBe(true)
      outage.answer = undefined
      expect(yield* client.get("/me")).toEqual({ nichandle: "ab12345-ovh" })
      const sent = yield* http.sent
      expect(tokenRequests(sent).length).toBe(2 + RetryPolicy.defaultPolicy.attempts)
      expect(sent.filter((s) => s.url.endsWith("/me")).length).toBe(201)
      expect(sent[sent.length - 1]?.headers["authorization"]).toBe("Bearer token-2")
    }))
})
