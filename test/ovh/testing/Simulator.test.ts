import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, TestClock } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import { awaitValidation, readOnly, recursiveRules, request, rules } from "../../../src/ovh/ConsumerKey.js"
import { sign } from "../../../src/ovh/Signature.js"
import * as OvhTesting from "../../../src/ovh/testing/index.js"
import * as OvhSim from "../../support/OvhSim.js"

/** One call to the simulator with headers of our own making: a timestamp, a body and a signature URL of choice. */
const signedCall = (
  simulator: OvhTesting.OvhSimulator,
  call: {
    readonly method?: "GET" | "POST"
    readonly url?: string
    readonly body?: string
    readonly sentBody?: string
    readonly timestamp: number
    readonly signedUrl?: string
    readonly applicationKey?: string
    readonly consumerKey?: string
  }
) =>
  Effect.gen(function*() {
    const method = call.method ?? "GET"
    const url = call.url ?? `${OvhTesting.defaultOrigin}/1.0/me`
    const consumerKey = call.consumerKey ?? simulator.keys.consumerKey
    const signature = sign({
      applicationSecret: Redacted.make(simulator.keys.applicationSecret),
      consumerKey: Redacted.make(consumerKey),
      method,
      url: call.signedUrl ?? url,
      body: call.body ?? "",
      timestamp: call.timestamp
    })
    const base = HttpClientRequest.make(method)(url).pipe(HttpClientRequest.setHeaders({
      "x-ovh-application": call.applicationKey ?? simulator.keys.applicationKey,
      "x-ovh-consumer": consumerKey,
      "x-ovh-timestamp": String(call.timestamp),
      "x-ovh-signature": signature
    }))
    const sent = call.sentBody ?? call.body
    const response = yield* InProcess.make(simulator.app).execute(
      sent === undefined ? base : HttpClientRequest.bodyText(base, sent, "application/json")
    )
    return { status: response.status, body: yield* response.json, queryId: response.headers["x-ovh-queryid"] }
  })

const errorCodeOf = (body: unknown): unknown => (typeof body === "object" && body !== null ? Reflect.get(body, "errorCode") : undefined)

describe("OVH simulator: paths on the router", () => {
  it.effect("paths match exactly: /1.0 and /v1 alike; another case, a trailing slash or an empty parameter is no route", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make()
      const at = (path: string) => signedCall(simulator, { url: `${OvhTesting.defaultOrigin}${path}`, timestamp: 1_700_000_000 })
      expect((yield* at("/v1/me")).status).toBe(200)
      const noRoute = { class: "Client::NotFound", message: "Got an invalid (or empty) URL" }
      for (const path of ["/1.0/Me", "/1.0/me/", "/1.0/me/bill//details", "/2.0/me", "/1.0"]) {
        const answer = yield* at(path)
        expect([path, answer.status, answer.body]).toEqual([path, 404, noRoute])
      }
    }))

  it.effect("every answer has a query id of its own", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make()
      const first = yield* signedCall(simulator, { timestamp: 1_700_000_000 })
      const second = yield* signedCall(simulator, { timestamp: 1_700_000_000 })
      expect(first.queryId).not.toBe(second.queryId)
    }))
})

describe("OVH simulator: signatures and the time window", () => {
  it.effect("answers the seeded key's signed calls with the seed and a query id", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make()
      const answer = yield* signedCall(simulator, { timestamp: 1_700_000_000 })
      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({ nichandle: "xx11111-ovh", currency: { code: "EUR" } })
      expect(answer.queryId).toMatch(/^EU\.sim\./)
    }))

  it.effect("accepts a timestamp exactly at the edge of the window and refuses one second beyond it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make({ timeWindow: "180 seconds" })
      const at = (timestamp: number) => Effect.map(signedCall(simulator, { timestamp }), (a) => [a.status, errorCodeOf(a.body)])
      expect(yield* at(1_700_000_000 - 180)).toEqual([200, undefined])
      expect(yield* at(1_700_000_000 + 180)).toEqual([200, undefined])
      expect(yield* at(1_700_000_000 - 181)).toEqual([400, "QUERY_TIME_OUT"])
      expect(yield* at(1_700_000_000 + 181)).toEqual([400, "QUERY_TIME_OUT"])
    }))

  it.effect("refuses a body or URL other than the one signed, an unknown application key and an unknown consumer key", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make()
      const post = { method: "POST" as const, url: `${OvhTesting.defaultOrigin}/1.0/email/domain/example.com/redirection`, timestamp: 1_700_000_000 }
      const body = JSON.stringify({ from: "a@example.com", to: "b@example.com", localCopy: false })
      const tampered = yield* signedCall(simulator, { ...post, body, sentBody: body.replace("b@", "evil@") })
      expect([tampered.status, errorCodeOf(tampered.body)]).toEqual([400, "INVALID_SIGNATURE"])
      const otherQuery = yield* signedCall(simulator, { timestamp: 1_700_000_000, signedUrl: `${OvhTesting.defaultOrigin}/1.0/me?x=1` })
      expect(errorCodeOf(otherQuery.body)).toBe("INVALID_SIGNATURE")
      const unknownApp = yield* signedCall(simulator, { timestamp: 1_700_000_000, applicationKey: "nobody" })
      expect([unknownApp.status, errorCodeOf(unknownApp.body)]).toEqual([403, "INVALID_KEY"])
      const unknownKey = yield* signedCall(simulator, { timestamp: 1_700_000_000, consumerKey: "not-a-key" })
      expect([unknownKey.status, errorCodeOf(unknownKey.body)]).toEqual([403, "NOT_CREDENTIAL"])
      // Nothing was created by the refused POST.
      const state = yield* simulator.state
      expect(state.mailDomains[0]?.redirections).toHaveLength(1)
      const good = yield* signedCall(simulator, { ...post, body })
      expect(good.status).toBe(200)
    }))

  it.effect("accepts the URL signed as the client addressed it: https, or without the port (as the official Node client signs)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const simulator = yield* OvhTesting.make()
      const url = "http://127.0.0.1:8443/1.0/me"
      const portless = yield* signedCall(simulator, { url, signedUrl: "https://127.0.0.1/1.0/me", timestamp: 1_700_000_000 })
      expect(portless.status).toBe(200)
      const otherHost = yield* signedCall(simulator, { url, signedUrl: "https://eu.api.ovh.com/1.0/me", timestamp: 1_700_000_000 })
      expect(errorCodeOf(otherHost.body)).toBe("INVALID_SIGNATURE")
    }))

  it.effect("a call without keys must log in first", () =>
    Effect.gen(function*() {
      const simulator = yield* OvhTesting.make()
      const response = yield* InProcess.make(simulator.app).execute(HttpClientRequest.get(`${OvhTesting.defaultOrigin}/1.0/me`))
      expect([response.status, yield* response.json]).toEqual([401, { class: "Client::Unauthorized", message: "You must login first" }])
    }))
})

describe("OVH simulator with this client", () => {
  it.scoped("a wrong application secret is an AuthenticationError carrying INVALID_SIGNATURE and the query id", () =>
    Effect.gen(function*() {
      const { simulator } = yield* OvhSim.open()
      const wrong = yield* OvhSim.connect(simulator, { applicationSecret: "not-the-secret" })
      const error = yield* Effect.flip(wrong.get("/me"))
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 400, code: "INVALID_SIGNATURE" })
      expect(error._tag === "InvalidInputError" ? undefined : error.requestId).toMatch(/^EU\.sim\./)
    }))

  it.scoped("when the server's clock moves, QUERY_TIME_OUT makes the client read it again and the call succeeds", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open()
      yield* simulator.control.setClockSkew(600)
      expect(yield* client.get("/me")).toMatchObject({ nichandle: "xx11111-ovh" })
      expect(yield* client.timeDelta).toBe(600)
      const paths = (yield* simulator.journal.entries).map((e) => e.path)
      expect(paths).toEqual(["/1.0/auth/time", "/1.0/me", "/1.0/auth/time", "/1.0/me"])
    }))

  it.scoped("enforces access rules: the root and everything under it when recursive, nothing else; /auth needs no rule", () =>
    Effect.gen(function*() {
      const { simulator } = yield* OvhSim.open()
      const consumerKey = yield* simulator.control.addConsumerKey(recursiveRules(readOnly, "/me"))
      const client = yield* OvhSim.connect(simulator, { consumerKey })
      expect(yield* client.get("/me")).toMatchObject({ nichandle: "xx11111-ovh" })
      expect(yield* client.get("/me/bill")).toHaveLength(24)
      expect(yield* client.get("/auth/currentCredential")).toMatchObject({ rules: [{ method: "GET", path: "/me" }, { method: "GET", path: "/me/*" }] })
      const refused = yield* Effect.flip(client.get("/dedicated/server"))
      expect(refused).toMatchObject({ _tag: "PermissionError", status: 403, code: "NOT_GRANTED_CALL" })
      const write = yield* Effect.flip(client.put("/me/api/credential/1", { allowedIPs: null }))
      expect(write).toMatchObject({ code: "NOT_GRANTED_CALL" })
      const rootOnly = yield* OvhSim.connect(simulator, { consumerKey: yield* simulator.control.addConsumerKey(rules(readOnly, "/me")) })
      expect(yield* Effect.flip(rootOnly.get("/me/bill"))).toMatchObject({ code: "NOT_GRANTED_CALL" })
    }))

  it("rule paths: `*` stands for anything, `/` included; the root of a wildcard is not covered", () => {
    expect(OvhTesting.ruleCovers("/*", "/me/bill/FR1")).toBe(true)
    expect(OvhTesting.ruleCovers("/me/*", "/me")).toBe(false)
    expect(OvhTesting.ruleCovers("/sms/*/jobs", "/sms/a/jobs")).toBe(true)
    expect(OvhTesting.ruleCovers("/sms/*/jobs", "/sms/a/jobs/1")).toBe(false)
    expect(OvhTesting.ruleCovers("/me.bill", "/me-bill")).toBe(false)
  })

  it.scoped("the consumer-key flow: an unsigned request, a pending key refused, validation on its page, then calls work", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open()
      const asked = yield* request(client, { accessRules: recursiveRules(readOnly, "/me"), redirection: "https://app.example/done" })
      const sent = (yield* simulator.journal.entries).find((e) => e.path === "/1.0/auth/credential")
      expect(sent?.headers["x-ovh-signature"]).toBeUndefined()
      expect(asked.validationUrl).toMatch(/^http:\/\/ovh\.simulator\/auth\/\?credentialToken=\w{64}$/)
      const user = yield* OvhSim.connect(simulator, { consumerKey: Redacted.value(asked.consumerKey) })
      expect(yield* Effect.flip(user.get("/me"))).toMatchObject({ _tag: "AuthenticationError", status: 403, code: "INVALID_CREDENTIAL" })

      const waiting = yield* Effect.fork(awaitValidation(user, { interval: "5 seconds" }))
      yield* TestClock.adjust("10 seconds")
      const http = InProcess.make(simulator.app)
      const page = yield* http.execute(HttpClientRequest.get(asked.validationUrl))
      expect(yield* page.text).toContain("GET /me/*")
      const token = new URL(asked.validationUrl).searchParams.get("credentialToken") ?? ""
      const accepted = yield* http.execute(
        HttpClientRequest.post(`${OvhTesting.defaultOrigin}/auth/`).pipe(HttpClientRequest.bodyUrlParams({ credentialToken: token, action: "validate" }))
      )
      expect([accepted.status, accepted.headers["location"]]).toEqual([303, "https://app.example/done"])
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(waiting)).toMatchObject({ status: "validated", rules: recursiveRules(readOnly, "/me") })
      expect(yield* user.get("/me")).toMatchObject({ nichandle: "xx11111-ovh" })
      const polls = (yield* simulator.journal.entries).filter((e) => e.path === "/1.0/auth/currentCredential")
      expect(polls).toHaveLength(4)
    }))

  it.scoped("a refused key ends the wait with CredentialNotValidated; a key past its expiry stops working", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open()
      const asked = yield* request(client, { accessRules: rules(readOnly, "/me") })
      const user = yield* OvhSim.connect(simulator, { consumerKey: Redacted.value(asked.consumerKey) })
      yield* simulator.control.refuse(Redacted.value(asked.consumerKey))
      expect(yield* Effect.flip(awaitValidation(user))).toMatchObject({ _tag: "CredentialNotValidated", state: "refused" })

      const expiring = yield* simulator.control.addConsumerKey(rules(readOnly, "/me"), { expiresIn: "1 hour" })
      const shortLived = yield* OvhSim.connect(simulator, { consumerKey: expiring })
      yield* TestClock.adjust("59 minutes")
      expect(yield* shortLived.get("/me")).toMatchObject({ nichandle: "xx11111-ovh" })
      yield* TestClock.adjust("1 minute")
      expect(yield* Effect.flip(shortLived.get("/me"))).toMatchObject({ code: "INVALID_CREDENTIAL" })
    }))

  it.scoped("OAuth2: a service account buys a token (never reading the clock), a withdrawn token is replaced once, a wrong secret is refused", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open({ mode: "oauth2" })
      expect(yield* client.get("/me")).toMatchObject({ nichandle: "xx11111-ovh" })
      yield* simulator.control.expireTokens
      expect(yield* client.get("/me/bill", { category: "purchase-web" })).toHaveLength(6)
      const paths = (yield* simulator.journal.entries).map((e) => `${e.method} ${e.path}`)
      expect(paths).toEqual(["POST /auth/oauth2/token", "GET /1.0/me", "GET /1.0/me/bill", "POST /auth/oauth2/token", "GET /1.0/me/bill"])
      const wrong = yield* Effect.flip(OvhSim.open({ mode: "oauth2" }).pipe(
        Effect.flatMap(({ simulator: other }) =>
          Effect.flatMap(
            OvhSim.configOf({ ...OvhTesting.clientOptions(other.keys, undefined, "oauth2"), clientSecret: Redacted.make("wrong") }),
            (config) => Effect.flatMap(OvhSim.clientOf(other, config), (c) => c.get("/me"))
          ))
      ))
      expect(wrong).toMatchObject({ _tag: "AuthenticationError", status: 400, code: "invalid_client" })
    }))

  it.scoped("`/v1/…` paths reach the same API", () =>
    Effect.gen(function*() {
      const { client } = yield* OvhSim.open()
      expect(yield* client.get("/v1/dedicated/server")).toEqual(["abcde", "ns3001234.ip-51-68-1.eu", "ns3001235.ip-51-68-1.eu", "ns3001236.ip-51-75-2.eu"])
    }))

  it.scoped("injected faults carry OVH's error body; a failed GET is retried, a failed POST is not", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open()
      yield* simulator.faults.inject({ method: "GET", path: "/1.0/me", fault: OvhTesting.Fault.status(503) })
      const fiber = yield* Effect.fork(client.get("/me"))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toMatchObject({ nichandle: "xx11111-ovh" })
      yield* simulator.faults.inject({ method: "POST", fault: OvhTesting.Fault.html(502) })
      const failed = yield* Effect.flip(client.post("/email/domain/example.com/redirection", { from: "x@example.com", to: "y@example.com", localCopy: true }))
      expect(failed._tag).toBe("UnavailableError")
      const entries = yield* simulator.journal.entries
      expect(entries.filter((e) => e.path === "/1.0/me")).toHaveLength(2)
      expect(entries.filter((e) => e.method === "POST")).toHaveLength(1)
    }))
})

describe("OVH simulator resources", () => {
  it.scoped("filters bills by category and date, and answers details", () =>
    Effect.gen(function*() {
      const { client } = yield* OvhSim.open()
      expect(yield* client.get("/me/bill", { category: "purchase-servers", "date.from": new Date("2025-01-01T00:00:00Z") })).toEqual([
        "FR52000014",
        "FR52000018",
        "FR52000022"
      ])
      expect(yield* client.get("/me/bill/FR52000013/details")).toEqual(["FR52000013-1", "FR52000013-2"])
      expect(yield* client.get("/me/bill/FR52000013/details/FR52000013-2")).toMatchObject({ domain: "example.com", periodStart: null })
      expect(yield* Effect.flip(client.get("/me/bill", { "date.from": "yesterday" }))).toMatchObject({ _tag: "BadRequestError", message: expect.stringContaining("date.from") })
      expect(yield* Effect.flip(client.get("/me/bill/FR0"))).toMatchObject({ _tag: "NotFoundError", code: "Client::NotFound" })
    }))

  it.scoped("IPMI access: a task, then the value once the task is done, for the ttl asked", () =>
    Effect.gen(function*() {
      const { client } = yield* OvhSim.open({ simulator: { ipmiDelay: "10 seconds" } })
      const path = "/dedicated/server/ns3001234.ip-51-68-1.eu/features/ipmi/access"
      const task = yield* client.post(path, { type: "kvmipHtml5URL", ttl: "5", ipToAllow: "192.0.2.1" })
      expect(task).toMatchObject({ function: "requestAccessIPMI", status: "todo", doneDate: null })
      expect(yield* Effect.flip(client.get(path, { type: "kvmipHtml5URL" }))).toMatchObject({ _tag: "NotFoundError" })
      yield* TestClock.adjust("9 seconds")
      expect(yield* Effect.flip(client.get(path, { type: "kvmipHtml5URL" }))).toMatchObject({ _tag: "NotFoundError" })
      yield* TestClock.adjust("1 second")
      expect(yield* client.get(path, { type: "kvmipHtml5URL" })).toMatchObject({ value: expect.stringMatching(/^https:\/\/ipmi\.simulator\.invalid\/kvm\//) })
      const taskId = typeof task === "object" && task !== null ? Reflect.get(task, "taskId") : undefined
      expect(yield* client.get(`/dedicated/server/ns3001234.ip-51-68-1.eu/task/${String(taskId)}`)).toMatchObject({ status: "done" })
      yield* TestClock.adjust("5 minutes")
      expect(yield* Effect.flip(client.get(path, { type: "kvmipHtml5URL" }))).toMatchObject({ _tag: "NotFoundError" })
      expect(yield* Effect.flip(client.post(path, { type: "kvmipHtml5URL", ttl: "7" }))).toMatchObject({ _tag: "BadRequestError", message: expect.stringContaining("ttl") })
    }))

  it.scoped("mail redirections: created with a task, listed by from, a missing field named", () =>
    Effect.gen(function*() {
      const { client } = yield* OvhSim.open()
      const path = "/email/domain/example.com/redirection"
      const task = yield* client.post(path, { from: "sales@example.com", to: "contact@example.com", localCopy: false })
      expect(task).toMatchObject({ account: "sales", action: "add", domain: "example.com", type: "forward" })
      const ids = yield* client.get(path, { from: "sales@example.com" })
      expect(ids).toHaveLength(1)
      expect(yield* client.get(`${path}/${String(Array.isArray(ids) ? ids[0] : "")}`)).toMatchObject({ from: "sales@example.com", to: "contact@example.com" })
      expect(yield* Effect.flip(client.post(path, { from: "a@example.com", to: "b@example.com" }))).toMatchObject({
        _tag: "BadRequestError",
        message: expect.stringContaining("localCopy")
      })
    }))

  it.scoped("burst: read, enabled, and refused when locked", () =>
    Effect.gen(function*() {
      const { simulator, client } = yield* OvhSim.open()
      const path = "/dedicated/server/ns3001235.ip-51-68-1.eu/burst"
      expect(yield* client.get(path)).toEqual({ status: "inactive", capacity: { unit: "Mbps", value: 1000 } })
      expect(yield* client.put(path, { status: "active" })).toBeNull()
      expect(yield* client.get(path)).toMatchObject({ status: "active" })
      yield* simulator.control.setBurstLocked("ns3001235.ip-51-68-1.eu")
      expect(yield* Effect.flip(client.put(path, { status: "active" }))).toMatchObject({ _tag: "BadRequestError" })
    }))
})


