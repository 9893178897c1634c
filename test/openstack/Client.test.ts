import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import * as Path from "../../src/core/Path.js"
import { make } from "../../src/openstack/Client.js"
import { compareVersions, negotiate } from "../../src/openstack/Microversion.js"
import type { OpenStackOptions } from "../../src/openstack/Config.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const options: OpenStackOptions = {
  authUrl: "http://127.0.0.1:5000/v3",
  auth: { type: "password", user: { id: "u" }, password: Redacted.make("pw"), scope: { project: { id: "p" } } }
}

const json = (body: unknown, headers: Record<string, string> = {}): Scripted.Reply => ({
  status: 200,
  body,
  headers: { "content-type": "application/json", ...headers }
})

/** Keystone (the live token answer), Nova's version document, and an empty flavor list. */
const cloud = (sent: Scripted.Sent): Scripted.Reply => {
  if (sent.url.endsWith("/v3/auth/tokens")) {
    return { ...json(Fixtures.json("openstack", "live/keystone-POST-auth-tokens-201.json"), { "x-subject-token": "tok-1" }), status: 201 }
  }
  if (sent.url === "http://127.0.0.1:8774/v2.1/") return json(Fixtures.json("openstack", "live/nova-GET-v2.1-200.json"))
  return json({ flavors: [] })
}

describe("microversions", () => {
  it("compares dotted versions numerically", () => {
    expect(compareVersions("2.9", "2.10")).toBeLessThan(0)
    expect(compareVersions("2.93", "2.90")).toBeGreaterThan(0)
    expect(compareVersions("2.1", "2.1")).toBe(0)
  })

  it("uses the newest both sides know, and none when the server has no microversions", () => {
    expect(negotiate({ version: "2.93", min_version: "2.1" }, "2.90")).toBe("2.90")
    expect(negotiate({ version: "2.60", min_version: "2.1" }, "2.90")).toBe("2.60")
    expect(negotiate({ version: "", min_version: "" }, "2.90")).toBeUndefined()
    expect(negotiate({ version: "3.5", min_version: "3.0" }, "2.90")).toBeUndefined()
  })
})

describe("OpenStackClient", () => {
  it.scoped("builds compute from the catalog, negotiates the microversion once and sends it with the token", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(cloud)
      const client = yield* make(options).pipe(Effect.provide(http.layer))
      const compute = yield* client.service("compute")
      expect(compute.microversion).toBe("2.90")
      yield* compute.rest.json({ method: "GET", path: Path.literal("flavors") }, Schema.Unknown)
      yield* (yield* client.service("compute")).rest.json({ method: "GET", path: Path.literal("flavors") }, Schema.Unknown)
      const sent = yield* http.sent
      expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
        "POST http://127.0.0.1:5000/v3/auth/tokens",
        "GET http://127.0.0.1:8774/v2.1/",
        "GET http://127.0.0.1:8774/v2.1/flavors",
        "GET http://127.0.0.1:8774/v2.1/flavors"
      ])
      expect(sent[2]?.headers).toMatchObject({
        "x-auth-token": "tok-1",
        "openstack-api-version": "compute 2.90",
        "x-openstack-nova-api-version": "2.90"
      })
    }))

  it.scoped("sends the user agent to Keystone and every service, through the transformed client", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(cloud)
      let seen = 0
      const client = yield* make({ ...options, userAgent: "deployer/7", transformClient: (c) => HttpClient.tapRequest(c, () => Effect.sync(() => void seen++)) }).pipe(
        Effect.provide(http.layer)
      )
      yield* client.flavors.list()
      const sent = yield* http.sent
      expect(sent.length).toBe(3)
      expect(seen).toBe(3)
      for (const request of sent) expect(request.headers["user-agent"]).toMatch(/^deployer\/7 effect-cloud-clients\/\S+ \(openstack\)$/)
    }))

  it.scoped("puts the API version the catalog leaves out: image v2, network v2.0", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(cloud)
      const client = yield* make(options).pipe(Effect.provide(http.layer))
      yield* (yield* client.service("image")).rest.json({ method: "GET", path: Path.literal("images") }, Schema.Unknown)
      yield* (yield* client.service("network")).rest.json({ method: "GET", path: Path.literal("networks") }, Schema.Unknown)
      const urls = (yield* http.sent).map((s) => s.url)
      expect(urls).toContain("http://127.0.0.1:9292/v2/images")
      expect(urls).toContain("http://127.0.0.1:9696/v2.0/networks")
    }))

  it.scoped("a service the catalog lacks fails typed, and the others still work", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(cloud)
      const client = yield* make({ ...options, region: "RegionOne" }).pipe(Effect.provide(http.layer))
      const elsewhere = yield* make({ ...options, region: "Mars" }).pipe(Effect.provide(http.layer))
      expect((yield* client.service("object-store")).microversion).toBeUndefined()
      const error = yield* Effect.flip(elsewhere.service("object-store"))
      expect(error).toMatchObject({ _tag: "EndpointNotFound", serviceType: "object-store", region: "Mars" })
    }))
})
