/**
 * Fidelity of the simulator to the client: every read the VeiL client has, sent through the client to the
 * in-process simulator, decodes with the client's own schemas — and what comes back agrees with the seed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Domain, DomainRow, firstIpv4, isPowered, qemuState } from "../../../src/veil/Domain.js"
import { Chunk, Duration, Effect, Fiber, Schema, Stream, TestClock } from "effect"
import { VeilClient } from "../../../src/veil/Client.js"
import {
  BaseVersion,
  Cluster,
  ClusterRow,
  Controller,
  DataPool,
  DataPoolRow,
  Node,
  NodeRow,
  ResourcePool,
  ResourcePoolRow,
  VDisk,
  VDiskRow
} from "../../../src/veil/Infrastructure.js"
import { Event, LibraryFile } from "../../../src/veil/Records.js"
import { Tag } from "../../../src/veil/Tag.js"
import { Task } from "../../../src/veil/Task.js"
import { SeedIds } from "../../../src/veil/testing/Seed.js"
import * as VeilSim from "../../support/VeilSim.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** Runs `effect` in a fiber while the virtual clock moves on by `by`, then joins it. */
const withClock = <A, E, R>(effect: Effect.Effect<A, E, R>, by: Duration.DurationInput = "10 seconds") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(by)
    return yield* Fiber.join(fiber)
  })

describe("VeiL simulator fidelity: inventory reads decode with the client's schemas", () => {
  it.effect("clusters: list, get, usage", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.clusters.list()
      expect(page.count).toBe(1)
      expect(Schema.is(ClusterRow)(page.items[0])).toBe(true)
      expect(page.items[0]).toMatchObject({ id: SeedIds.cluster, verbose_name: "cluster_115", status: "ACTIVE" })
      const cluster = yield* veil.clusters.get(SeedIds.cluster)
      expect(Schema.is(Cluster)(cluster)).toBe(true)
      expect(cluster.id).toBe(SeedIds.cluster)
      expect(cluster.created).toMatch(iso)
      expect(cluster.nodes?.map((n) => n.id).sort()).toEqual([...SeedIds.nodes].sort())
      expect(yield* veil.clusters.usage(SeedIds.cluster)).toBeDefined()
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("nodes: list, get, usage", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.nodes.list()
      expect(page.count).toBe(3)
      expect(page.items.every((n) => Schema.is(NodeRow)(n))).toBe(true)
      expect(page.items.map((n) => n.id).sort()).toEqual([...SeedIds.nodes].sort())
      expect(page.items.every((n) => n.cluster?.id === SeedIds.cluster)).toBe(true)
      const node = yield* veil.nodes.get(SeedIds.nodes[0])
      expect(Schema.is(Node)(node)).toBe(true)
      expect(node).toMatchObject({ id: SeedIds.nodes[0], management_ip: "192.168.11.111", version: "4.6.0" })
      expect(node.cluster?.id).toBe(SeedIds.cluster)
      const filtered = yield* veil.nodes.list({ cluster: SeedIds.cluster })
      expect(filtered.count).toBe(3)
      expect(yield* veil.nodes.usage(SeedIds.nodes[0])).toBeDefined()
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("data pools: list, get, filter by node", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.dataPools.list()
      expect(page.count).toBe(2)
      expect(page.items.every((p) => Schema.is(DataPoolRow)(p))).toBe(true)
      const nfs = yield* veil.dataPools.get(SeedIds.datapools.nfs)
      expect(Schema.is(DataPool)(nfs)).toBe(true)
      expect(nfs).toMatchObject({ id: SeedIds.datapools.nfs, verbose_name: "nfs_storage", type: "nfs" })
      expect(nfs.size).toBeGreaterThan(nfs.used_space ?? Infinity)
      const onNode2 = yield* veil.dataPools.list({ node: SeedIds.nodes[2] })
      expect(onNode2.items.map((p) => p.id)).toEqual([SeedIds.datapools.nfs])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("resource pools: list, get (under resource-pools/)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.resourcePools.list()
      expect(page.items).toHaveLength(1)
      expect(Schema.is(ResourcePoolRow)(page.items[0])).toBe(true)
      const pool = yield* veil.resourcePools.get(SeedIds.resourcePool)
      expect(Schema.is(ResourcePool)(pool)).toBe(true)
      expect(pool.id).toBe(SeedIds.resourcePool)
      const paths = (yield* VeilSim.requestsTo("resource")).map((r) => r.path)
      expect(paths).toEqual(["/api/resource-pools/", `/api/resource-pools/${SeedIds.resourcePool}/`])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("vdisks: list (one per seeded domain), get", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const all = yield* Stream.runCollect(veil.vdisks.listAll({ limit: 5 }))
      expect(Chunk.size(all)).toBe(14)
      expect(Chunk.toReadonlyArray(all).every((v) => Schema.is(VDiskRow)(v) && uuid.test(v.id))).toBe(true)
      const first = Chunk.unsafeGet(all, 0)
      const vdisk = yield* veil.vdisks.get(first.id)
      expect(Schema.is(VDisk)(vdisk)).toBe(true)
      expect(vdisk.id).toBe(first.id)
      expect(vdisk.size).toBeGreaterThan(0)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("library: list, get, filter by domain", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.library.list()
      expect(page.items.map((f) => f.id).sort()).toEqual([...SeedIds.backups].sort())
      expect(page.items.every((f) => Schema.is(LibraryFile)(f) && f.assignment_type === "backup")).toBe(true)
      const file = yield* veil.library.get(SeedIds.backups[0])
      expect(file.filename).toMatch(/\.ecp$/)
      const ofDomain = yield* veil.library.list({ domain: SeedIds.domain(0) })
      expect(ofDomain.count).toBe(2)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("events: list, get, filter by type", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.events.list()
      expect(page.count).toBe(3)
      expect(page.items.every((e) => Schema.is(Event)(e) && e.created !== undefined && iso.test(e.created))).toBe(true)
      const first = page.items[0]
      if (first === undefined) return expect.unreachable("an event")
      const event = yield* veil.events.get(first.id)
      expect(event.message).toBe(first.message)
      expect(event.entities?.[0]?.entity_class).toBe("domain")
      const warnings = yield* veil.events.list({ type: "warning" })
      expect(warnings.count).toBe(1)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("tags: list, get, and an entity's tags", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.tags.list()
      expect(page.items.map((t) => t.verbose_name).sort()).toEqual(["production", "unused", "vdi-pool"])
      const production = yield* veil.tags.get(SeedIds.tags.production)
      expect(Schema.is(Tag)(production)).toBe(true)
      expect(production.colour).toBe("#ff0000")
      expect(production.ui_entities.map((e) => e.entity_uuid)).toContain(SeedIds.domain(0))
      const ofDomain = yield* veil.domains.tags(SeedIds.domain(0))
      expect(ofDomain.items.map((t) => t.verbose_name)).toContain("production")
      const domain = yield* veil.domains.get(SeedIds.domain(0))
      expect(domain.tags?.map((t) => t.verbose_name)).toContain("production")
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("controllers: list, get, baseVersion, check, systemTime", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.controllers.list()
      expect(page.items).toHaveLength(1)
      expect(Schema.is(Controller)(page.items[0])).toBe(true)
      const controller = yield* veil.controllers.get(SeedIds.controller)
      expect(controller).toMatchObject({ id: SeedIds.controller, version: "4.6.0" })
      const version = yield* veil.controllers.baseVersion
      expect(version).toBeInstanceOf(BaseVersion)
      expect(version.parts).toEqual([4, 6, 0])
      expect(version.atLeast(4, 3)).toBe(true)
      yield* veil.controllers.check
      expect(yield* veil.controllers.systemTime).toMatchObject({ system_time: expect.stringMatching(iso) })
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL simulator fidelity: domains", () => {
  it.effect("list with fields: \"all\" gives full rows (all_content=1) that decode as rows and as details", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.domains.list({ fields: "all" })
      expect(page.count).toBe(14)
      expect(page.items.every((d) => Schema.is(DomainRow)(d))).toBe(true)
      expect(page.items.every((d) => d.cpu_topology?.cpu_count !== undefined)).toBe(true)
      const [request] = (yield* VeilSim.requestsTo("/api/domains/")).filter((r) => r.path === "/api/domains/")
      expect(request?.query).toEqual({ all_content: "1" })
      for (const row of page.items) {
        const detail = yield* veil.domains.get(row.id)
        expect(Schema.is(Domain)(detail)).toBe(true)
        expect(detail).toMatchObject({ id: row.id, verbose_name: row.verbose_name, user_power_state: row.user_power_state })
        expect(detail.permissions).toContain("start")
      }
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("list with chosen fields answers only those", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.domains.list({ fields: ["id", "verbose_name"], limit: 3 })
      expect(page.items).toHaveLength(3)
      for (const row of page.items) {
        expect(row.id).toMatch(uuid)
        expect(row.memory_count).toBeUndefined()
      }
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a running domain's detail has guest utils and an IPv4; a stopped one has none", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const running = yield* veil.domains.get(SeedIds.domain(0))
      expect(isPowered(running)).toBe(true)
      expect(qemuState(running)).toBe(true)
      expect(firstIpv4(running)).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
      const stopped = yield* veil.domains.get(SeedIds.domain(1))
      expect(isPowered(stopped)).toBe(false)
      expect(firstIpv4(stopped)).toBeUndefined()
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL simulator fidelity: tasks", () => {
  it.effect("the tasks of actions decode: handles, list, get, response, jid, count", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const start = yield* veil.domains.start(SeedIds.domain(1))
      expect(start.task).toBeInstanceOf(Task)
      expect(start.task).toMatchObject({ status: "IN_PROGRESS", progress: 0 })
      expect(start.task.entitiesOf("domain")).toEqual([SeedIds.domain(1)])
      const created = yield* veil.domains.create({ verboseName: "fidelity-vm", parent: SeedIds.templates.linux })
      expect(created.task.entity).toBe(created.ids[0])
      expect(created.task.task.is_multitask).toBe(true)
      const tag = yield* veil.tags.create({ verboseName: "fidelity-tag" })
      expect(tag.task.firstEntity).toMatch(uuid)
      const done = yield* withClock(Effect.all([start.wait(), created.task.wait(), tag.wait()]))
      expect(done.map((t) => t.status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"])
      const [finished] = done
      expect(finished.finished_time).toMatch(iso)
      expect(finished.executed).toBe(3)

      const page = yield* veil.tasks.list({ limit: 100 })
      expect(page.items.every((t) => t instanceof Task && uuid.test(t.id))).toBe(true)
      expect(page.items.map((t) => t.id)).toEqual(expect.arrayContaining([start.id, created.task.id, tag.id]))
      const children = yield* veil.tasks.list({ parent: created.task.id })
      expect(children.items.map((t) => t.status)).toEqual(["SUCCESS"])
      expect(children.items[0]?.entitiesOf("domain")).toEqual(created.ids)
      const succeeded = yield* veil.tasks.list({ status: "SUCCESS" })
      expect(succeeded.items.every((t) => t.status === "SUCCESS")).toBe(true)

      const again = yield* veil.tasks.get(start.id)
      expect(again.status).toBe("SUCCESS")
      const handle = yield* veil.tasks.handle(start.id)
      expect(handle.task.status).toBe("SUCCESS")
      expect(yield* created.task.response).toMatchObject({ id: created.ids[0], verbose_name: "fidelity-vm" })
      expect(yield* veil.tasks.jid(start.id)).toMatchObject({ jid: expect.any(String) })
      expect(yield* veil.tasks.count).toMatchObject({ in_progress: 0 })
      expect(yield* veil.tasks.check).toEqual({})
      const tagged = yield* veil.tags.get(tag.task.firstEntity ?? "")
      expect(tagged.verbose_name).toBe("fidelity-tag")
    }).pipe(Effect.provide(VeilSim.layer())))
})
