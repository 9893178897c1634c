import { describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Either, Option, Redacted, Schema } from "effect"
import { authRequest, endpointUrl, needsRenewal, TokenResponse, v3Root } from "../../src/openstack/KeystoneV3.js"
import * as Fixtures from "../support/Fixtures.js"

const apiref = (name: string) => Fixtures.json("openstack", `apiref/${name}`)
const live = (name: string) => Fixtures.json("openstack", `live/${name}`)
const secret = Redacted.make

describe("Keystone authentication bodies", () => {
  it("password, user by id, project by id", () => {
    expect(authRequest({
      type: "password",
      user: { id: "ee4dfb6e5540447cb3741905149d9b6e" },
      password: secret("devstacker"),
      scope: { project: { id: "a6944d763bf64ee6a275f1263fae0352" } }
    })).toEqual(apiref("keystone-auth-req-password-project-id.json"))
  })

  it("password, project by name in a domain", () => {
    expect(authRequest({
      type: "password",
      user: { id: "ee4dfb6e5540447cb3741905149d9b6e" },
      password: secret("devstacker"),
      scope: { project: { name: "admin", domain: { id: "default" } } }
    })).toEqual(apiref("keystone-auth-req-password-project-name.json"))
  })

  it("application credential by id, and by name with its user", () => {
    expect(authRequest({
      type: "application_credential",
      credential: { id: "423f19a4ac1e4f48bbb4180756e6eb6c" },
      secret: secret("rEaqvJka48mpv")
    })).toEqual(apiref("keystone-auth-req-appcred-id.json"))
    expect(authRequest({
      type: "application_credential",
      credential: { name: "monitoring", user: { id: "423f19a4ac1e4f48bbb4180756e6eb6c" } },
      secret: secret("rEaqvJka48mpv")
    })).toEqual(apiref("keystone-auth-req-appcred-name.json"))
  })

  it("token, rescoped to a project", () => {
    expect(authRequest({ type: "token", token: secret("'$OS_TOKEN'"), scope: { project: { id: "a6944d763bf64ee6a275f1263fae0352" } } }))
      .toEqual(apiref("keystone-auth-req-token-project-id.json"))
  })

  it("user by name carries its domain; an unscoped request has no scope", () => {
    expect(authRequest({ type: "password", user: { name: "demo", domain: { name: "Default" } }, password: secret("p") })).toEqual({
      auth: { identity: { methods: ["password"], password: { user: { name: "demo", domain: { name: "Default" }, password: "p" } } } }
    })
  })
})

describe("Keystone tokens and the service catalog", () => {
  const decode = Schema.decodeUnknownSync(TokenResponse, { errors: "all" })
  const { token } = decode(live("keystone-POST-auth-tokens-201.json"))

  it.each([
    "apiref/keystone-auth-resp-project-scoped-password.json",
    "apiref/keystone-auth-resp-appcred.json",
    "live/keystone-POST-auth-tokens-201.json"
  ])("decodes %s", (name) => {
    expect(decode(Fixtures.json("openstack", name)).token.catalog.length).toBeGreaterThan(0)
  })

  it("finds each service's public URL, ready for paths to be appended", () => {
    const url = (type: string) => Either.getOrThrow(endpointUrl(token.catalog, type))
    expect(url("identity")).toBe("http://127.0.0.1:5000/v3/")
    expect(url("compute")).toBe("http://127.0.0.1:8774/v2.1/")
    expect(url("image")).toBe("http://127.0.0.1:9292/")
    expect(url("network")).toBe("http://127.0.0.1:9696/")
    expect(url("object-store")).toBe(`http://127.0.0.1:8080/v1/AUTH_${token.project?.id}/`)
  })

  it("honours interface and region, and says what the catalog has when nothing fits", () => {
    expect(Either.isRight(endpointUrl(token.catalog, "compute", { interface: "internal", region: "RegionOne" }))).toBe(true)
    const missing = endpointUrl(token.catalog, "compute", { region: "RegionTwo" })
    expect(Either.isLeft(missing)).toBe(true)
    if (Either.isLeft(missing)) {
      expect(missing.left.message).toContain('no public endpoint for "compute" in region RegionTwo')
      expect(missing.left.available).toContain("compute/public/RegionOne")
    }
  })

  it("finds a service under an alias of its type", () => {
    const catalog = [{ type: "volumev3", endpoints: [{ interface: "public", url: "http://cinder/v3/p" }] }]
    expect(endpointUrl(catalog, "block-storage")).toEqual(Either.right("http://cinder/v3/p/"))
  })

  it("renews a token 120 s before it expires, not earlier", () => {
    const expiry = Option.getOrThrow(DateTime.make(token.expires_at))
    expect(needsRenewal(token, DateTime.subtractDuration(expiry, Duration.seconds(121)))).toBe(false)
    expect(needsRenewal(token, DateTime.subtractDuration(expiry, Duration.seconds(120)))).toBe(true)
    expect(needsRenewal({ ...token, expires_at: "not a date" }, expiry)).toBe(true)
  })

  it("completes the auth URL to Keystone v3's root", () => {
    expect(v3Root("http://127.0.0.1:5000/v3")).toBe("http://127.0.0.1:5000/v3/")
    expect(v3Root("http://127.0.0.1:5000/v3/")).toBe("http://127.0.0.1:5000/v3/")
    expect(v3Root("http://host/identity")).toBe("http://host/identity/v3/")
  })
})
