import { describe, expect, it } from "@effect/vitest"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Redacted } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { load } from "../../src/ovh/Config.js"

/** Files in a fresh directory; `f` gets their paths in the order given. */
const withFiles = <A, E, R>(files: ReadonlyArray<readonly [string, string]>, f: (paths: ReadonlyArray<string>, dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "ovhconf-"))
      return { dir, paths: files.map(([name, text]) => (writeFileSync(join(dir, name), text), join(dir, name))) }
    }),
    ({ dir, paths }) => f(paths, dir),
    ({ dir }) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ).pipe(Effect.provide(NodeFileSystem.layer))

const system = "[default]\nendpoint=ovh-eu\n\n[ovh-eu]\n; keys of the whole machine\napplication_key=system-ak\napplication_secret=system-as\n"
const local = "[ovh-eu]\nconsumer_key=local-ck\napplication_secret=local-as\n"

describe("OVH configuration chain", () => {
  it.effect("merges the files key by key, the later (./ovh.conf) winning", () =>
    withFiles([["etc-ovh.conf", system], ["local-ovh.conf", local]], (paths) =>
      Effect.gen(function*() {
        const config = yield* load({}, {}, paths)
        expect(config.endpoint).toMatchObject({ name: "ovh-eu", api: "https://eu.api.ovh.com/1.0" })
        expect(config.credentials).toMatchObject({ type: "signature", applicationKey: "system-ak" })
        if (config.credentials.type !== "signature") return
        expect(Redacted.value(config.credentials.applicationSecret)).toBe("local-as")
        expect(config.credentials.consumerKey && Redacted.value(config.credentials.consumerKey)).toBe("local-ck")
      })))

  it.effect("lets OVH_* variables override the files and explicit values override both", () =>
    withFiles([["ovh.conf", system]], (paths) =>
      Effect.gen(function*() {
        const config = yield* load({ applicationKey: "explicit-ak" }, { OVH_APPLICATION_KEY: "env-ak", OVH_CONSUMER_KEY: "env-ck" }, paths)
        expect(config.credentials).toMatchObject({ applicationKey: "explicit-ak" })
        if (config.credentials.type === "signature") expect(config.credentials.consumerKey && Redacted.value(config.credentials.consumerKey)).toBe("env-ck")
      })))

  it.effect("reads one custom file in place of the chain, and says so when it is missing", () =>
    withFiles([["custom.ini", "[default]\nendpoint=ovh-ca\n[ovh-ca]\napplication_key=a\napplication_secret=s\n"]], (paths, dir) =>
      Effect.gen(function*() {
        const config = yield* load({ configFile: paths[0] }, {})
        expect(config.endpoint.api).toBe("https://ca.api.ovh.com/1.0")
        const error = yield* Effect.flip(load({ configFile: join(dir, "nope.ini") }, {}))
        expect(error).toMatchObject({ _tag: "ConfigurationError", api: "ovh" })
        expect(error.settings).toEqual(["configFile"])
      })))

  it.effect("names what is missing and every place it looked, never a secret", () =>
    withFiles([["ovh.conf", "[default]\nendpoint=ovh-eu\n[ovh-eu]\napplication_secret=top-secret\n"]], (paths) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(load({}, {}, paths))
        expect(error).toMatchObject({ settings: ["application_key"], sources: ["explicit", "OVH_* environment", ...paths] })
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("top-secret")
      })))

  it.effect.each([
    ["client_id", { OVH_ENDPOINT: "ovh-eu", OVH_APPLICATION_KEY: "a", OVH_APPLICATION_SECRET: "s", OVH_CLIENT_ID: "c", OVH_CLIENT_SECRET: "x" }],
    ["endpoint", { OVH_ENDPOINT: "kimsufi-eu", OVH_CLIENT_ID: "c", OVH_CLIENT_SECRET: "x" }],
    ["endpoint", { OVH_ENDPOINT: "mars-1", OVH_APPLICATION_KEY: "a", OVH_APPLICATION_SECRET: "s" }],
    ["endpoint", {}]
  ] as const)("refuses a contradictory or impossible configuration (%s)", ([key, env]) =>
    withFiles([], (paths) => Effect.map(Effect.flip(load({}, env, paths)), (error) => expect(error.settings[0]).toBe(key))))

  it.effect("names every missing setting at once", () =>
    withFiles([], (paths) =>
      Effect.map(Effect.flip(load({}, {}, paths)), (error) => {
        expect(error.settings).toEqual(["endpoint", "application_key", "application_secret"])
        expect(error.message).toMatch(/^ovh configuration: no endpoint.*; application_key is missing.*; application_secret is missing/)
      })))

  it.effect("never quotes a line of a broken file: it may hold a secret", () =>
    withFiles([["ovh.conf", "[ovh-eu]\napplication_secret top-secret\n"]], (paths) =>
      Effect.map(Effect.flip(load({}, {}, paths)), (error) => {
        expect(error.message).toContain("line 2")
        expect(JSON.stringify(error) + error.message).not.toContain("top-secret")
      })))

  it.effect("takes OAuth2 client credentials, and a URL as endpoint", () =>
    withFiles([], (paths) =>
      Effect.gen(function*() {
        const oauth = yield* load({}, { OVH_ENDPOINT: "ovh-eu", OVH_CLIENT_ID: "id", OVH_CLIENT_SECRET: "cs" }, paths)
        expect(oauth.credentials).toMatchObject({ type: "oauth2", clientId: "id" })
        expect(oauth.endpoint.oauth2).toBe("https://www.ovh.com/auth/oauth2/token")
        const local = yield* load({ endpoint: "http://127.0.0.1:8080/1.0/", applicationKey: "a", applicationSecret: "s" }, {}, paths)
        expect(local.endpoint.api).toBe("http://127.0.0.1:8080/1.0")
        expect(local.endpoint.oauth2).toBe("http://127.0.0.1:8080/auth/oauth2/token")
      })))

  it.effect("refuses an endpoint URL with user information, from options, OVH_ENDPOINT or ovh.conf, never showing it", () =>
    withFiles([["ovh.conf", "[default]\nendpoint=https://alice:hunter2@eu.api.ovh.com/1.0\n"]], (paths) =>
      Effect.gen(function*() {
        const keys = { applicationKey: "a", applicationSecret: "s" }
        const refusals = [
          yield* Effect.flip(load({ ...keys, endpoint: "http://alice:hunter2@127.0.0.1:8080/1.0" }, {}, [])),
          yield* Effect.flip(load(keys, { OVH_ENDPOINT: "https://alice:hunter2@eu.api.ovh.com/1.0" }, [])),
          yield* Effect.flip(load(keys, {}, paths)),
          yield* Effect.flip(load({ ...keys, endpoint: "https://alice:hun ter2@eu.api.ovh.com/1.0" }, {}, [])),
          yield* Effect.flip(load({ ...keys, endpoint: " https://alice:hunter2@eu.api.ovh.com/1.0?" }, {}, []))
        ]
        for (const error of refusals) {
          expect(error).toMatchObject({ _tag: "ConfigurationError", settings: ["endpoint"] })
          expect(error.message).toMatch(/"https?:\/\/…@(127\.0\.0\.1:8080|eu\.api\.ovh\.com)\/1\.0\??"/)
          expect(JSON.stringify(error) + error.message + String(error.stack)).not.toMatch(/hunter2|hun ter2|alice/)
        }
      })))

  it.effect("keeps an endpoint URL as a URL parser writes it, and refuses one with a query", () =>
    withFiles([], (paths) =>
      Effect.gen(function*() {
        const keys = { applicationKey: "a", applicationSecret: "s" }
        expect((yield* load({ ...keys, endpoint: "HTTPS://EU.api.OVH.com:443/1.0/" }, {}, paths)).endpoint.api).toBe("https://eu.api.ovh.com/1.0")
        expect((yield* Effect.flip(load({ ...keys, endpoint: "http://127.0.0.1:8080/1.0?x=1" }, {}, paths))).settings).toEqual(["endpoint"])
      })))

  it.effect("refuses a file that is not INI, naming it", () =>
    withFiles([["ovh.conf", "endpoint=ovh-eu\n"]], (paths) =>
      Effect.map(Effect.flip(load({}, {}, paths)), (error) => expect(error.message).toContain("is not a valid INI file"))))
})
