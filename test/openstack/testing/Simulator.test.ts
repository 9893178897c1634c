import { FetchHttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Predicate, Stream, TestClock } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import * as RetryPolicy from "../../../src/core/RetryPolicy.js"
import { make } from "../../../src/openstack/Client.js"
import { createMarkerKey } from "../../../src/openstack/Servers.js"
import * as OpenStackTesting from "../../../src/openstack/testing/index.js"
import { Fault } from "../../../src/openstack/testing/index.js"

const authUrl = "http://openstack.simulator/identity/v3"
const retry = RetryPolicy.make({ attempts: 3, baseDelay: "1 second", jitter: 0 })

const setup = (options?: OpenStackTesting.MakeOptions) =>
  Effect.gen(function*() {
    const sim = yield* OpenStackTesting.make(options)
    const client = yield* make({ ...OpenStackTesting.clientOptions(sim.credentials, authUrl), retry }).pipe(
      Effect.provide(InProcess.layer(sim.app))
    )
    return { sim, client }
  })

const imageRef = OpenStackTesting.SeedIds.imageId

/** A raw GET against the simulator with a token. */
const rawGet = (sim: OpenStackTesting.OpenStackSimulator, url: string, token: string) =>
  Effect.gen(function*() {
    const response = yield* InProcess.make(sim.app).execute(
      HttpClientRequest.get(url).pipe(HttpClientRequest.setHeader("x-auth-token", token))
    )
    return { status: response.status, body: yield* response.json }
  })

describe("OpenStack simulator: services on the router", () => {
  it.effect("a path goes to the service its prefix names, exactly (case included); Keystone answers the rest", () =>
    Effect.gen(function*() {
      const sim = yield* OpenStackTesting.make()
      const answerer = (path: string) =>
        Effect.map(InProcess.make(sim.app).execute(HttpClientRequest.get(`http://openstack.simulator${path}`)), (response) =>
          response.headers["x-compute-request-id"] !== undefined ? "compute" : response.headers["x-trans-id"] !== undefined ? "object-store" : "other")
      expect(yield* answerer("/compute")).toBe("compute")
      expect(yield* answerer("/compute/v2.1/servers/%zz")).toBe("compute")
      expect(yield* answerer("/object-store/v1/AUTH_x/c/o;v=1")).toBe("object-store")
      expect(yield* answerer("/COMPUTE/v2.1")).toBe("other")
      expect(yield* answerer("/computex")).toBe("other")
      const keystone = yield* InProcess.make(sim.app).execute(HttpClientRequest.get("http://openstack.simulator/nowhere"))
      expect(yield* keystone.json).toEqual({ error: expect.objectContaining({ code: 404 }) })
    }))
})

describe("OpenStack simulator through the real client", () => {
  it.scoped("authenticates and hands out a catalog on the request's origin", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup()
      const token = yield* client.keystone.token
      expect(token.project?.name).toBe("demo")
      expect(token.user.id).toBe(sim.credentials.userId)
      expect(token.catalog.map((e) => e.type).sort()).toEqual(["block-storage", "compute", "identity", "image", "network", "object-store", "volumev3"])
      expect(yield* client.keystone.endpoint("compute")).toBe("http://openstack.simulator/compute/v2.1/")
      expect(yield* client.keystone.endpoint("image")).toBe("http://openstack.simulator/image/")
      expect(yield* client.keystone.endpoint("object-store")).toBe(
        `http://openstack.simulator/object-store/v1/AUTH_${sim.credentials.projectId}/`
      )
      expect(yield* client.keystone.endpoint("block-storage")).toBe(
        `http://openstack.simulator/block-storage/v3/${sim.credentials.projectId}/`
      )
      const expiry = Date.parse(token.expires_at)
      expect(expiry - (yield* Clock.currentTimeMillis)).toBe(3_600_000)
    }))

  it.scoped("wrong credentials answer Keystone's 401", () =>
    Effect.gen(function*() {
      const sim = yield* OpenStackTesting.make({ password: "right" })
      const result = yield* Effect.flip(
        make(OpenStackTesting.clientOptions({ ...sim.credentials, password: "wrong" }, authUrl)).pipe(
          Effect.provide(InProcess.layer(sim.app))
        )
      )
      expect(result._tag).toBe("AuthenticationError")
    }))

  it.scoped("reads flavors, images, networks and subnets", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      const flavors = yield* client.flavors.list()
      expect(flavors.items.map((f) => f.name)).toEqual(["m1.tiny", "m1.small", "m1.medium", "m1.large"])
      expect((yield* client.flavors.get("m1.small")).id).toBe("2")
      const images = yield* client.images.list()
      expect(images.items.map((i) => i.name)).toEqual([OpenStackTesting.SeedIds.imageName])
      expect((yield* client.images.get(imageRef)).status).toBe("active")
      const network = yield* client.networks.get("private")
      expect(network.subnets).toEqual([OpenStackTesting.SeedIds.subnetId])
      const subnets = yield* client.networks.subnets({ networkId: network.id })
      expect(subnets.items.map((s) => s.name)).toEqual(["private-subnet"])
    }))

  it.scoped("creates a server that is ACTIVE exactly when the build time has passed", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup({ buildDuration: "2 seconds" })
      const start = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(
        Effect.gen(function*() {
          const created = yield* client.servers.create({ name: "web-1", imageRef, flavorRef: "1", networks: "auto" })
          expect(created.status).toBe("BUILD")
          const active = yield* client.servers.waitFor(created.id, "ACTIVE", { interval: "500 millis" })
          return { active, at: yield* Clock.currentTimeMillis }
        })
      )
      yield* TestClock.adjust("5 seconds")
      const { active, at } = yield* Fiber.join(fiber)
      expect(at - start).toBe(2000)
      expect(active["OS-EXT-STS:vm_state"]).toBe("active")
      expect(active["OS-EXT-STS:power_state"]).toBe(1)
      expect(active["OS-EXT-STS:task_state"]).toBeNull()
      expect(Object.keys(active.addresses)).toEqual(["private"])
      const servers = yield* sim.state.servers
      expect(servers.map((s) => s.name)).toEqual(["web-1"])
    }))

  it.scoped("a create whose answer is lost still makes one server", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup()
      yield* sim.faults.inject({ method: "POST", path: "/compute/v2.1/servers", fault: Fault.drop, phase: "after" })
      const fiber = yield* Effect.fork(client.servers.create({ name: "lost-1", imageRef, flavorRef: "1", networks: "none" }))
      yield* TestClock.adjust("10 seconds")
      const server = yield* Fiber.join(fiber)
      const servers = yield* sim.state.servers
      expect(servers.map((s) => s.id)).toEqual([server.id])
      expect(servers[0]?.metadata[createMarkerKey]).toBeDefined()
      const posts = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/compute/v2.1/servers")
      expect(posts).toHaveLength(1)
    }))

  it.scoped("50 concurrent creates whose answers are all lost: 50 POSTs, 50 servers", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup({ maxInstances: 100 })
      yield* sim.faults.inject({ method: "POST", path: "/compute/v2.1/servers", fault: Fault.drop, phase: "after", times: 50 })
      const created = yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => `lost-${i}`),
        (name) => client.servers.create({ name, imageRef, flavorRef: "1", networks: "none" }),
        { concurrency: "unbounded" }
      )
      const servers = yield* sim.state.servers
      expect(servers).toHaveLength(50)
      expect(new Set(created.map((s) => s.id))).toEqual(new Set(servers.map((s) => s.id)))
      const posts = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/compute/v2.1/servers")
      expect(posts).toHaveLength(50)
    }))

  it.scoped("a nova-api that answers 3 s after making the server, and a 2 s client timeout: one POST, the server found", () =>
    Effect.gen(function*() {
      const { sim } = yield* setup()
      const client = yield* make({ ...OpenStackTesting.clientOptions(sim.credentials, authUrl), timeout: "2 seconds", retry }).pipe(
        Effect.provide(InProcess.layer(sim.app))
      )
      yield* sim.faults.inject({ method: "POST", path: "/compute/v2.1/servers", fault: Fault.latency("3 seconds"), phase: "after" })
      const fiber = yield* Effect.fork(client.servers.create({ name: "slow-1", imageRef, flavorRef: "1", networks: "none" }))
      yield* TestClock.adjust("2 seconds")
      const server = yield* Fiber.join(fiber)
      expect((yield* sim.state.servers).map((s) => s.id)).toEqual([server.id])
      const posts = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/compute/v2.1/servers")
      expect(posts).toHaveLength(1)
    }))

  it.scoped("a nova-api that takes 3 s to make the server, and a 2 s client timeout: one POST, one server, found once it exists", () =>
    Effect.gen(function*() {
      const { sim } = yield* setup()
      const client = yield* make({ ...OpenStackTesting.clientOptions(sim.credentials, authUrl), timeout: "2 seconds", retry }).pipe(
        Effect.provide(InProcess.layer(sim.app))
      )
      yield* sim.control.setCreateDelay("3 seconds")
      const fiber = yield* Effect.fork(client.servers.create({ name: "slow-2", imageRef, flavorRef: "1", networks: "none" }))
      // The client gives up at 2 s; nova-api makes the server at 3 s; the marker lookup at 4 s finds it.
      yield* TestClock.adjust("2 seconds")
      expect(yield* sim.state.servers).toEqual([])
      yield* TestClock.adjust("2 seconds")
      const server = yield* Fiber.join(fiber)
      expect((yield* sim.state.servers).map((s) => s.id)).toEqual([server.id])
      const posts = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/compute/v2.1/servers")
      expect(posts).toHaveLength(1)
    }))

  it.scoped("a create answered 503 with no server made: OutcomeUnknownError with the marker after 60 s, not sent again", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup()
      yield* sim.faults.inject({ method: "POST", path: "/compute/v2.1/servers", fault: Fault.status(503) })
      const fiber = yield* Effect.fork(Effect.flip(client.servers.create({ name: "unsure-1", imageRef, flavorRef: "1", networks: "none" })))
      yield* TestClock.adjust("60 seconds")
      const error = yield* Fiber.join(fiber)
      const posts = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/compute/v2.1/servers")
      expect(posts).toHaveLength(1)
      const body = posts[0]?.body
      const metadata = Predicate.hasProperty(body, "server") && Predicate.hasProperty(body.server, "metadata") ? body.server.metadata : {}
      const marker = Predicate.hasProperty(metadata, createMarkerKey) ? metadata[createMarkerKey] : undefined
      expect(marker).toMatch(/^[0-9a-f-]{36}$/)
      expect(error).toMatchObject({ _tag: "OutcomeUnknownError", status: 503, after: "UnavailableError", marker })
      expect(yield* sim.state.servers).toEqual([])
    }))

  it.scoped("quota exceeded is the client's typed error", () =>
    Effect.gen(function*() {
      const { client } = yield* setup({ maxInstances: 1 })
      yield* client.servers.create({ name: "one", imageRef, flavorRef: "1" })
      const error = yield* Effect.flip(client.servers.create({ name: "two", imageRef, flavorRef: "1" }))
      expect(error._tag).toBe("QuotaExceededError")
      expect(error.message).toContain("Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
    }))

  it.scoped("bad image and flavor refs are Nova's 400s", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      const badImage = yield* Effect.flip(client.servers.create({ name: "x", imageRef: "nope", flavorRef: "1" }))
      expect(badImage._tag).toBe("BadRequestError")
      expect(badImage.message).toContain("Can not find requested image")
      const badFlavor = yield* Effect.flip(client.servers.create({ name: "x", imageRef, flavorRef: "nope" }))
      expect(badFlavor.message).toContain("Flavor nope could not be found.")
    }))

  it.scoped("stop, start and reboot follow Nova's states; a wrong-state action is a 409", () =>
    Effect.gen(function*() {
      const { client } = yield* setup({ buildDuration: "1 second", actionDuration: "1 second" })
      const created = yield* client.servers.create({ name: "s", imageRef, flavorRef: "1" })
      yield* TestClock.adjust("1 second")
      const conflict = yield* Effect.flip(client.servers.start(created.id))
      expect(conflict._tag).toBe("ConflictError")
      expect(conflict.message).toContain("while it is in vm_state active")
      yield* client.servers.stop(created.id)
      expect((yield* client.servers.get(created.id))["OS-EXT-STS:task_state"]).toBe("powering-off")
      yield* TestClock.adjust("1 second")
      expect((yield* client.servers.get(created.id)).status).toBe("SHUTOFF")
      yield* client.servers.start(created.id)
      yield* TestClock.adjust("1 second")
      yield* client.servers.reboot(created.id)
      expect((yield* client.servers.get(created.id)).status).toBe("REBOOT")
      yield* TestClock.adjust("1 second")
      expect((yield* client.servers.get(created.id)).status).toBe("ACTIVE")
      yield* client.servers.delete(created.id)
      const gone = yield* Effect.flip(client.servers.get(created.id))
      expect(gone._tag).toBe("NotFoundError")
    }))

  it.scoped("an armed failure ends the build in ERROR with a fault", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup()
      yield* sim.control.failNextServer({ message: "No valid host was found. " })
      const created = yield* client.servers.create({ name: "doomed", imageRef, flavorRef: "1" })
      const fiber = yield* Effect.fork(Effect.flip(client.servers.waitFor(created.id, "ACTIVE", { interval: "1 second" })))
      yield* TestClock.adjust("5 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("ServerFaultError")
      expect(error.message).toContain("No valid host was found.")
    }))

  it.scoped("lists with name filter and marker paging", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      for (const name of ["a-1", "a-2", "a-3", "b-1"]) {
        yield* client.servers.create({ name, imageRef, flavorRef: "1" })
        yield* TestClock.adjust("1 second")
      }
      const first = yield* client.servers.list({ name: "^a-", limit: 2 })
      expect(first.items.map((s) => s.name)).toEqual(["a-3", "a-2"])
      const all = yield* Stream.runCollect(client.servers.listAll({ name: "^a-", limit: 2 }))
      expect([...all].map((s) => s.name)).toEqual(["a-3", "a-2", "a-1"])
    }))

  it.scoped("an expired token is renewed transparently", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup({ tokenLifetime: "1 hour" })
      yield* client.flavors.list()
      yield* TestClock.adjust("61 minutes")
      yield* client.flavors.list()
      const issued = (yield* sim.journal.entries).filter((e) => e.method === "POST" && e.path === "/identity/v3/auth/tokens")
      expect(issued).toHaveLength(2)
    }))

  it.scoped("a revoked token gets 401 everywhere; the client renews once and carries on", () =>
    Effect.gen(function*() {
      const { client, sim } = yield* setup()
      yield* client.images.list()
      const [old] = yield* sim.state.tokens
      yield* sim.control.revokeTokens
      const denied = yield* rawGet(sim, "http://openstack.simulator/compute/v2.1/servers", old?.value ?? "")
      expect(denied.status).toBe(401)
      expect(denied.body).toEqual({
        error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" }
      })
      const networks = yield* client.networks.list()
      expect(networks.items).toHaveLength(1)
      expect((yield* sim.state.tokens).filter((t) => !t.revoked)).toHaveLength(1)
    }))

  it.scoped("Keystone DELETE revokes the token it names", () =>
    Effect.gen(function*() {
      const { sim } = yield* setup()
      const [token] = yield* sim.state.tokens
      const value = token?.value ?? ""
      const http = InProcess.make(sim.app)
      const revoke = yield* http.execute(
        HttpClientRequest.del(`${authUrl}/auth/tokens`).pipe(
          HttpClientRequest.setHeaders({ "x-auth-token": value, "x-subject-token": value })
        )
      )
      expect(revoke.status).toBe(204)
      const after = yield* rawGet(sim, "http://openstack.simulator/network/v2.0/networks", value)
      expect(after.status).toBe(401)
    }))

  it.live("serves on 127.0.0.1 with a catalog on the served origin", () =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* OpenStackTesting.serve()
      expect(served.authUrl).toBe(`${served.url}/identity/v3`)
      expect(served.env["OS_AUTH_URL"]).toBe(served.authUrl)
      const client = yield* make(OpenStackTesting.clientOptions(served.simulator.credentials, served.authUrl)).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      expect(yield* client.keystone.endpoint("network")).toBe(`${served.url}/network/`)
      const flavors = yield* client.flavors.list()
      expect(flavors.items).toHaveLength(4)
    })))
})


describe("OpenStack simulator layer", () => {
  it.scoped("provides the HttpClient and the simulator; a delayed delete lingers in `deleting`", () =>
    Effect.gen(function*() {
      const sim = yield* OpenStackTesting.OpenStackSimulator
      const client = yield* make({ ...OpenStackTesting.clientOptions(sim.credentials), retry })
      const created = yield* client.servers.create({ name: "gone-soon", imageRef, flavorRef: "1" })
      yield* TestClock.adjust("2 seconds")
      yield* client.servers.delete(created.id)
      const deleting = yield* client.servers.get(created.id)
      expect(deleting["OS-EXT-STS:task_state"]).toBe("deleting")
      yield* TestClock.adjust("3 seconds")
      expect(yield* sim.state.servers).toHaveLength(0)
      expect((yield* Effect.flip(client.servers.get(created.id)))._tag).toBe("NotFoundError")
    }).pipe(Effect.provide(OpenStackTesting.layer({ deleteDuration: "3 seconds" }))))
})
