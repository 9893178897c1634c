/**
 * The OpenStack client against the local cloud (`../shared/openstack/start-openstack.sh`): runs when `OS_AUTH_URL`
 * is set, skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import * as Path from "../../src/core/Path.js"
import { make } from "../../src/openstack/Client.js"
import { fromEnv } from "../../src/openstack/Config.js"
import { noCloud } from "../support/Live.js"


describe("OpenStack client against the local cloud", () => {
  it.live.skipIf(noCloud)("reaches every service with the session's token; compute at the negotiated microversion", () =>
    Effect.gen(function*() {
      const client = yield* Effect.flatMap(fromEnv, make)
      const compute = yield* client.service("compute")
      expect(compute.microversion).toBe("2.90")
      const flavors = yield* compute.rest.json(
        { method: "GET", path: Path.literal("flavors") },
        Schema.Struct({ flavors: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })) })
      )
      expect(flavors.flavors.length).toBeGreaterThan(0)
      const image = yield* client.service("image")
      const images = yield* image.rest.json({ method: "GET", path: Path.literal("images") }, Schema.Struct({ images: Schema.Array(Schema.Unknown) }))
      expect(images.images.length).toBeGreaterThan(0)
      const network = yield* client.service("network")
      yield* network.rest.json({ method: "GET", path: Path.literal("networks") }, Schema.Struct({ networks: Schema.Array(Schema.Unknown) }))
      const swift = yield* client.service("object-store")
      const account = yield* swift.rest.send({ method: "GET", path: Path.literal(""), query: { format: "json" } })
      expect(account.status).toBeLessThan(300)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("maps Nova's own error bodies: an unknown server is a NotFoundError with the request id", () =>
    Effect.gen(function*() {
      const client = yield* Effect.flatMap(fromEnv, make)
      const compute = yield* client.service("compute")
      const error = yield* Effect.flip(
        compute.rest.send({ method: "GET", path: Path.make("servers/{id}", { id: "00000000-0000-4000-8000-000000000000" }) })
      )
      expect(error).toMatchObject({ _tag: "NotFoundError", status: 404, code: "itemNotFound" })
      expect(error._tag !== "InvalidInputError" && error.requestId).toMatch(/^req-/)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))
})
