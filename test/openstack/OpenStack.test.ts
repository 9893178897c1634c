/** The OpenStack Promise facade from plain Node code: configuration from `OS_*`, and the errors it rejects with. */
import { Headers, HttpServerRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigurationError, SessionClosedError } from "../../src/core/Errors.js"
import { selfSigned } from "../../src/core/testing/Certificate.js"
import * as Serve from "../../src/core/testing/Serve.js"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { OpenStack } from "../../src/openstack/OpenStack.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"
import { rejection } from "../support/Rejection.js"

describe("OpenStack (Promise facade)", () => {
  it("with nothing set, rejects with one ConfigurationError naming every missing variable", async () => {
    const error = await rejection(OpenStack.fromEnv({}))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      _tag: "ConfigurationError",
      api: "openstack",
      settings: ["OS_AUTH_URL", "OS_PASSWORD", "OS_USERNAME"],
      sources: ["OS_* environment"]
    })
    expect(error instanceof Error && error.stack).toContain("ConfigurationError")
  })

  it.live("opens from the variables the simulator prints, and refuses work once closed with a SessionClosedError", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        const os = await OpenStack.fromEnv(served.env)
        try {
          const image = await os.images.get("cirros-0.6.2-x86_64-disk")
          expect(image.name).toBe("cirros-0.6.2-x86_64-disk")
        } finally {
          await os.close()
        }
        const closed = await rejection(os.flavors.list())
        expect(closed).toBeInstanceOf(SessionClosedError)
        expect(closed).toMatchObject({ api: "openstack" })
      }))))

  it.live("offers every operation of the service: objects.get answers the metadata and a body to iterate", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        await using os = await OpenStack.fromEnv(served.env)
        await os.objects.createContainer("reports")
        const text = new TextEncoder().encode("quarterly figures")
        await os.objects.put("reports", "q3.txt", text, { contentType: "text/plain", metadata: { owner: "ops" } })
        const download = await os.objects.get("reports", "q3.txt")
        expect(download.metadata).toEqual({ owner: "ops" })
        const chunks: Array<Uint8Array> = []
        for await (const chunk of download.body()) chunks.push(chunk)
        expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe("quarterly figures")
        expect(await os.objects.head("reports", "q3.txt")).toMatchObject({ contentLength: text.length, metadata: { owner: "ops" } })
      }))))

  it.live("volumes.list and its snapshots group work through the Promise client", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        await using os = await OpenStack.fromEnv(served.env)
        const made = await os.volumes.create({ size: 1, name: "promised" })
        const page = await os.volumes.list({ name: "promised" })
        expect(page.items.map((v) => v.id)).toEqual([made.id])
        const names: Array<string | null | undefined> = []
        for await (const volume of os.volumes.listAll()) names.push(volume.name)
        expect(names).toEqual(["promised"])
        expect((await os.volumes.snapshots.list()).items).toEqual([])
      }))))

  it.live("images.upload takes an async iterable with a plain progress callback", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        await using os = await OpenStack.fromEnv(served.env)
        const image = await os.images.create({ name: "tiny" })
        const chunk = new Uint8Array(1024).fill(7)
        async function* chunks() {
          yield chunk
          yield chunk
        }
        const seen: Array<number> = []
        await os.images.upload(image.id, chunks(), { size: 2048, onProgress: (p) => seen.push(p.sent) })
        expect(seen).toEqual([1024, 2048])
        expect((await os.images.get(image.id)).status).toBe("active")
      }))))
})

describe("OpenStack (Promise facade) over HTTPS: cacert, insecure", () => {
  /** The simulator on https://127.0.0.1 (its catalog on https too), its OS_* variables, and its certificate as a file. */
  const overTls = (body: (env: Record<string, string>, caFile: string, dir: string) => Promise<void>) =>
    Effect.scoped(Effect.gen(function*() {
      const tls = selfSigned()
      const simulator = yield* OpenStackTesting.make()
      const https = Effect.updateService(simulator.app, HttpServerRequest.HttpServerRequest, (request) =>
        request.modify({ headers: Headers.set(request.headers, "x-forwarded-proto", "https") }))
      const served = yield* Serve.serve(https, { tls })
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "os-ca-"))),
        (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
      )
      const caFile = join(dir, "ca.pem")
      writeFileSync(caFile, tls.cert)
      yield* Effect.promise(() => body(OpenStackTesting.envOf(simulator.credentials, OpenStackTesting.authUrlOf(served.url)), caFile, dir))
    }))

  it.live("OS_CACERT and clouds.yaml's cacert are trusted; an unreadable one is named as its source spells it", () =>
    overTls(async (env, caFile, dir) => {
      {
        await using os = await OpenStack.fromEnv({ ...env, OS_CACERT: caFile })
        expect((await os.flavors.list()).items.length).toBeGreaterThan(0)
      }
      const refused = await rejection(OpenStack.fromEnv(env))
      expect(refused).toMatchObject({ _tag: "TransportError", code: "DEPTH_ZERO_SELF_SIGNED_CERT" })
      const missing = await rejection(OpenStack.fromEnv({ ...env, OS_CACERT: join(dir, "gone.pem") }))
      expect(missing).toBeInstanceOf(ConfigurationError)
      expect(missing).toMatchObject({ api: "openstack", settings: ["OS_CACERT"], sources: ["OS_* environment"] })
      const clouds = join(dir, "clouds.yaml")
      const cloud = (cacert: string) =>
        [
          "clouds:",
          "  sim:",
          "    auth:",
          `      auth_url: ${env["OS_AUTH_URL"]}`,
          `      username: ${env["OS_USERNAME"]}`,
          `      password: ${env["OS_PASSWORD"]}`,
          `      project_name: ${env["OS_PROJECT_NAME"]}`,
          `      user_domain_name: ${env["OS_USER_DOMAIN_NAME"]}`,
          `      project_domain_name: ${env["OS_PROJECT_DOMAIN_NAME"]}`,
          `    cacert: ${cacert}`,
          ""
        ].join("\n")
      writeFileSync(clouds, cloud(caFile))
      {
        await using os = await OpenStack.fromCloudsYaml({ cloud: "sim", file: clouds, directories: [] })
        expect((await os.flavors.list()).items.length).toBeGreaterThan(0)
      }
      writeFileSync(clouds, cloud(join(dir, "gone.pem")))
      const named = await rejection(OpenStack.fromCloudsYaml({ cloud: "sim", file: clouds, directories: [] }))
      expect(named).toMatchObject({ _tag: "ConfigurationError", settings: ["cacert"] })
    }))

  it.live("OS_INSECURE turns verification off, with one process warning for the host", () =>
    overTls(async (env) => {
      const warnings: Array<string> = []
      const listen = (warning: Error) => {
        if ("code" in warning && warning.code === NodeTransport.insecureWarningCode) warnings.push(warning.message)
      }
      process.on("warning", listen)
      try {
        for (let session = 0; session < 2; session++) {
          await using os = await OpenStack.fromEnv({ ...env, OS_INSECURE: "true" })
          expect((await os.flavors.list()).items.length).toBeGreaterThan(0)
          expect((await os.images.list()).items.length).toBeGreaterThan(0)
        }
        await new Promise((resolve) => setImmediate(resolve))
        const host = new URL(env["OS_AUTH_URL"] ?? "").host
        expect(warnings.filter((w) => w.includes(host))).toEqual([
          `TLS certificate verification is off for ${host} (verifyTls: false): anyone on the way can read and change the traffic, credentials included`
        ])
      } finally {
        process.off("warning", listen)
      }
    }))

  it.live("withSignal: a signal already aborted rejects at once and sends nothing", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        await using os = await OpenStack.fromEnv(served.env)
        const before = (await Effect.runPromise(served.simulator.journal.entries)).length
        const reason = new Error("not now")
        expect(await rejection(os.withSignal(AbortSignal.abort(reason)).flavors.list())).toBe(reason)
        expect((await Effect.runPromise(served.simulator.journal.entries)).length).toBe(before)
        expect((await os.flavors.list()).items.length).toBeGreaterThan(0)
      }))))
})
