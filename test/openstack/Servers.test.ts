import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { make as makeClient } from "../../src/openstack/Client.js"
import type { OpenStackOptions } from "../../src/openstack/Config.js"
import * as Servers from "../../src/openstack/Servers.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../support/ScriptedHttp.js"

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
 * A Nova that keeps the servers it made. `createFault` decides, per POST (1-based), whether the answer is lost
 * after the server is made ("after"), the request fails before anything is made ("before"), or all goes well.
 */
const nova = (createFault: (post: number) => "after" | "before" | "none", statuses: ReadonlyArray<string> = ["ACTIVE"]) => {
  const made: Array<{ id: string; name: string; metadata: Record<string, string> }> = []
  let posts = 0
  let polls = 0
  const reply = (sent: Scripted.Sent): Scripted.Reply => {
    const url = new URL(sent.url)
    if (url.pathname === "/v3/auth/tokens") {
      return json(201, Fixtures.json("openstack", "live/keystone-POST-auth-tokens-201.json"), { "x-subject-token": "tok" })
    }
    if (url.pathname === "/v2.1/") return json(200, Fixtures.json("openstack", "live/nova-GET-v2.1-200.json"))
    if (sent.method === "POST" && url.pathname === "/v2.1/servers") {
      posts++
      const fault = createFault(posts)
      if (fault === "before") return { status: 503, body: { serviceUnavailable: { code: 503, message: "try later" } } }
      const body = JSON.parse(sent.body ?? "{}")
      const server = { id: `srv-${made.length + 1}`, name: body.server.name, metadata: body.server.metadata }
      made.push(server)
      return fault === "after" ? { drop: true } : json(202, { server: { id: server.id, links: [] } })
    }
    if (url.pathname === "/v2.1/servers/detail") {
      const pattern = new RegExp(url.searchParams.get("name") ?? "")
      return json(200, { servers: made.filter((s) => pattern.test(s.name)).map((s) => serverBody({ ...s, status: "BUILD" })) })
    }
    const server = made.find((s) => url.pathname === `/v2.1/servers/${s.id}`)
    if (server !== undefined) {
      const status = statuses[Math.min(polls++, statuses.length - 1)] ?? "ACTIVE"
      return json(200, { server: serverBody({ ...server, status, ...(status === "ERROR" ? { fault: { code: 500, message: "No valid host was found.", created: "2026-01-01T00:00:00Z" } } : {}) }) })
    }
    return json(404, { itemNotFound: { code: 404, message: "not here" } })
  }
  return { reply, made, posts: () => posts }
}

const setup = (fake: ReturnType<typeof nova>) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make(fake.reply)
    const client = yield* makeClient(options, { retry }).pipe(Effect.provide(http.layer))
    return { servers: Servers.make(client, retry), sent: http.sent }
  })

const createOptions = { name: "web-1", imageRef: "img", flavorRef: "1", networks: "auto" } as const

describe("server create never makes a second server", () => {
  it.scoped("an answer lost after Nova made the server: the client finds it instead of sending again", () =>
    Effect.gen(function*() {
      const fake = nova((n) => (n === 1 ? "after" : "none"))
      const { servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(servers.create(createOptions))
      yield* TestClock.adjust("10 seconds")
      const server = yield* Fiber.join(fiber)
      expect(fake.posts()).toBe(1)
      expect(fake.made.length).toBe(1)
      expect(server.id).toBe("srv-1")
      expect(server.metadata?.[Servers.createMarkerKey]).toMatch(/^[0-9a-f-]{36}$/)
    }))

  it.scoped("a create that failed before anything was made is sent again: one server in the end", () =>
    Effect.gen(function*() {
      const fake = nova((n) => (n === 1 ? "before" : "none"))
      const { servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(servers.create(createOptions))
      yield* TestClock.adjust("10 seconds")
      const server = yield* Fiber.join(fiber)
      expect(fake.posts()).toBe(2)
      expect(fake.made.length).toBe(1)
      expect(server.id).toBe("srv-1")
    }))

  it.scoped("every attempt lost: the marker still finds the one server made", () =>
    Effect.gen(function*() {
      const fake = nova(() => "after")
      const { servers } = yield* setup(fake)
      const fiber = yield* Effect.fork(servers.create(createOptions))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(fake.made.length).toBe(1)
    }))
})

describe("waiting for a server", () => {
  it.scoped("polls until the status is reached", () =>
    Effect.gen(function*() {
      const fake = nova(() => "none", ["BUILD", "BUILD", "ACTIVE"])
      const { servers } = yield* setup(fake)
      const created = yield* servers.create(createOptions)
      const fiber = yield* Effect.fork(servers.waitFor(created.id, "ACTIVE", { interval: "1 second" }))
      yield* TestClock.adjust("5 seconds")
      expect((yield* Fiber.join(fiber)).status).toBe("ACTIVE")
    }))

  it.scoped("fails with Nova's fault when the server goes to ERROR", () =>
    Effect.gen(function*() {
      const fake = nova(() => "none", ["BUILD", "ERROR"])
      const { servers } = yield* setup(fake)
      const created = yield* servers.create(createOptions)
      const fiber = yield* Effect.fork(Effect.flip(servers.waitFor(created.id, "ACTIVE", { interval: "1 second" })))
      yield* TestClock.adjust("5 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "ServerFaultError", status: "ERROR" })
      expect(error.message).toContain("No valid host was found.")
    }))
})
