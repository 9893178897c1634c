/**
 * Servers against the local cloud's Nova (fake virt driver: servers really go BUILD → ACTIVE): runs when
 * `OS_AUTH_URL` is set, skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { make } from "../../src/openstack/Client.js"
import { fromEnv } from "../../src/openstack/Config.js"
import * as Servers from "../../src/openstack/Servers.js"
import { serverImageMissing } from "../support/Live.js"


describe("servers against the local cloud", () => {
  it.live.skipIf(serverImageMissing !== undefined)("creates a server, waits for ACTIVE, finds it by its marker, stops it and deletes it", () =>
    Effect.gen(function*() {
      const client = yield* Effect.flatMap(fromEnv, make)
      const servers = client.servers
      const name = `live-${Date.now()}`
      const created = yield* servers.create({
        name,
        imageRef: process.env["OS_CI_IMAGE_ID"] ?? "",
        flavorRef: process.env["OS_CI_FLAVOR_ID"] ?? "1",
        networks: "none"
      })
      expect(created.name).toBe(name)
      const active = yield* servers.waitFor(created.id, "ACTIVE", { interval: "1 second", timeout: "2 minutes" })
      expect(active.status).toBe("ACTIVE")
      const listed = yield* servers.list({ name: `^${name}$` })
      expect(listed.items.map((s) => s.id)).toEqual([created.id])
      expect(listed.items[0]?.metadata?.[Servers.createMarkerKey]).toMatch(/^[0-9a-f-]{36}$/)
      yield* servers.stop(created.id)
      const stopped = yield* servers.waitFor(created.id, "SHUTOFF", { interval: "1 second", timeout: "1 minute" })
      expect(stopped.status).toBe("SHUTOFF")
      yield* servers.delete(created.id)
      yield* servers.delete(created.id)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())), 180_000)
})
