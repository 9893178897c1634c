import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientError } from "@effect/platform"
import { type Duration, Effect, Fiber, Layer, Predicate, Redacted, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { make as makeClient } from "../../src/openstack/Client.js"
import type { OpenStackOptions } from "../../src/openstack/Config.js"
import * as Servers from "../../src/openstack/Servers.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const options: OpenStackOptions = {
  authUrl: "http://127.0.0.1:5000/v3",
  auth: { type: "password", user: { id: "u" }, password: Redacted.make("pw"), scope: { project: { id: "p" } } }
}
const retry = RetryPolicy.make({ attempts: 3, baseDelay: "1 second", jitter: 0 })

const sample = Fixtures.json("openstack", "apiref/nova-server-get-v2.90.json")
const serverBody = (fields: Record<string, unknown>) =>
  typeof sample === "object" && sample !== null && "server" in sample && typeof sample.server === "object"
    ? { ...sample.server, ...fields }
    : fields

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Scripted.Reply => ({
  status,
  body,
  headers: { "content-type": "application/json", ...headers }
})

/**
 * What happens to one create sent (1-based), as a hostile or unlucky Nova does it:
 * - `ok`: made at once, answered 202;
 * - `lost`: made at once, the connection dropped before the answer;
 * - `slow`: made after `slowMs` (a busy nova-api: it goes on when the client hangs up), answered then;
 * - `failed-made`: made, then answered 500;
 * - `unavailable`: answered 503, nothing made;
 * - `silent`: never answered, nothing made;
 * - `rate-limited`: answered 429 with `Retry-After: 3`, nothing made;
 * - `quota`: answered 403 (quota), nothing made;
 * - `refused`: the connection was refused — Nova never saw the request.
 */
type CreateFault = "ok" | "lost" | "slow" | "failed-made" | "unavailable" | "silent" | "rate-limited" | "quota" | "refused"

const slowMs = 3000

/** A scripted reply, or a connection refused as undici reports it (`code: "ECONNREFUSED"`, nothing sent). */
type Reply = Scripted.Reply | { readonly refused: true }

/** A Nova that keeps the servers it made; `createFault` decides the fate of each create sent. */
const nova = (createFault: (post: number) => CreateFault, statuses: ReadonlyArray<string> = ["ACTIVE"]) => {
  const made: Array<{ id: string; name: string; metadata: Record<string, string>; visibleAt: number }> = []
  let posts = 0
  let refused = 0
  let lookups = 0
  let polls = 0
  const madeAt = (sent: Scripted.Sent, at: number) => {
    const body = JSON.parse(sent.body ?? "{}")
    const server = { id: `srv-${made.length + 1}`, name: body.server.name, metadata: body.server.metadata, visibleAt: at }
    made.push(server)
    return server
  }
  const visible = (at: number) => made.filter((s) => s.visibleAt <= at)
  const reply = (sent: Scripted.Sent): Reply => {
    const url = new URL(sent.url)
    if (url.pathname === "/v3/auth/tokens") {
      return json(201, Fixtures.json("openstack", "live/keystone-POST-auth-tokens-201.json"), { "x-subject-token": "tok" })
    }
    if (url.pathname === "/v2.1/") return json(200, Fixtures.json("openstack", "live/nova-GET-v2.1-200.json"))
    if (sent.method === "POST" && url.pathname === "/v2.1/servers") {
      const fault = createFault(posts + refused + 1)
      if (fault === "refused") {
        refused++
        return { refused: true }
      }
      posts++
      switch (fault) {
        case "unavailable":
          return { status: 503, body: { serviceUnavailable: { code: 503, message: "try later" } } }
        case "silent":
          return { delay: "1 day", then: { status: 504 } }
        case "rate-limited":
          return json(429, { overLimit: { code: 429, message: "Rate limit exceeded" } }, { "retry-after": "3" })
        case "quota":
          return json(403, { forbidden: { code: 403, message: "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances" } })
        case "slow": {
          const server = madeAt(sent, sent.at + slowMs)
          return { delay: `${slowMs} millis`, then: json(202, { server: { id: server.id, links: [] } }) }
        }
      }
      const server = madeAt(sent, sent.at)
      return fault === "lost"
        ? { drop: true }
        : fault === "failed-made"
        ? json(500, { computeFault: { code: 500, message: "Unexpected API Error." } })
        : json(202, { server: { id: server.id, links: [] } })
    }
    if (url.pathname === "/v2.1/servers/detail") {
      lookups++
      const pattern = new RegExp(url.searchParams.get("name") ?? "")
      return json(200, {
        servers: visible(sent.at).filter((s) => pattern.test(s.name)).map(({ visibleAt: _, ...s }) => serverBody({ ...s, status: "BUILD" }))
      })
    }
    const server = visible(sent.at).find((s) => url.pathname === `/v2.1/servers/${s.id}`)
    if (server !== undefined) {
      const { visibleAt: _, ...shown } = server
      const status = statuses[Math.min(polls++, statuses.length - 1)] ?? "ACTIVE"
      return json(200, { server: serverBody({ ...shown, status, ...(status === "ERROR" ? { fault: { code: 500, message: "No valid host was found.", created: "2026-01-01T00:00:00Z" } } : {}) }) })
    }
    return json(404, { itemNotFound: { code: 404, message: "not here" } })
  }
  return { reply, made, posts: () => posts, refused: () => refused, lookups: () => lookups }
}

const setup = (fake: { readonly reply: (sent: Scripted.Sent) => Reply }, settings: { readonly timeout?: Duration.DurationInput; readonly retry?: RetryPolicy.RetryPolicy } = {}) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make((sent) => {
      const reply = fake.reply(sent)
      // recorded as sent by the scripted client, then refused below before any answer
      return "refused" in reply ? { status: 599, headers: { "x-refused": "1" } } : reply
    })
    const client = HttpClient.make((request) =>
      Effect.flatMap(http.client.execute(request), (response) =>
        response.headers["x-refused"] === "1"
          ? Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              description: "connection refused",
              cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8774"), { code: "ECONNREFUSED" })
            })
          )
          : Effect.succeed(response))
    )
    const policy = settings.retry ?? retry
    const opened: OpenStackOptions = settings.timeout === undefined ? options : { ...options, timeout: settings.timeout }
    const openstack = yield* makeClient({ ...opened, retry: policy }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
    )
    return { servers: openstack.servers, sent: http.sent }
  })

const createOptions = { name: "web-1", imageRef: "img", flavorRef: "1", networks: "auto" } as const

/** The default policy's backoff (500 ms, doubling), without jitter: a lookup made by it comes 2.5 s after a create. */
const defaultBackoff = RetryPolicy.make({ attempts: 4, baseDelay: "500 millis", jitter: 0 })

/** The marker the create sent in the server's metadata. */
const markerSent = (sent: ReadonlyArray<Scripted.Sent>): string | undefined => {
  const post = sent.find((s) => s.method === "POST" && s.url.endsWith("/v2.1/servers"))
  const body: unknown = JSON.parse(post?.body ?? "{}")
  const metadata = Predicate.hasProperty(body, "server") && Predicate.hasProperty(body.server, "metadata") ? body.server.metadata : undefined
  return Predicate.hasProperty(metadata, Servers.createMarkerKey) && typeof metadata[Servers.createMarkerKey] === "string"
    ? metadata[Servers.createMarkerKey]
    : undefined
}

describe("server create never makes a second server", () => {
  it.scoped("a slow nova-api (3 s) and a 2 s client timeout: one POST, one server, found by its marker", () =>
    Effect.gen(function*() {
      const fake = nova(() => "slow")
      const { servers } = yield* setup(fake, { timeout: "2 seconds", retry: defaultBackoff })
      const fiber = yield* Effect.fork(servers.create(createOptions))
      // the create times out at 2 s; the lookups at 2 s (nothing yet) and 4 s (the server made at 3 s) settle it
      yield* TestClock.adjust("3999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(fake.posts()).toBe(1)
      expect(fake.made.length).toBe(1)
      expect(fake.lookups()).toBe(2)
      expect(fiber.unsafePoll()).not.toBeNull()
      expect((yield* Fiber.join(fiber)).id).toBe("srv-1")
    }))

  it.scoped("50 concurrent creates against the slow nova-api: 50 POSTs, 50 servers, each found by its own marker", () =>
    Effect.gen(function*() {
      const fake = nova(() => "slow")
      const { servers } = yield* setup(fake, { timeout: "2 seconds", retry: defaultBackoff })
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 50 }, (_, i) => i), (i) => servers.create({ ...createOptions, name: `web-${i}` }), {
          concurrency: "unbounded"
        })
      )
      yield* TestClock.adjust("10 seconds")
      const created = yield* Fiber.join(fiber)
      expect(fake.posts()).toBe(50)
      expect(fake.made.length).toBe(50)
      expect(new Set(created.map((s) => s.id)).size).toBe(50)
      expect(new Set(created.map((s) => s.metadata?.[Servers.createMarkerKey])).size).toBe(50)
    }))

  it.scoped("an answer lost after Nova made the server: the client finds it at once instead of sending again", () =>
    Effect.gen(function*() {
      const fake = nova((n) => (n === 1 ? "lost" : "ok"))
      const { servers } = yield* setup(fake)
      const server = yield* servers.create(createOptions)
      expect(fake.lookups()).toBe(1)
      expect(fake.posts()).toBe(1)
      expect(fake.made.length).toBe(1)
      expect(server.id).toBe("srv-1")
      expect(server.metadata?.[Servers.createMarkerKey]).toMatch(/^[0-9a-f-]{36}$/)
    }))

  it.scoped("every answer lost: still one POST, and the marker finds the one server made", () =>
    Effect.gen(function*() {
      const fake = nova(() => "lost")
      const { servers } = yield* setup(fake)
      yield* servers.create(createOptions)
      expect(fake.posts()).toBe(1)
      expect(fake.made.length).toBe(1)
    }))

  it.scoped("a 5xx after Nova made the server is not sent again: the server is found by its marker", () =>
    Effect.gen(function*() {
      const fake = nova(() => "failed-made")
      const { servers } = yield* setup(fake)
      const server = yield* servers.create(createOptions)
      expect(fake.lookups()).toBe(1)
      expect(fake.posts()).toBe(1)
      expect(server.id).toBe("srv-1")
    }))

  it.scoped("a connection refused before anything was sent is sent again after the backoff: one server", () =>
    Effect.gen(function*() {
      const fake = nova((n) => (n === 1 ? "refused" : "ok"))
      const { sent, servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(servers.create(createOptions))
      yield* TestClock.adjust("999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const server = yield* Fiber.join(fiber)
      expect(fake.refused()).toBe(1)
      expect(fake.posts()).toBe(1)
      expect(fake.made.length).toBe(1)
      expect(server.id).toBe("srv-1")
      // sent again without looking: a refused connection proves nothing was done
      expect(fake.lookups()).toBe(0)
      const creates = (yield* sent).filter((s) => s.method === "POST" && s.url.endsWith("/v2.1/servers"))
      expect(creates.map((s) => s.at)).toEqual([0, 1000])
      expect(new Set(creates.map((s) => s.body)).size).toBe(1)
    }))

  it.scoped("a 429 from Nova is sent again after its Retry-After: one server", () =>
    Effect.gen(function*() {
      const fake = nova((n) => (n === 1 ? "rate-limited" : "ok"))
      const { sent, servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(servers.create(createOptions))
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(fiber)
      expect(fake.posts()).toBe(2)
      expect(fake.made.length).toBe(1)
      expect(fake.lookups()).toBe(0)
      expect((yield* sent).filter((s) => s.method === "POST" && s.url.endsWith("/v2.1/servers")).map((s) => s.at)).toEqual([0, 3000])
    }))

  it.scoped("a 403 from Nova is final: no lookup, no second POST", () =>
    Effect.gen(function*() {
      const fake = nova(() => "quota")
      const { servers } = yield* setup(fake)
      const error = yield* Effect.flip(servers.create(createOptions))
      expect(error._tag).toBe("QuotaExceededError")
      expect(fake.posts()).toBe(1)
      expect(fake.lookups()).toBe(0)
    }))

  it.scoped("a server that never appears after a 503: OutcomeUnknownError with the marker after exactly 60 s, never sent again", () =>
    Effect.gen(function*() {
      const fake = nova(() => "unavailable")
      const { sent, servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(Effect.flip(servers.create(createOptions)))
      yield* TestClock.adjust("59999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      const marker = markerSent(yield* sent)
      expect(marker).toMatch(/^[0-9a-f-]{36}$/)
      expect(error).toMatchObject({
        _tag: "OutcomeUnknownError",
        api: "openstack",
        method: "POST",
        url: "http://127.0.0.1:8774/v2.1/servers",
        status: 503,
        marker,
        after: "UnavailableError"
      })
      expect(error.message).toContain(`client-request-id=${marker}`)
      expect(fake.posts()).toBe(1)
      // a lookup at once, then every 2 s up to 60 s
      expect(fake.lookups()).toBe(31)
    }))

  it.scoped("a create that is never answered: lookups on the window and interval asked for, then OutcomeUnknownError", () =>
    Effect.gen(function*() {
      const fake = nova(() => "silent")
      const { servers } = yield* setup(fake, { timeout: "2 seconds" })
      const fiber = yield* Effect.fork(
        Effect.flip(servers.create({ ...createOptions, reconcile: { interval: "5 seconds", window: "20 seconds" } }))
      )
      // the timeout at 2 s, then lookups at 2, 7, 12, 17 and 22 s
      yield* TestClock.adjust("21999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "OutcomeUnknownError", after: "TimeoutError" })
      expect(fake.posts()).toBe(1)
      expect(fake.lookups()).toBe(5)
    }))
})

describe("waiting for a server", () => {
  it.scoped("polls until the status is reached", () =>
    Effect.gen(function*() {
      const fake = nova(() => "ok", ["BUILD", "BUILD", "ACTIVE"])
      const { servers } = yield* setup(fake)
      const created = yield* servers.create(createOptions)
      const fiber = yield* Effect.fork(servers.waitFor(created.id, "ACTIVE", { interval: "1 second" }))
      yield* TestClock.adjust("5 seconds")
      expect((yield* Fiber.join(fiber)).status).toBe("ACTIVE")
    }))

  it.scoped("fails with Nova's fault when the server goes to ERROR", () =>
    Effect.gen(function*() {
      const fake = nova(() => "ok", ["BUILD", "ERROR"])
      const { servers } = yield* setup(fake)
      const created = yield* servers.create(createOptions)
      const fiber = yield* Effect.fork(Effect.flip(servers.waitFor(created.id, "ACTIVE", { interval: "1 second" })))
      yield* TestClock.adjust("5 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "ServerFaultError", status: "ERROR" })
      expect(error.message).toContain("No valid host was found.")
    }))
})
