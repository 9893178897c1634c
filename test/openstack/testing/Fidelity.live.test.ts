/**
 * The simulator against the real thing: the same calls, made with the client to the local cloud and to the
 * simulator, must answer bodies of the same shape — every field the real service sends, with the same JSON type.
 * Runs when `OS_AUTH_URL` is set (the local cloud of `../shared/openstack`), skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Predicate, Schema } from "effect"
import * as NodeTransport from "../../../src/node/NodeTransport.js"
import * as Path from "../../../src/core/Path.js"
import type { Query } from "../../../src/core/RestClient.js"
import { make, type OpenStackClientService, type ServiceType } from "../../../src/openstack/Client.js"
import { fromEnv } from "../../../src/openstack/Config.js"
import * as OpenStackTesting from "../../../src/openstack/testing/index.js"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import { noCloud } from "../../support/Live.js"


type Shape = string | { readonly [key: string]: Shape } | readonly [Shape]

/** The shape of a JSON value: objects by key, arrays by their first element, scalars by type (null is its own). */
const shapeOf = (value: unknown, depth = 0): Shape => {
  if (value === null) return "null"
  if (Array.isArray(value)) return depth > 3 || value.length === 0 ? "array" : [shapeOf(value[0], depth + 1)]
  if (Predicate.isRecord(value)) {
    return depth > 3 ? "object" : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v, depth + 1)]))
  }
  return typeof value
}

/** Where `simulated` lacks a field of `real`, or gives it another type: `path: real vs simulated`. */
const differences = (real: Shape, simulated: Shape, path = "$"): ReadonlyArray<string> => {
  // An empty list has no element to compare.
  if ((real === "array" && (Array.isArray(simulated) || simulated === "array")) || (simulated === "array" && Array.isArray(real))) {
    return []
  }
  if (typeof real === "string" || typeof simulated === "string") {
    // null in one and a value in the other is a legitimate difference of data, not of shape
    return real === simulated || real === "null" || simulated === "null" ? [] : [`${path}: ${JSON.stringify(real)} vs ${JSON.stringify(simulated)}`]
  }
  if (Array.isArray(real) || Array.isArray(simulated)) {
    return Array.isArray(real) && Array.isArray(simulated) ? differences(real[0], simulated[0], `${path}[0]`) : [`${path}: array vs object`]
  }
  const r = real as { readonly [key: string]: Shape }
  const s = simulated as { readonly [key: string]: Shape }
  return Object.keys(r).flatMap((key) => (key in s ? differences(r[key] ?? "null", s[key] ?? "null", `${path}.${key}`) : [`${path}.${key}: missing`]))
}

const calls: ReadonlyArray<readonly [ServiceType, string, Query]> = [
  ["compute", "", {}],
  ["compute", "flavors/detail", {}],
  ["compute", "servers/detail", { limit: "1" }],
  ["image", "images", { limit: "1" }],
  ["network", "networks", {}],
  ["network", "subnets", {}]
]

/** Makes the same network, subnet and server, records every call's shape, and removes what it made. */
const record = (client: OpenStackClientService) =>
  Effect.gen(function*() {
    const name = `fidelity-${Date.now()}`
    const network = yield* client.networks.create({ name })
    const subnet = yield* client.networks.createSubnet({ networkId: network.id, cidr: "10.231.0.0/24", name })
    const [image] = (yield* client.images.list()).items
    const [flavor] = (yield* client.flavors.list()).items
    const server = yield* client.servers.create({ name, imageRef: image?.id ?? "", flavorRef: flavor?.id ?? "", networks: "none" })
    yield* client.servers.waitFor(server.id, "ACTIVE", { interval: "500 millis", timeout: "2 minutes" })
    const shapes = yield* Effect.forEach(calls, ([service, path, query]) =>
      Effect.flatMap(client.service(service), (s) =>
        Effect.map(s.rest.json({ method: "GET", path: Path.literal(path), query: { ...query, ...(service === "network" ? { name } : {}) }, cache: false }, Schema.Unknown), shapeOf)))
    yield* client.servers.delete(server.id)
    yield* client.networks.deleteSubnet(subnet.id)
    yield* client.networks.delete(network.id)
    return shapes
  })

describe("simulator fidelity against the local cloud", () => {
  it.live.skipIf(noCloud)("answers the same calls with bodies of the same shape", () =>
    Effect.gen(function*() {
      const real = yield* Effect.flatMap(fromEnv, make).pipe(Effect.flatMap(record), Effect.provide(NodeTransport.layer()))
      const simulator = yield* OpenStackTesting.make()
      // The local cloud's session is an admin's; so is this one.
      const admin = OpenStackTesting.clientOptions({ ...simulator.credentials, username: simulator.credentials.adminUsername, projectName: simulator.credentials.adminProjectName })
      const simulated = yield* make(admin).pipe(
        Effect.flatMap(record),
        Effect.provide(InProcess.layer(simulator.app))
      )
      const report = calls.flatMap(([service, path], i) =>
        differences(real[i] ?? "null", simulated[i] ?? "null", `${service} GET /${path}`))
      expect(report).toEqual([])
    }).pipe(Effect.scoped))
})
