import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Veil from "../../../src/veil/testing/index.js"

const { SeedIds, rawRequest } = Veil

const Page = Schema.Struct({
  count: Schema.Number,
  next: Schema.NullOr(Schema.String),
  previous: Schema.NullOr(Schema.String),
  results: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
const page = Schema.decodeUnknownSync(Page)
const names = (body: unknown) => page(body).results.map((r) => r["verbose_name"])

describe("VeiL simulator: authentication and errors", () => {
  it.effect("accepts the token, with the jwt prefix in any case", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      expect(sim.token).toBe(Veil.defaultToken)
      expect((yield* rawRequest("GET", "/api/controllers/check/")).status).toBe(200)
      const upper = sim.token.replace(/^jwt /, "JWT ")
      const res = yield* rawRequest("GET", "/api/controllers/check/", { token: upper })
      expect(res).toMatchObject({ status: 200, body: {} })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("401 without credentials and with a wrong token, with ECP bodies", () =>
    Effect.gen(function*() {
      const missing = yield* rawRequest("GET", "/api/domains/", { token: null })
      expect(missing.status).toBe(401)
      expect(missing.body).toEqual({
        errors: [{ code: "not_authenticated", detail: "Authentication credentials were not provided." }]
      })
      const wrong = yield* rawRequest("GET", "/api/domains/", { token: "jwt not-the-token" })
      expect(wrong.status).toBe(401)
      expect(wrong.body).toEqual({ errors: [{ detail: "Signature has expired.", code: "invalid" }] })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("a custom token is accepted (the jwt prefix is added when missing)", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      expect(sim.token).toBe("jwt my-token")
      expect((yield* rawRequest("GET", "/api/domains/", { token: "jwt my-token" })).status).toBe(200)
      expect((yield* rawRequest("GET", "/api/domains/", { token: Veil.defaultToken })).status).toBe(401)
    }).pipe(Effect.provide(Veil.layer({ token: "my-token" }))))

  it.effect("unknown URLs (and missing trailing slashes) answer the real 500 50004 body", () =>
    Effect.gen(function*() {
      const unknown = yield* rawRequest("GET", "/api/nothing-here/")
      expect(unknown).toMatchObject({ status: 500, body: { errors: [{ code: "50004", detail: "URL is not found." }] } })
      expect((yield* rawRequest("GET", "/api/domains")).status).toBe(500)
      expect((yield* rawRequest("GET", "/api/domains/", { token: null })).status).toBe(401)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("unknown entities answer 404 with code 40400", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("GET", "/api/domains/00000000-0000-4000-8000-000000000000/")
      expect(res.status).toBe(404)
      expect(res.body).toEqual({
        errors: [{ code: "40400", detail: "Domain 00000000-0000-4000-8000-000000000000 not found." }]
      })
      expect((yield* rawRequest("GET", "/api/nodes/nope/")).status).toBe(404)
      expect((yield* rawRequest("POST", `/api/domains/${SeedIds.nodes[0]}/start/`, { body: {} })).status).toBe(404)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("controller endpoints", () =>
    Effect.gen(function*() {
      expect((yield* rawRequest("GET", "/api/controllers/base-version/")).body).toEqual({ version: "4.6.0" })
      expect((yield* rawRequest("GET", "/api/controllers/system-time/")).body).toMatchObject({
        system_time: "1970-01-01T00:00:00.000000Z"
      })
      const list = page((yield* rawRequest("GET", "/api/controllers/")).body)
      expect(list.results[0]).toMatchObject({ id: SeedIds.controller, version: "4.6.0" })
    }).pipe(Effect.provide(Veil.layer())))
})

describe("VeiL simulator: seed and lists", () => {
  it.effect("the seed: 1 cluster, 3 nodes, 2 data pools, 1 resource pool, 2 templates + N domains", () =>
    Effect.gen(function*() {
      expect(page((yield* rawRequest("GET", "/api/clusters/")).body).count).toBe(1)
      expect(page((yield* rawRequest("GET", "/api/nodes/")).body).count).toBe(3)
      expect(page((yield* rawRequest("GET", "/api/data-pools/")).body).count).toBe(2)
      expect(page((yield* rawRequest("GET", "/api/resource-pools/")).body).count).toBe(1)
      expect(page((yield* rawRequest("GET", "/api/resource_pools/")).body).count).toBe(1)
      expect(page((yield* rawRequest("GET", "/api/domains/")).body).count).toBe(14)
      const templates = yield* rawRequest("GET", "/api/domains/", { query: { template: 1 } })
      expect(names(templates.body)).toEqual(["alt_linux_template", "win10_template"])
      const vms = yield* rawRequest("GET", "/api/domains/", { query: { template: 0 } })
      expect(page(vms.body).count).toBe(12)
      expect(page((yield* rawRequest("GET", "/api/vdisks/")).body).count).toBe(14)
      expect(page((yield* rawRequest("GET", "/api/tags/")).body).count).toBe(3)
      expect(page((yield* rawRequest("GET", "/api/events/")).body).count).toBe(3)
      expect(page((yield* rawRequest("GET", "/api/library/", { query: { domain: SeedIds.domain(0) } })).body).count)
        .toBe(2)
      const sim = yield* Veil.VeilSimulator
      const domains = yield* sim.state.domains
      expect(domains.find((d) => d.id === SeedIds.domain(3))?.verbose_name).toBe(SeedIds.domainName(3))
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("the number of seeded domains is an option", () =>
    Effect.gen(function*() {
      expect(page((yield* rawRequest("GET", "/api/domains/", { query: { template: 0 } })).body).count).toBe(250)
      expect(page((yield* rawRequest("GET", "/api/domains/")).body).results).toHaveLength(100)
    }).pipe(Effect.provide(Veil.layer({ domains: 250 }))))

  it.effect("paging envelope: limit/offset with next and previous on the request's origin", () =>
    Effect.gen(function*() {
      const first = page((yield* rawRequest("GET", "/api/domains/", { query: { limit: 5 } })).body)
      expect(first.count).toBe(14)
      expect(first.results).toHaveLength(5)
      expect(first.next).toBe("http://ecp.simulator/api/domains/?limit=5&offset=5")
      expect(first.previous).toBeNull()
      const second = page((yield* rawRequest("GET", "/api/domains/", { query: { limit: 5, offset: 5 } })).body)
      expect(second.next).toBe("http://ecp.simulator/api/domains/?limit=5&offset=10")
      expect(second.previous).toBe("http://ecp.simulator/api/domains/?limit=5")
      const last = page((yield* rawRequest("GET", "/api/domains/", { query: { limit: 5, offset: 10 } })).body)
      expect(last.results).toHaveLength(4)
      expect(last.next).toBeNull()
      expect(last.previous).toBe("http://ecp.simulator/api/domains/?limit=5&offset=5")
      const ids = [...first.results, ...second.results, ...last.results].map((r) => r["id"])
      expect(new Set(ids).size).toBe(14)
      const filtered = page(
        (yield* rawRequest("GET", "/api/domains/", { query: { template: 0, limit: 2 }, baseUrl: "https://ecp.example:8443" }))
          .body
      )
      expect(filtered.next).toBe("https://ecp.example:8443/api/domains/?template=0&limit=2&offset=2")
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("name filter, ordering, fields and all_content", () =>
    Effect.gen(function*() {
      expect(names((yield* rawRequest("GET", "/api/domains/", { query: { name: "ASTRA" } })).body)).toEqual([
        "astra-web-01",
        "astra-web-02"
      ])
      const ordered = names(
        (yield* rawRequest("GET", "/api/domains/", { query: { ordering: "-verbose_name", limit: 3 } })).body
      )
      expect(ordered).toEqual(["win2019-ad", "win10_template", "win10-kiosk-03"])
      const byMemory = page(
        (yield* rawRequest("GET", "/api/domains/", { query: { ordering: "memory_count,verbose_name", template: 0 } })).body
      ).results.map((r) => r["memory_count"])
      expect(byMemory).toEqual([...byMemory].sort((a, b) => Number(a) - Number(b)))
      const fields = page(
        (yield* rawRequest("GET", "/api/domains/", { query: { fields: "id,guest_utils", power_state: "ON", limit: 1 } }))
          .body
      )
      expect(Object.keys(fields.results[0] ?? {})).toEqual(["id", "guest_utils"])
      expect(fields.results[0]?.["guest_utils"]).toMatchObject({ qemu_state: true })
      const full = page((yield* rawRequest("GET", "/api/domains/", { query: { all_content: 1, limit: 1 } })).body)
      expect(full.results[0]).toHaveProperty("cpu_topology")
      expect(full.results[0]).toHaveProperty("permissions")
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("domain filters: power_state, ids, node, datapool, cluster, resource_pool, parent", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      const all = yield* sim.state.domains
      const count = (query: Record<string, string | number>) =>
        Effect.map(rawRequest("GET", "/api/domains/", { query }), (r) => page(r.body).count)
      expect(yield* count({ power_state: "ON" })).toBe(all.filter((d) => d.user_power_state === 3).length)
      expect(yield* count({ power_state: "off" })).toBe(all.filter((d) => d.user_power_state === 1).length)
      expect(yield* count({ ids: `${SeedIds.domain(0)},${SeedIds.domain(5)}` })).toBe(2)
      expect(yield* count({ node: SeedIds.nodes[1] })).toBe(all.filter((d) => d.nodeId === SeedIds.nodes[1]).length)
      expect(yield* count({ datapool: SeedIds.datapools.local })).toBe(
        all.filter((d) => d.datapoolId === SeedIds.datapools.local).length
      )
      expect(yield* count({ cluster: SeedIds.cluster })).toBe(14)
      expect(yield* count({ resource_pool: SeedIds.resourcePool })).toBe(14)
      expect(yield* count({ parent: SeedIds.templates.windows })).toBe(
        all.filter((d) => d.parentId === SeedIds.templates.windows).length
      )
      const bad = yield* rawRequest("GET", "/api/domains/", { query: { power_state: "BROKEN" } })
      expect(bad.status).toBe(400)
      expect(bad.body).toEqual({
        errors: [{ code: "40000", detail: "power_state: Select a valid choice. BROKEN is not one of the available choices." }]
      })
      const badNode = yield* rawRequest("GET", "/api/domains/", { query: { node: "x" } })
      expect(badNode.status).toBe(400)
      expect(JSON.stringify(badNode.body)).toContain("node:")
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("filters of the other lists", () =>
    Effect.gen(function*() {
      const count = (path: string, query: Record<string, string>) =>
        Effect.map(rawRequest("GET", path, { query }), (r) => page(r.body).count)
      expect(yield* count("/api/data-pools/", { node: SeedIds.nodes[0] })).toBe(2)
      expect(yield* count("/api/data-pools/", { node: SeedIds.nodes[2] })).toBe(1)
      expect(yield* count("/api/data-pools/", { cluster: SeedIds.cluster })).toBe(2)
      expect(yield* count("/api/data-pools/", { resource_pool: SeedIds.resourcePool })).toBe(2)
      expect(yield* count("/api/nodes/", { cluster: SeedIds.cluster })).toBe(3)
      expect(yield* count("/api/nodes/", { resource_pool: SeedIds.resourcePool })).toBe(3)
      expect(yield* count("/api/tags/", { entity_uuid: SeedIds.domain(0), entity_class: "domain" })).toBe(2)
      expect(yield* count("/api/tags/", { name: "prod" })).toBe(1)
      expect(yield* count("/api/library/", { datapool: SeedIds.datapools.nfs })).toBe(2)
      expect(yield* count("/api/events/", { type: "warning" })).toBe(1)
      expect(yield* count("/api/events/", { user: "admin" })).toBe(2)
      const usage = yield* rawRequest("GET", `/api/clusters/${SeedIds.cluster}/usage/`)
      expect(usage.body).toMatchObject({ domains_count: 14 })
      const nodeUsage = yield* rawRequest("GET", `/api/nodes/${SeedIds.nodes[0]}/usage/`)
      expect(nodeUsage.status).toBe(200)
    }).pipe(Effect.provide(Veil.layer())))
})
