/**
 * A short tour of the devstack gateway against the OpenStack simulator, both on 127.0.0.1: the calls the seed's
 * README lists, with their answers.
 */
import { NodeTransport } from "effect-cloud-clients/node"
import { OpenStack } from "effect-cloud-clients/openstack"
import * as OpenStackTesting from "effect-cloud-clients/openstack/testing"
import { Console, Effect, Layer, Predicate, Redacted } from "effect"
import { address, serve } from "./Gateway.js"

const call = (url: string, init?: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    const text = await response.text()
    const json: unknown = text === "" ? undefined : JSON.parse(text)
    return { status: response.status, json }
  })

const field = (json: unknown, key: string): string => (Predicate.isRecord(json) ? String(json[key]) : "")

/** Runs the tour, printing each call and what came back. */
export const tour = Effect.scoped(Effect.gen(function*() {
  const cloud = yield* OpenStackTesting.serve({ buildDuration: "1 second", maxInstances: 2 })
  const context = yield* Layer.build(serve({
    authUrl: cloud.authUrl,
    username: cloud.env["OS_USERNAME"],
    password: Redacted.make(cloud.env["OS_PASSWORD"] ?? ""),
    projectId: OpenStackTesting.SeedIds.demoProjectId,
    userDomainName: "Default"
  }).pipe(Layer.provide(NodeTransport.layer())))
  const url = yield* Effect.provide(address, context)
  yield* Console.log(`OpenStack simulator on ${cloud.url}; devstack gateway on ${url} (OpenAPI page at ${url}/)`)

  const image = yield* call(`${url}/api/v1/image/cirros-0.6.2-x86_64-disk`)
  yield* Console.log(`GET  /api/v1/image/cirros-0.6.2-x86_64-disk → ${image.status} ${field(image.json, "id")} (${field(image.json, "status")})`)
  const flavor = yield* call(`${url}/api/v1/flavor/m1.tiny`)
  yield* Console.log(`GET  /api/v1/flavor/m1.tiny → ${flavor.status} ${field(flavor.json, "ram")} MB, ${field(flavor.json, "vcpus")} vCPU`)
  const network = yield* call(`${url}/api/v1/network/private`)
  yield* Console.log(`GET  /api/v1/network/private → ${network.status} ${field(network.json, "id")}`)

  const create = (name: string) =>
    call(`${url}/api/v1/server/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, image_id: field(image.json, "id"), flavor_id: field(flavor.json, "id"), network_id: field(network.json, "id") })
    })
  const first = yield* create("demo-vm-1")
  yield* Console.log(`POST /api/v1/server/ {name: "demo-vm-1", …} → ${first.status} ${field(first.json, "id")} (${field(first.json, "status")})`)
  yield* create("demo-vm-2")
  const third = yield* create("demo-vm-3")
  yield* Console.log(`POST /api/v1/server/ {name: "demo-vm-3", …} → ${third.status}: ${field(third.json, "message")}`)
  const invalid = yield* call(`${url}/api/v1/server/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
  yield* Console.log(`POST /api/v1/server/ {} → ${invalid.status} (the body is checked before the cloud is asked)`)

  // The same cloud from plain Node code, with the Promise facade: wait for the first server.
  const id = field(first.json, "id")
  yield* Effect.promise(async () => {
    await using os = await OpenStack.fromEnv(cloud.env)
    await os.servers.waitFor(id, "ACTIVE", { interval: "250 millis", onProgress: (s) => console.log(`     … demo-vm-1 is ${s.status}`) })
  })
  const removed = yield* call(`${url}/api/v1/server/${id}`, { method: "DELETE" })
  yield* Console.log(`DELETE /api/v1/server/${id} → ${removed.status}`)
}))
