/**
 * Neutron ports, declared with core's `Resource`, against the simulator; the api-ref bodies decode.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import * as Envelope from "../../src/core/Envelope.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import { make } from "../../src/openstack/Client.js"
import { Port } from "../../src/openstack/Network.js"
import * as Ports from "../../src/openstack/Ports.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"
import * as Fixtures from "../support/Fixtures.js"

const setup = Effect.gen(function*() {
  const sim = yield* OpenStackTesting.make()
  const client = yield* make(OpenStackTesting.clientOptions(sim.credentials, "http://openstack.simulator/identity/v3")).pipe(
    Effect.provide(InProcess.layer(sim.app))
  )
  const network = yield* client.networks.create({ name: "ports-net" })
  const subnet = yield* client.networks.createSubnet({ networkId: network.id, cidr: "10.9.0.0/24" })
  const ports = client.ports
  const calls = Effect.map(sim.journal.entries, (entries) => entries.filter((e) => e.path.includes("/v2.0/ports")).map((e) => `${e.method} ${e.path}`))
  return { ports, network, subnet, calls }
})

describe("Neutron ports", () => {
  it("decodes the api-ref list and create bodies", () => {
    const list = Schema.decodeUnknownSync(Ports.ports.list.schema)(Fixtures.json("openstack", "apiref/neutron-ports-list-response.json"))
    expect(Ports.ports.list.read(list).items.length).toBeGreaterThan(0)
    const made = Schema.decodeUnknownSync(Ports.ports.one.schema)(Fixtures.json("openstack", "apiref/neutron-port-create-response.json"))
    expect(Ports.ports.one.read(made).name).toBe("private-port")
    expect(Schema.is(Port)(Ports.ports.one.read(made))).toBe(true)
  })

  it.scoped("creates, lists by filter and marker, gets, updates and deletes a port; a second delete counts as done", () =>
    Effect.gen(function*() {
      const { ports, network, subnet, calls } = yield* setup
      const a = yield* ports.create({ networkId: network.id, name: "a" })
      const b = yield* ports.create({ networkId: network.id, name: "b", adminStateUp: false })
      expect(a.fixed_ips[0]?.subnet_id).toBe(subnet.id)
      const page = yield* ports.list({ networkId: network.id, limit: 1 })
      expect(page.items.map((p) => p.id)).toEqual([a.id])
      expect(page.next).toEqual(Option.some(a.id))
      const all = yield* Stream.runCollect(ports.listAll({ networkId: network.id, limit: 1 }))
      expect(Chunk.toReadonlyArray(all).map((p) => p.name)).toEqual(["a", "b"])
      expect((yield* ports.list({ adminStateUp: false })).items.map((p) => p.id)).toEqual([b.id])
      expect((yield* ports.get(b.id)).status).toBe("DOWN")
      expect((yield* ports.update(b.id, { adminStateUp: true, name: "b2" })).status).toBe("ACTIVE")
      expect((yield* ports.get(b.id)).name).toBe("b2")
      yield* ports.delete(a.id)
      yield* ports.delete(a.id)
      expect(yield* Effect.flip(ports.get(a.id))).toMatchObject({ _tag: "NotFoundError" })
      expect(yield* calls).toContain(`PUT /network/v2.0/ports/${b.id}`)
    }))

  it.scoped("refuses a port on a network the caller cannot see with Neutron's NetworkNotFound", () =>
    Effect.gen(function*() {
      const { ports } = yield* setup
      expect(yield* Effect.flip(ports.create({ networkId: "nope" }))).toMatchObject({ _tag: "NotFoundError", status: 404 })
      expect(Envelope.markerOf("/v2.0/ports?limit=1&marker=m")).toEqual(Option.some("m"))
    }))
})
