/**
 * The devstack gateway over a real socket on 127.0.0.1. Configuration and validation cases always run; the cloud
 * cases run against the local OpenStack when `OS_AUTH_URL` is set.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Predicate, Redacted } from "effect"
import * as NodeTransport from "../../src/core/NodeTransport.js"
import { address, serve, type Settings } from "../../examples/devstack-gateway/Gateway.js"

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
const noCloud = process.env["OS_AUTH_URL"] === undefined

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
})
