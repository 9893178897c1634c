import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Redacted, Schema, TestClock } from "effect"
import { make } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import { sign } from "../../src/ovh/Signature.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../support/ScriptedHttp.js"

const AS = "as-secret-value-0123456789abcdef"
const CK = "ck-secret-value-0123456789abcdef"
const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: undefined },
  credentials: { type: "signature", applicationKey: "app-key", applicationSecret: Redacted.make(AS), consumerKey: Redacted.make(CK) }
}

/** An OVH whose clock is `skew` seconds ahead, which checks every signature as OVH does and serves `/me`. */
const ovh = (skew: number | (() => number), onCall: (sent: Scripted.Sent, serverNow: number) => Scripted.Reply | undefined = () => undefined) =>
  Scripted.make((sent) => {
    const serverNow = Math.floor(sent.at / 1000) + (typeof skew === "number" ? skew : skew())
    const json = (status: number, body: unknown) => ({ status, body, headers: { "content-type": "application/json", "x-ovh-queryid": "EU.ext-1.q" } })
    if (sent.url.endsWith("/1.0/auth/time")) return json(200, serverNow)
    // OVH lets these calls in without a signature.
    if (sent.url.endsWith("/1.0/auth/credential") && sent.headers["x-ovh-signature"] === undefined) return onCall(sent, serverNow) ?? json(401, { message: "You must login first" })
    const timestamp = Number(sent.headers["x-ovh-timestamp"])
    const expected = sign({
      applicationSecret: Redacted.make(AS),
      consumerKey: Redacted.make(sent.headers["x-ovh-consumer"] ?? ""),
      method: sent.method,
      url: sent.url,
      body: sent.body ?? "",
      timestamp
    })
    if (sent.headers["x-ovh-signature"] !== expected) return json(400, { errorCode: "INVALID_SIGNATURE", httpCode: "400 Bad Request", message: "Invalid signature" })
    if (Math.abs(timestamp - serverNow) > 30) return json(400, { errorCode: "QUERY_TIME_OUT", httpCode: "400 Bad Request", message: "Query out of time" })
    return onCall(sent, serverNow) ?? json(200, { nichandle: "ab12345-ovh", firstname: "Zoë" })
  })

describe("OVH client", () => {
  it.scoped("reads the server's clock once, then signs every call with the corrected timestamp", () =>
    Effect.gen(function*() {
      const http = yield* ovh(1000)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      expect(yield* client.timeDelta).toBe(1000)
      const me = yield* client.get("/me", undefined, Schema.Struct({ nichandle: Schema.String }))
      expect(me.nichandle).toBe("ab12345-ovh")
      const [time, call] = yield* http.sent
      expect(time?.headers["x-ovh-signature"]).toBeUndefined()
      expect(call?.headers).toMatchObject({ "x-ovh-application": "app-key", "x-ovh-consumer": CK, "x-ovh-timestamp": "1000" })
    }))

  it.scoped("encodes parameters as OVH expects and signs the URL exactly as sent", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* client.get("/me/bill", { "date.from": "2024-01-01", "date.to": new Date(Date.UTC(2024, 1, 1)), closed: false, ids: [1, 2], skipped: undefined })
      yield* client.post("/email/domain/example.com/redirection", { from: "a@example.com", to: "b@example.org", localCopy: false })
      const sent = yield* http.sent
      expect(sent[1]?.url).toBe("http://ovh.test/1.0/me/bill?closed=false&date.from=2024-01-01&date.to=2024-02-01T00%3A00%3A00.000Z&ids=1&ids=2")
      expect(sent[2]?.body).toBe('{"from":"a@example.com","to":"b@example.org","localCopy":false}')
    }))

  it.scoped("on QUERY_TIME_OUT reads the clock again and signs the call once more", () =>
    Effect.gen(function*() {
      let skew = 0
      const http = yield* ovh(() => skew)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      skew = 500
      yield* client.get("/me")
      const sent = yield* http.sent
      expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/1.0/auth/time", "/1.0/me", "/1.0/auth/time", "/1.0/me"])
      expect(sent.map((s) => s.headers["x-ovh-timestamp"])).toEqual([undefined, "0", undefined, "500"])
      expect(yield* client.timeDelta).toBe(500)
    }))

  it.scoped("maps both error families, keeping errorCode or class and the query id", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0, (sent) =>
        sent.url.endsWith("/me/forbidden")
          ? { status: 403, body: { errorCode: "NOT_GRANTED_CALL", httpCode: "403 Forbidden", message: "This call has not been granted" }, headers: { "content-type": "application/json", "x-ovh-queryid": "EU.q1" } }
          : sent.url.endsWith("/me/missing")
          ? { status: 404, body: { class: "Client::NotFound", message: "This service does not exist" }, headers: { "content-type": "application/json", "x-ovh-queryid": "EU.q2" } }
          : sent.url.endsWith("/me/broken")
          ? { status: 503, text: "<html><body><h1>503 Service Unavailable</h1></body></html>", headers: { "content-type": "text/html" } }
          : undefined)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      expect(yield* Effect.flip(client.get("/me/forbidden"))).toMatchObject({ _tag: "PermissionError", code: "NOT_GRANTED_CALL", requestId: "EU.q1" })
      expect(yield* Effect.flip(client.get("/me/missing"))).toMatchObject({ _tag: "NotFoundError", code: "Client::NotFound", requestId: "EU.q2" })
      const fiber = yield* Effect.fork(Effect.flip(client.get("/me/broken")))
      yield* TestClock.adjust("1 minute")
      const broken = yield* Fiber.join(fiber)
      expect(broken).toMatchObject({ _tag: "UnavailableError", status: 503 })
      expect(broken.message).toContain("503 Service Unavailable")
    }))

  it.scoped("sends unauthenticated calls with the application key only", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0, (sent) =>
        sent.url.endsWith("/auth/credential") ? { status: 200, body: { validationUrl: "https://eu.api.ovh.com/auth/?credentialToken=x", consumerKey: "new-ck", state: "pendingValidation" } } : undefined)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      const answer = yield* client.raw("POST", "/auth/credential", { accessRules: [{ method: "GET", path: "/*" }] }, { unauthenticated: true })
      expect(answer.status).toBe(200)
      const [, sent] = yield* http.sent
      expect(sent?.headers["x-ovh-application"]).toBe("app-key")
      expect(sent?.headers["x-ovh-signature"]).toBeUndefined()
      expect(sent?.headers["x-ovh-consumer"]).toBeUndefined()
    }))

  it.scoped("refuses bad paths and parameters before sending, and keeps secrets out of spans and errors", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const recorded = yield* observe(Effect.gen(function*() {
        const client = yield* make(config)
        expect(yield* Effect.flip(client.get("/me/../admin"))).toMatchObject({ _tag: "InvalidInputError", parameter: "path" })
        expect(yield* Effect.flip(client.get("/me?x=1"))).toMatchObject({ _tag: "InvalidInputError", parameter: "path" })
        expect(yield* Effect.flip(client.raw("GET", "/me", { nested: { a: 1 } }))).toMatchObject({ _tag: "InvalidInputError", parameter: "nested" })
        return yield* client.get("/me")
      }).pipe(Effect.provide(http.layer)))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      expect((yield* http.sent).length).toBe(2)
      expect(everything(recorded)).not.toContain(CK)
      expect(everything(recorded)).not.toContain(AS)
    }))

  it.scoped("keeps to the session's rate limit (token bucket): 2 at once, then one every 500 ms", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const client = yield* make(config, { rateLimit: { limit: 2, interval: "1 second" } }).pipe(Effect.provide(http.layer))
      const fiber = yield* Effect.fork(Effect.forEach([1, 2, 3, 4, 5], () => client.get("/me"), { concurrency: "unbounded" }))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      const calls = (yield* http.sent).filter((s) => s.url.endsWith("/me")).map((s) => s.at)
      expect(calls).toEqual([0, 0, 500, 1000, 1500])
    }))
})
