/**
 * Flavors, images and networks against the local cloud: runs when `OS_AUTH_URL` is set, skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { make } from "../../src/openstack/Client.js"
import { fromEnv } from "../../src/openstack/Config.js"
import { noCloud } from "../support/Live.js"

const client = Effect.flatMap(fromEnv, make)

describe("OpenStack resources against the local cloud", () => {
  it.live.skipIf(noCloud)("finds flavors and images by id and by name, and pages through them", () =>
    Effect.gen(function*() {
      const { flavors, images } = yield* client
      const [flavor] = (yield* flavors.list()).items
      if (flavor === undefined) return expect.unreachable("no flavor")
      expect((yield* flavors.get(flavor.id)).id).toBe(flavor.id)
      expect((yield* flavors.get(flavor.name)).id).toBe(flavor.id)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(flavors.listAll({ limit: 1 })))
      expect(all.length).toBe((yield* flavors.list()).items.length)

      const [image] = (yield* images.list()).items
      if (image === undefined || image.name === null) return expect.unreachable("no named image")
      expect((yield* images.get(image.id)).id).toBe(image.id)
      expect((yield* images.get(image.name)).id).toBe(image.id)
      const missing = yield* Effect.flip(images.get("no-such-image-anywhere"))
      expect(missing).toMatchObject({ _tag: "NotFoundError", message: 'no image has the id or name "no-such-image-anywhere"' })
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("creates a network with a subnet, finds it by name, and deletes both (twice is fine)", () =>
    Effect.gen(function*() {
      const { networks } = yield* client
      const name = `live-net-${Date.now()}`
      const network = yield* networks.create({ name })
      const subnet = yield* networks.createSubnet({ networkId: network.id, cidr: "10.213.0.0/24", name: `${name}-subnet` })
      expect((yield* networks.get(name)).id).toBe(network.id)
      expect((yield* networks.subnets({ networkId: network.id })).items.map((s) => s.id)).toEqual([subnet.id])
      yield* networks.deleteSubnet(subnet.id)
      yield* networks.delete(network.id)
      yield* networks.delete(network.id)
      expect((yield* Effect.flip(networks.get(network.id)))._tag).toBe("NotFoundError")
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("creates an image, uploads its data from a stream with progress, waits for active, deletes it", () =>
    Effect.gen(function*() {
      const { images } = yield* client
      const name = `live-image-${Date.now()}`
      const created = yield* images.create({ name, diskFormat: "raw", containerFormat: "bare" })
      expect(created.status).toBe("queued")
      const chunk = new Uint8Array(64 * 1024).fill(7)
      const data = Stream.make(chunk, chunk, chunk, chunk)
      const seen: Array<number> = []
      yield* images.upload(created.id, data, { size: 4 * chunk.length, onProgress: (p) => Effect.sync(() => void seen.push(p.sent)) })
      expect(seen).toEqual([65536, 131072, 196608, 262144])
      const active = yield* images.waitFor(created.id, "active", { interval: "500 millis", timeout: "1 minute" })
      expect(active.size).toBe(262144)
      expect((yield* images.get(name)).id).toBe(created.id)
      yield* images.delete(created.id)
      yield* images.delete(created.id)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))
})
