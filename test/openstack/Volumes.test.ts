/**
 * Cinder v3 volumes and snapshots, declared with core's `Resource`, against the simulator; bodies shaped like the
 * block-storage api-ref's samples decode.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Option, Schema, Stream, TestClock } from "effect"
import * as InProcess from "../../src/core/testing/InProcess.js"
import { make } from "../../src/openstack/Client.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"
import * as Volumes from "../../src/openstack/Volumes.js"

/** The shape of the api-ref's "Show a volume's details" response (values of our own). */
const volumeSample = {
  volume: {
    attachments: [],
    availability_zone: "nova",
    bootable: "false",
    consistencygroup_id: null,
    created_at: "2026-01-02T03:04:05.678901",
    description: null,
    encrypted: false,
    id: "0b5b0c3e-2f4d-4a8e-9d1e-111111111111",
    links: [{ href: "http://cinder.example/v3/p1/volumes/0b5b0c3e-2f4d-4a8e-9d1e-111111111111", rel: "self" }],
    metadata: {},
    migration_status: null,
    multiattach: false,
    name: null,
    "os-vol-host-attr:host": null,
    "os-vol-mig-status-attr:migstat": null,
    "os-vol-mig-status-attr:name_id": null,
    "os-vol-tenant-attr:tenant_id": "p1",
    replication_status: null,
    size: 10,
    snapshot_id: null,
    source_volid: null,
    status: "creating",
    updated_at: null,
    user_id: "u1",
    volume_type: null
  }
}

/** The shape of the api-ref's "Show a snapshot's details" response (values of our own). */
const snapshotSample = {
  snapshot: {
    created_at: "2026-01-02T03:04:05.678901",
    description: "nightly",
    id: "5d1c7a2e-8f0b-4c3d-a1b2-222222222222",
    metadata: { key: "v3" },
    name: "snap-1",
    "os-extended-snapshot-attributes:progress": "0%",
    "os-extended-snapshot-attributes:project_id": "p1",
    size: 10,
    status: "creating",
    updated_at: null,
    volume_id: "0b5b0c3e-2f4d-4a8e-9d1e-111111111111"
  }
}

const setup = Effect.gen(function*() {
  const sim = yield* OpenStackTesting.make()
  const client = yield* make(OpenStackTesting.clientOptions(sim.credentials, "http://openstack.simulator/identity/v3")).pipe(
    Effect.provide(InProcess.layer(sim.app))
  )
  const prefix = `/block-storage/v3/${sim.credentials.projectId}/`
  const calls = Effect.map(sim.journal.entries, (entries) =>
    entries.filter((e) => e.path.startsWith(prefix)).map((e) => `${e.method} ${e.path.slice(prefix.length)}`))
  return { sim, volumes: client.volumes, calls }
})

describe("Cinder volumes", () => {
  it("decodes bodies of the api-ref's shape; a body without a size is refused", () => {
    const volume = Volumes.volumes.one.read(Schema.decodeUnknownSync(Volumes.volumes.one.schema)(volumeSample))
    expect(volume).toMatchObject({ status: "creating", size: 10, name: null, bootable: "false" })
    const list = Schema.decodeUnknownSync(Volumes.volumes.list.schema)({
      volumes: [volumeSample.volume],
      volumes_links: [{ href: "http://cinder.example/v3/p1/volumes/detail?limit=1&marker=m1", rel: "next" }]
    })
    expect(Volumes.volumes.list.read(list)).toMatchObject({ next: "m1" })
    const snapshot = Volumes.snapshots.one.read(Schema.decodeUnknownSync(Volumes.snapshots.one.schema)(snapshotSample))
    expect(snapshot).toMatchObject({ volume_id: volumeSample.volume.id, metadata: { key: "v3" } })
    const { size: _size, ...sizeless } = volumeSample.volume
    expect(() => Schema.decodeUnknownSync(Volumes.volumes.one.schema)({ volume: sizeless })).toThrow(/size/)
  })

  it.scoped("creates, lists by filter and by marker (newest first), lists all, gets and renames volumes", () =>
    Effect.gen(function*() {
      const { volumes, calls } = yield* setup
      const a = yield* volumes.create({ size: 1, name: "a", metadata: { tier: "gold" } })
      const b = yield* volumes.create({ size: 2, name: "b" })
      const c = yield* volumes.create({ size: 3, name: "c", description: "third" })
      expect(a).toMatchObject({ status: "creating", size: 1, name: "a", metadata: { tier: "gold" } })
      const page = yield* volumes.list({ limit: 1 })
      expect(page.items.map((v) => v.id)).toEqual([c.id])
      expect(page.next).toEqual(Option.some(c.id))
      expect((yield* volumes.list({ limit: 1, marker: c.id })).items.map((v) => v.id)).toEqual([b.id])
      const all = yield* Stream.runCollect(volumes.listAll({ limit: 2 }))
      expect(Chunk.toReadonlyArray(all).map((v) => v.name)).toEqual(["c", "b", "a"])
      expect((yield* volumes.list({ metadata: { tier: "gold" } })).items.map((v) => v.id)).toEqual([a.id])
      expect((yield* volumes.list({ name: "b" })).items.map((v) => v.id)).toEqual([b.id])
      expect((yield* volumes.list({ sort: "size:asc" })).items.map((v) => v.name)).toEqual(["a", "b", "c"])
      expect((yield* volumes.get(c.id)).description).toBe("third")
      expect(yield* volumes.update(b.id, { name: "b2" })).toMatchObject({ id: b.id, name: "b2", size: 2 })
      expect((yield* volumes.get(b.id)).name).toBe("b2")
      const sent = yield* calls
      expect(sent.slice(0, 5)).toEqual(["POST volumes", "POST volumes", "POST volumes", "GET volumes/detail", "GET volumes/detail"])
      // listAll: two pages of two asked for, the second not full, so no third
      expect(sent.slice(5, 7)).toEqual(["GET volumes/detail", "GET volumes/detail"])
      expect(sent).toContain(`PUT volumes/${b.id}`)
      expect(sent).toContain(`GET volumes/${c.id}`)
    }))

  it.scoped("waits for a volume to become available exactly when Cinder is done making it", () =>
    Effect.gen(function*() {
      const { volumes } = yield* setup
      const made = yield* volumes.create({ size: 1, name: "w" })
      const fiber = yield* Effect.fork(volumes.waitFor(made.id, "available", { interval: "100 millis" }))
      yield* TestClock.adjust("1999 millis")
      expect((yield* volumes.get(made.id)).status).toBe("creating")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(OpenStackTesting.cinderTimings.create).toBe("2 seconds")
      expect((yield* Fiber.join(fiber)).status).toBe("available")
      expect((yield* volumes.get(made.id)).status).toBe("available")
    }))

  it.scoped("fails the wait with VolumeStatusError naming the volume when it ends in error", () =>
    Effect.gen(function*() {
      const { volumes } = yield* setup
      const made = yield* volumes.create({ size: OpenStackTesting.cinderTimings.capacityGiB + 1, name: "too-big" })
      const fiber = yield* Effect.fork(Effect.flip(volumes.waitFor(made.id)))
      yield* TestClock.adjust(OpenStackTesting.cinderTimings.create)
      const error = yield* Fiber.join(fiber)
      expect(error).toBeInstanceOf(Volumes.VolumeStatusError)
      expect(error).toMatchObject({ _tag: "VolumeStatusError", volumeId: made.id, status: "error" })
      expect(error.message).toBe(`volume ${made.id} went to error`)
    }))

  it.scoped("snapshots a volume once it is available; a volume with snapshots is not deleted (400); deletes count twice as done", () =>
    Effect.gen(function*() {
      const { volumes } = yield* setup
      const volume = yield* volumes.create({ size: 4, name: "data" })
      const early = yield* Effect.flip(volumes.snapshots.create({ volumeId: volume.id, name: "too-soon" }))
      expect(early).toMatchObject({ _tag: "BadRequestError", status: 400 })
      expect(early.message).toContain("current status is: creating")
      yield* TestClock.adjust(OpenStackTesting.cinderTimings.create)
      const snapshot = yield* volumes.snapshots.create({ volumeId: volume.id, name: "s1", description: "first" })
      expect(snapshot).toMatchObject({ status: "creating", size: 4, volume_id: volume.id, name: "s1" })
      const waited = yield* Effect.fork(volumes.snapshots.waitFor(snapshot.id))
      yield* TestClock.adjust(OpenStackTesting.cinderTimings.create)
      expect((yield* Fiber.join(waited)).status).toBe("available")
      expect((yield* volumes.snapshots.list({ volumeId: volume.id })).items.map((s) => s.id)).toEqual([snapshot.id])
      expect((yield* volumes.snapshots.update(snapshot.id, { name: "s1b" })).name).toBe("s1b")

      const refused = yield* Effect.flip(volumes.delete(volume.id))
      expect(refused).toMatchObject({ _tag: "BadRequestError", status: 400, code: "badRequest" })
      expect(refused.message).toContain("dependent snapshots")

      yield* volumes.snapshots.delete(snapshot.id)
      expect((yield* volumes.snapshots.get(snapshot.id)).status).toBe("deleting")
      yield* TestClock.adjust(OpenStackTesting.cinderTimings.delete)
      yield* volumes.snapshots.delete(snapshot.id)
      expect(yield* Effect.flip(volumes.snapshots.get(snapshot.id))).toMatchObject({ _tag: "NotFoundError", status: 404 })

      yield* volumes.delete(volume.id)
      yield* TestClock.adjust(OpenStackTesting.cinderTimings.delete)
      yield* volumes.delete(volume.id)
      expect((yield* volumes.list()).items).toEqual([])
    }))

  it.scoped("a volume that is not there is a NotFoundError with Cinder's message", () =>
    Effect.gen(function*() {
      const { volumes } = yield* setup
      const error = yield* Effect.flip(volumes.get("0b5b0c3e-0000-0000-0000-000000000000"))
      expect(error).toMatchObject({ _tag: "NotFoundError", status: 404, code: "itemNotFound" })
      expect(error.message).toContain("Volume 0b5b0c3e-0000-0000-0000-000000000000 could not be found.")
    }))

  it.scoped("a create answered 503 is never sent again: looked for by its marker for 60 s, then OutcomeUnknownError", () =>
    Effect.gen(function*() {
      const { sim, volumes, calls } = yield* setup
      // once: a second POST would succeed and make a volume
      yield* sim.faults.inject({ method: "POST", path: `/block-storage/v3/${sim.credentials.projectId}/volumes`, fault: OpenStackTesting.Fault.status(503) })
      const fiber = yield* Effect.fork(Effect.flip(volumes.create({ size: 1, name: "once" })))
      yield* TestClock.adjust("59 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("OutcomeUnknownError")
      expect(error).toMatchObject({ status: 503, after: "UnavailableError" })
      expect(error.message).toContain("it is unknown whether Cinder made the volume")
      expect((yield* calls).filter((c) => c === "POST volumes")).toHaveLength(1)
      // A lookup at once, then every 2 s over the 60 s window.
      expect((yield* calls).filter((c) => c.startsWith("GET volumes/detail"))).toHaveLength(31)
      expect((yield* volumes.list()).items).toEqual([])
    }))

  it.scoped("a volume made though its answer was lost is found by its marker, not made twice; snapshots alike", () =>
    Effect.gen(function*() {
      const { sim, volumes, calls } = yield* setup
      const prefix = `/block-storage/v3/${sim.credentials.projectId}`
      yield* sim.faults.inject({ method: "POST", path: `${prefix}/volumes`, fault: OpenStackTesting.Fault.status(503), phase: "after" })
      const made = yield* volumes.create({ size: 1, name: "kept", metadata: { team: "a" } })
      expect(made).toMatchObject({ name: "kept", metadata: { team: "a", "client-request-id": expect.stringMatching(/^[0-9a-f-]{36}$/) } })
      expect((yield* calls).filter((c) => c === "POST volumes")).toHaveLength(1)
      expect((yield* volumes.list()).items.map((v) => v.id)).toEqual([made.id])
      yield* TestClock.adjust("2 seconds")
      yield* sim.faults.inject({ method: "POST", path: `${prefix}/snapshots`, fault: OpenStackTesting.Fault.status(503), phase: "after" })
      const snapshot = yield* volumes.snapshots.create({ volumeId: made.id, name: "s" })
      expect(snapshot.volume_id).toBe(made.id)
      expect((yield* calls).filter((c) => c === "POST snapshots")).toHaveLength(1)
      expect((yield* volumes.snapshots.list()).items.map((s) => s.id)).toEqual([snapshot.id])
    }))
})
