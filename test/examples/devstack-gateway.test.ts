/**
 * The devstack gateway over a real socket on 127.0.0.1. Configuration and validation cases always run; the cloud
 * cases run against the local OpenStack when `OS_AUTH_URL` is set.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Predicate, Redacted } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"
import { address, serve, type Settings } from "../../examples/devstack-gateway/Gateway.js"
import { noCloud } from "../support/Live.js"

const gateway = (settings: Settings, body: (url: string) => Promise<void>) =>
  Effect.scoped(
    Effect.flatMap(
      Layer.build(serve(settings).pipe(Layer.provide(NodeTransport.layer()))),
      (context) => Effect.flatMap(Effect.provide(address, context), (url) => Effect.promise(() => body(url)))
    )
  )

const call = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init)
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

const real: Settings = {
  authUrl: process.env["OS_AUTH_URL"],
  username: process.env["OS_USERNAME"],
  password: process.env["OS_PASSWORD"] === undefined ? undefined : Redacted.make(process.env["OS_PASSWORD"]),
  projectId: process.env["OS_CI_ADMIN_PROJECT_ID"],
  userDomainName: process.env["OS_USER_DOMAIN_NAME"]
}

describe("devstack gateway", () => {
  it.live("answers 403 naming the missing settings, and serves the OpenAPI page at /", () =>
    gateway({ authUrl: "http://127.0.0.1:1/v3", username: "admin" }, async (url) => {
      const refused = await call(`${url}/api/v1/image`)
      expect(refused.status).toBe(403)
      expect(refused.json).toMatchObject({ _tag: "Forbidden", message: "the gateway is not configured: set PASSWORD, PROJECT_ID, USER_DOMAIN_NAME" })
      const page = await call(`${url}/`)
      expect(page.status).toBe(200)
      expect(page.text).toContain("swagger")
      const spec = await call(`${url}/openapi.json`)
      expect(spec.json).toMatchObject({ info: { title: "Devstack gateway" } })
      const paths = Predicate.isRecord(spec.json) && Predicate.isRecord(spec.json["paths"]) ? Object.keys(spec.json["paths"]) : []
      expect(paths).toContain("/api/v1/server/")
    }))

  it.live("refuses a server body with a missing field, naming it, before touching the cloud", () =>
    gateway({}, async (url) => {
      const bad = await call(`${url}/api/v1/server/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ image_id: "i", flavor_id: "f", name: "vm" })
      })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain("network_id")
    }))

  it.live.skipIf(noCloud)("lists and finds images, flavors and networks by name or id from the local cloud", () =>
    gateway(real, async (url) => {
      const images = await call(`${url}/api/v1/image`)
      expect(images.status).toBe(200)
      const [image] = Array.isArray(images.json) ? images.json : []
      expect(image).toMatchObject({ id: expect.any(String) })
      const byName = await call(`${url}/api/v1/image/${encodeURIComponent(String(image.name))}`)
      expect(byName.json).toMatchObject({ id: image.id })
      const flavors = await call(`${url}/api/v1/flavor`)
      const [flavor] = Array.isArray(flavors.json) ? flavors.json : []
      expect((await call(`${url}/api/v1/flavor/${flavor.name}`)).json).toMatchObject({ id: flavor.id })
      expect((await call(`${url}/api/v1/network`)).status).toBe(200)
      const missing = await call(`${url}/api/v1/image/no-such-image`)
      expect(missing.status).toBe(404)
      expect(missing.json).toMatchObject({ _tag: "NotFound" })
    }))

  it.live.skipIf(noCloud)("answers 403 when the cloud refuses the credentials, without the password", () =>
    gateway({ ...real, password: Redacted.make("wrong-password") }, async (url) => {
      const refused = await call(`${url}/api/v1/flavor`)
      expect(refused.status).toBe(403)
      expect(refused.text).toContain("credentials")
      expect(refused.text).not.toContain("wrong-password")
    }))

  it.live("creates, shows and deletes a server against the simulator; an exhausted quota is a 400 with Nova's message", () =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* OpenStackTesting.serve({ buildDuration: "200 millis", maxInstances: 1 })
      const simulated: Settings = {
        authUrl: served.authUrl,
        username: served.env["OS_USERNAME"],
        password: Redacted.make(served.env["OS_PASSWORD"] ?? ""),
        projectId: OpenStackTesting.SeedIds.demoProjectId,
        userDomainName: "Default"
      }
      yield* gateway(simulated, async (url) => {
        const network = await call(`${url}/api/v1/network/private`)
        const image = await call(`${url}/api/v1/image/cirros-0.6.2-x86_64-disk`)
        const flavor = await call(`${url}/api/v1/flavor/m1.tiny`)
        const body = (name: string) => JSON.stringify({
          name,
          image_id: Predicate.isRecord(image.json) ? image.json["id"] : "",
          flavor_id: Predicate.isRecord(flavor.json) ? flavor.json["id"] : "",
          network_id: Predicate.isRecord(network.json) ? network.json["id"] : ""
        })
        const created = await call(`${url}/api/v1/server/`, { method: "POST", headers: { "content-type": "application/json" }, body: body("gw-1") })
        expect(created.status).toBe(201)
        const id = Predicate.isRecord(created.json) ? String(created.json["id"]) : ""
        expect((await call(`${url}/api/v1/server/${id}`)).json).toMatchObject({ id, name: "gw-1" })
        const over = await call(`${url}/api/v1/server/`, { method: "POST", headers: { "content-type": "application/json" }, body: body("gw-2") })
        expect(over.status).toBe(400)
        expect(over.json).toMatchObject({ _tag: "Refused", quotaExceeded: true })
        expect(over.text).toContain("Quota exceeded for instances")
        expect((await call(`${url}/api/v1/server/${id}`, { method: "DELETE" })).status).toBe(204)
        expect((await call(`${url}/api/v1/server/${id}`, { method: "DELETE" })).status).toBe(404)
      })
    })))
})
