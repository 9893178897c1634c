import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Exit, Fiber, Option, Redacted, Schema, TestClock } from "effect"
import ovhOfficial from "ovh"
import * as Path from "../../src/core/Path.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { defaultTimeout, make } from "../../src/ovh/Client.js"
import { type OvhConfig, resolveConfig } from "../../src/ovh/Config.js"
import { sign } from "../../src/ovh/Signature.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

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

  it.scoped("passes the session's user agent and transformed client to every call, the clock read included", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      let seen = 0
      const client = yield* make(config, { userAgent: "billing/1", transformClient: (c) => HttpClient.tapRequest(c, () => Effect.sync(() => void seen++)) }).pipe(
        Effect.provide(http.layer)
      )
      yield* client.get("/me")
      const sent = yield* http.sent
      expect(sent.length).toBe(2)
      expect(seen).toBe(2)
      for (const request of sent) expect(request.headers["user-agent"]).toMatch(/^billing\/1 effect-cloud-clients\/\S+ \(ovh\)$/)
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

  it.scoped("signs and sends one canonical URL for a string path: characters a URL cannot hold are encoded once", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      // The scripted OVH recomputes every signature over the URL it received: each call below passes only if the
      // URL signed is the URL sent.
      yield* client.get("/me/a b")
      yield* client.get("/me/a%20b")
      yield* client.get("/me/Zoë ✓")
      yield* client.get("/ip/1.2.3.0%2F29")
      yield* client.get(Path.make("/me/{id} x", { id: "a/b c" }))
      yield* client.get("/v2/iam/a|b")
      const urls = (yield* http.sent).slice(1).map((s) => s.url)
      expect(urls).toEqual([
        "http://ovh.test/1.0/me/a%20b",
        "http://ovh.test/1.0/me/a%20b",
        "http://ovh.test/1.0/me/Zo%C3%AB%20%E2%9C%93",
        "http://ovh.test/1.0/ip/1.2.3.0%2F29",
        "http://ovh.test/1.0/me/a%2Fb%20c%20x",
        "http://ovh.test/v2/iam/a%7Cb"
      ])
    }))

  it.scoped("refuses dot segments in a string path, percent-encoded or not, before anything is sent", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      for (const path of ["/me/bill/%2e%2e", "/me/bill/%2E%2E/x", "/me/.%2e", "/me/%2e", "/me/bill/..", "/v2/%2e%2e/me"]) {
        expect(yield* Effect.flip(client.get(path)), path).toMatchObject({ _tag: "InvalidInputError", parameter: "path" })
      }
      expect((yield* http.sent).map((s) => new URL(s.url).pathname)).toEqual(["/1.0/auth/time"])
    }))

  it.scoped("answers a lone surrogate in a path with an InvalidInputError naming it, never a throw", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      expect(yield* Effect.flip(client.get(Path.make("/me/bill/{billId}", { billId: "a\ud800b" }))))
        .toMatchObject({ _tag: "InvalidInputError", parameter: "billId" })
      expect(yield* Effect.flip(client.get("/me/bill/a\udc00b"))).toMatchObject({ _tag: "InvalidInputError", parameter: "path" })
      expect((yield* http.sent).length).toBe(1)
    }))

  it.live("differs from the official client only where it is not sane: it cannot send `a b` and sends `%2e%2e` as is", () =>
    Effect.gen(function*() {
      // The official client on a closed port of 127.0.0.1: its debug hook shows the path it signs and would send.
      const shown: Array<string> = []
      const official = ovhOfficial({
        appKey: "app-key", appSecret: AS, consumerKey: CK, apiTimeDiff: 1, host: "127.0.0.1", port: 1, basePath: "/1.0",
        debug: (...args: ReadonlyArray<unknown>) => shown.push(args.map(String).join(" "))
      })
      const outcome = (path: string) =>
        Effect.promise(() => official.requestPromised("GET", path).then(() => "answered", (error: unknown) => JSON.stringify(error)))
      expect(yield* outcome("/me/a b")).toContain("ERR_UNESCAPED_CHARACTERS")
      yield* outcome("/me/bill/%2e%2e")
      yield* outcome("/ip/1.2.3.0%2F29")
      expect(shown.filter((line) => line.startsWith("[OVH] API call:"))).toEqual([
        "[OVH] API call: GET /1.0/me/a b ", // signed so, then refused by Node
        "[OVH] API call: GET /1.0/me/bill/%2e%2e ",
        "[OVH] API call: GET /1.0/ip/1.2.3.0%2F29 "
      ])
      const http = yield* ovh(0)
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* client.get("/me/a b")
      yield* client.get("/ip/1.2.3.0%2F29")
      expect(yield* Effect.flip(client.get("/me/bill/%2e%2e"))).toMatchObject({ _tag: "InvalidInputError" })
      expect((yield* http.sent).slice(1).map((s) => new URL(s.url).pathname)).toEqual(["/1.0/me/a%20b", "/1.0/ip/1.2.3.0%2F29"])
    }).pipe(Effect.scoped))

  it.scoped("keeps an endpoint URL as a URL parser writes it (host case, default port), so the signature covers the URL sent", () =>
    Effect.gen(function*() {
      const http = yield* ovh(0)
      const written = Either.getOrThrow(resolveConfig({ endpoint: "HTTP://OVH.Test:80/1.0/", applicationKey: "app-key", applicationSecret: AS, consumerKey: CK }, {}, new Map(), []))
      const client = yield* make(written).pipe(Effect.provide(http.layer))
      yield* client.get("/ip/1.2.3.0%2F29")
      const sent = (yield* http.sent)[1]
      expect(sent?.url).toBe("http://ovh.test/1.0/ip/1.2.3.0%2F29")
      const official = ovhOfficial({ appKey: "app-key", appSecret: AS, consumerKey: CK })
      expect(sent?.headers["x-ovh-signature"]).toBe(official.signRequest("GET", "http://ovh.test/1.0/ip/1.2.3.0%2F29", "", Number(sent?.headers["x-ovh-timestamp"])))
    }))
})

describe("OVH per-attempt timeout", () => {
  const silent = Scripted.make(() => ({ delay: "1 day", then: { status: 200, body: 0 } }))
  const exact = RetryPolicy.make({ attempts: 3, baseDelay: "1 second", factor: 2, jitter: 0 })

  it.scoped("a silent server fails the session's opening after timeout × attempts + the policy's backoff, exactly", () =>
    Effect.gen(function*() {
      const http = yield* silent
      const fiber = yield* Effect.fork(Effect.flip(make({ ...config, timeout: Duration.seconds(10) }, { retry: exact }).pipe(Effect.provide(http.layer))))
      // 10 s, wait 1 s, 10 s, wait 2 s, 10 s
      yield* TestClock.adjust(Duration.millis(32_999))
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(Duration.millis(1))
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 10_000 })
      expect((yield* http.sent).map((s) => s.at)).toEqual([0, 11_000, 23_000])
    }))

  it.scoped("is 60 seconds by default", () =>
    Effect.gen(function*() {
      expect(Duration.toSeconds(defaultTimeout)).toBe(60)
      const http = yield* silent
      const fiber = yield* Effect.fork(Effect.flip(make(config, { retry: RetryPolicy.none }).pipe(Effect.provide(http.layer))))
      yield* TestClock.adjust(Duration.millis(59_999))
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 60_000 })
    }))

  it.scoped("comes from the options or OVH_TIMEOUT (seconds or a duration), and a wrong one is a configuration problem", () =>
    Effect.gen(function*() {
      const keys = { applicationKey: "a", applicationSecret: "s", endpoint: "ovh-eu" }
      const timeoutOf = (options: Parameters<typeof resolveConfig>[0], env: Record<string, string> = {}) =>
        resolveConfig(options, env, new Map(), [])
      expect(Either.getOrUndefined(timeoutOf({ ...keys, timeout: "5 seconds" }))?.timeout).toEqual(Duration.seconds(5))
      expect(Either.getOrUndefined(timeoutOf(keys, { timeout: "90" }))?.timeout).toEqual(Duration.seconds(90))
      expect(Either.getOrUndefined(timeoutOf(keys, { timeout: "2 minutes" }))?.timeout).toEqual(Duration.minutes(2))
      expect(Either.getOrUndefined(timeoutOf(keys))?.timeout).toBeUndefined()
      for (const env of [{ timeout: "soon" }, { timeout: "0" }]) {
        const refused = timeoutOf(keys, env)
        expect(refused._tag === "Left" && refused.left.settings).toEqual(["timeout"])
      }
      yield* Effect.void
    }))
})
