import { describe, expect, it } from "@effect/vitest"
import { NodeFileSystem } from "@effect/platform-node"
import { ConfigProvider, Effect, Either, Redacted } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { envNaming, fromCloudsYaml, fromEnv, fromKeys } from "../../src/openstack/Config.js"

describe("OpenStack configuration from keys", () => {
  it("reads the seed's variables: user by name in a domain, project by id", () => {
    const options = Either.getOrThrow(fromKeys({
      auth_url: "http://10.0.0.5/identity",
      username: "demo",
      password: "s3cret",
      project_id: "p-1",
      user_domain_name: "Default"
    }, ["test"]))
    expect(options.auth).toMatchObject({
      type: "password",
      user: { name: "demo", domain: { name: "Default" } },
      scope: { project: { id: "p-1" } }
    })
    expect(options.auth.type === "password" && Redacted.value(options.auth.password)).toBe("s3cret")
  })

  it.each([
    ["password", { auth_url: "http://k/v3", username: "u", user_domain_name: "D" }],
    ["user_domain_name", { auth_url: "http://k/v3", username: "u", password: "p" }],
    ["project_domain_name", { auth_url: "http://k/v3", user_id: "u", password: "p", project_name: "demo" }],
    ["auth_url", { username: "u", password: "p" }],
    ["project_id", { auth_url: "http://k/v3", application_credential_id: "a", application_credential_secret: "s", project_id: "p" }],
    ["interface", { auth_url: "http://k/v3", user_id: "u", password: "p", interface: "private" }]
  ] as const)("names the key that is wrong: %s", (key, keys) => {
    const result = fromKeys(keys, ["somewhere"])
    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "ConfigurationError", api: "openstack", sources: ["somewhere"] } })
    expect(Either.isLeft(result) && result.left.settings[0]).toBe(key)
  })

  it("names every missing key at once, as the source spells it", () => {
    const result = fromKeys({ username: "u" }, ["OS_* environment"], envNaming)
    expect(Either.isLeft(result) && result.left.settings).toEqual(["OS_AUTH_URL", "OS_PASSWORD", "OS_USER_DOMAIN_NAME"])
    expect(Either.isLeft(result) && result.left.message).toContain("OS_AUTH_URL is missing")
    expect(Either.isLeft(result) && result.left).toBeInstanceOf(Error)
  })

  it("never shows the password of a URL's userinfo", () => {
    const result = fromKeys({ auth_url: "ftp://admin:hunter2@k/v3", user_id: "u", password: "p" }, [])
    expect(Either.isLeft(result) && result.left.message).toContain("ftp://…@k/v3")
    expect(JSON.stringify(result)).not.toContain("hunter2")
  })

  it.each([
    ["http://admin:hunter2@k:5000/v3", "http://…@k:5000/v3"],
    ["https://admin@k/v3", "https://…@k/v3"],
    ["http://:hunter2@k/v3", "http://…@k/v3"],
    ["http://admin:hunter2@evil@k/v3", "http://…@k/v3"],
    ["http://admin:hun/ter2@k/v3", "http://…@k/v3"]
  ])("refuses user information in auth_url (%s), showing the URL as %s", (url, shown) => {
    const result = fromKeys({ auth_url: url, user_id: "u", password: "p" }, ["OS_* environment"], envNaming)
    expect(Either.isLeft(result) && result.left.settings).toEqual(["OS_AUTH_URL"])
    expect(Either.isLeft(result) && result.left.message).toContain(`"${shown}"`)
    expect(JSON.stringify(result) + (Either.isLeft(result) ? result.left.message + String(result.left.stack) : "")).not.toMatch(/hunter2|hun\/ter2|admin/)
  })

  it("keeps an @ that is part of the path, not user information", () => {
    expect(Either.getOrThrow(fromKeys({ auth_url: "http://k:5000/id@x/v3", user_id: "u", password: "p" }, [])).authUrl).toBe("http://k:5000/id@x/v3")
  })

  it("takes an application credential bound to its project, and reads interface and TLS settings", () => {
    const options = Either.getOrThrow(fromKeys({
      auth_url: "https://k:5000/v3",
      auth_type: "v3applicationcredential",
      application_credential_id: "ac",
      application_credential_secret: "shh",
      interface: "internalURL",
      insecure: "true",
      region_name: "RegionOne"
    }, []))
    expect(options).toMatchObject({ interface: "internal", verifyTls: false, region: "RegionOne", auth: { credential: { id: "ac" } } })
  })
})

describe("OpenStack configuration from OS_* variables", () => {
  it.effect("reads the openrc the local cloud's start script writes", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv
      expect(options.authUrl).toBe("http://127.0.0.1:5000/v3")
      expect(options.auth).toMatchObject({
        type: "password",
        user: { name: "admin", domain: { name: "Default" } },
        scope: { project: { name: "admin", domain: { name: "Default" } } }
      })
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
      ["OS_AUTH_URL", "http://127.0.0.1:5000/v3"],
      ["OS_AUTH_TYPE", "password"],
      ["OS_IDENTITY_API_VERSION", "3"],
      ["OS_USERNAME", "admin"],
      ["OS_PASSWORD", "admin-secret"],
      ["OS_PROJECT_NAME", "admin"],
      ["OS_USER_DOMAIN_NAME", "Default"],
      ["OS_PROJECT_DOMAIN_NAME", "Default"]
    ])))))

  it.effect("names the missing variable, and never shows the password", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(fromEnv)
      expect(error).toMatchObject({ _tag: "ConfigurationError", api: "openstack", sources: ["OS_* environment"] })
      expect(error.settings).toEqual(["OS_AUTH_URL", "OS_USER_DOMAIN_NAME"])
      expect(String(error)).not.toContain("hunter2")
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["OS_USERNAME", "u"], ["OS_PASSWORD", "hunter2"]])))))
})

describe("OpenStack configuration from clouds.yaml", () => {
  const withDir = <A, E, R>(files: Record<string, string>, f: (dir: string) => Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const dir = mkdtempSync(join(tmpdir(), "clouds-"))
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
        return dir
      }),
      f,
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    )

  const clouds = `clouds:
  devstack:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
  other:
    auth:
      auth_url: http://other:5000/v3
      user_id: u1
      password: inline
`
  const secure = `clouds:
  devstack:
    auth:
      password: from-secure-yaml
`

  it.effect("merges secure.yaml over clouds.yaml for the selected cloud", () =>
    withDir({ "clouds.yaml": clouds, "secure.yaml": secure }, (dir) =>
      Effect.gen(function*() {
        const options = yield* fromCloudsYaml({ cloud: "devstack", directories: [dir] })
        expect(options.region).toBe("RegionOne")
        expect(options.auth.type === "password" && Redacted.value(options.auth.password)).toBe("from-secure-yaml")
      })).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("asks which cloud when several are defined and none is selected", () =>
    withDir({ "clouds.yaml": clouds }, (dir) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromCloudsYaml({ directories: [dir] }))
        expect(error.settings).toEqual(["OS_CLOUD"])
        expect(error.message).toContain("devstack, other")
      })).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("says where it looked when there is no clouds.yaml", () =>
    withDir({}, (dir) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromCloudsYaml({ directories: [dir, join(dir, "nowhere")] }))
        expect(error.message).toContain(`no clouds.yaml found (looked in ${dir}, ${join(dir, "nowhere")})`)
      })).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("refuses a file that is not YAML, naming it", () =>
    withDir({ "clouds.yaml": "clouds: [unclosed" }, (dir) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromCloudsYaml({ directories: [dir] }))
        expect(error.message).toContain(`${join(dir, "clouds.yaml")} is not valid YAML`)
      })).pipe(Effect.provide(NodeFileSystem.layer)))
})
