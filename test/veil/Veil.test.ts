import { describe, expect, it } from "@effect/vitest"
import { isPowered } from "../../src/veil/Domain.js"
import { type Duration, Effect } from "effect"
import { ConfigurationError, NotFoundError, SessionClosedError } from "../../src/core/Errors.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { Veil } from "../../src/veil/Veil.js"
import * as VeilTesting from "../../src/veil/testing/index.js"
import { selfSigned } from "../../src/core/testing/Certificate.js"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { forwardProxy, proxyEnvironment } from "../support/ForwardProxy.js"
import { rejection } from "../support/Rejection.js"

/** Serves a simulator on 127.0.0.1 and runs Promise code against it, as plain Node code would. */
const overSocket = (body: (served: VeilTesting.ServedSimulator) => Promise<void>, taskDuration: Duration.DurationInput = "300 millis") =>
  Effect.scoped(Effect.flatMap(VeilTesting.serve({ taskDuration }), (served) => Effect.promise(() => body(served))))

const options = (served: VeilTesting.ServedSimulator) => ({ address: served.address, token: served.token, scheme: "http" as const })

describe("Veil (Promise facade) over a real socket", () => {
  it.live("lists, starts and waits with progress, then closes with `await using`", () =>
    overSocket(async (served) => {
      let closedVeil: Veil | undefined
      {
        await using veil = await Veil.connect(options(served))
        closedVeil = veil
        const page = await veil.domains.list({ ordering: "verbose_name", limit: 10 })
        expect(page.items.map((d) => d.verbose_name)).toEqual([...page.items.map((d) => d.verbose_name)].sort())
        const off = page.items.find((d) => d.user_power_state === 1 && d.template === false)
        expect(off).toBeDefined()
        if (off === undefined) return
        const task = await veil.domains.start(off.id)
        expect(task._tag).toBe("TaskHandle")
        const progress: Array<number> = []
        const done = await task.wait({ interval: "50 millis", onProgress: (t) => progress.push(t.progress) })
        expect(done.status).toBe("SUCCESS")
        expect(progress.at(-1)).toBe(100)
        expect(progress.length).toBeGreaterThan(1)
        expect(isPowered(await veil.domains.get(off.id))).toBe(true)
      }
      // The session is closed at the end of the block: the facade refuses further work.
      const closed = await rejection(closedVeil.domains.list())
      expect(closed).toBeInstanceOf(SessionClosedError)
      expect(closed).toMatchObject({ _tag: "SessionClosedError", api: "veil" })
    }, "2 seconds")) // long enough for polls every 50 ms to see the task under way even on a busy machine

  it.live("opens from VEIL_* variables, the environment's or a map's, as the simulator prints them", () =>
    overSocket(async (served) => {
      const variables = { VEIL_ADDRESS: served.address, VEIL_TOKEN: served.token, VEIL_SCHEME: "http" }
      const veil = await Veil.fromEnv(variables, { cache: { timeToLive: "1 minute" } })
      try {
        expect((await veil.nodes.list()).count).toBe(3)
        expect(veil.service.config.baseUrl).toBe(`http://${served.address}/api/`)
      } finally {
        await veil.close()
      }
    }))

  it("names every missing variable at once, without a controller to ask", async () => {
    const error = await rejection(Veil.fromEnv({ VEIL_SCHEME: "http" }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ api: "veil", settings: ["VEIL_ADDRESS", "VEIL_TOKEN"], sources: ["VEIL_* environment"] })
    const wrong = await rejection(Veil.fromEnv({ VEIL_ADDRESS: "10.0.0.1", VEIL_TOKEN: "eyJ-no-prefix", VEIL_SCHEME: "ftp" }))
    expect(wrong).toMatchObject({ _tag: "ConfigurationError", settings: ["VEIL_SCHEME"] })
    expect(String(wrong)).not.toContain("eyJ-no-prefix")
  })

  it("refuses options from plain JavaScript that lack the address or the token, naming them", async () => {
    const fromJs: Parameters<typeof Veil.connect>[0] = JSON.parse('{"address": "10.0.0.1"}')
    const error = await rejection(Veil.connect(fromJs))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ settings: ["token"] })
  })

  it.live("rejects with the same tagged errors an Effect program sees", () =>
    overSocket(async (served) => {
      await using veil = await Veil.connect(options(served))
      const missing = await rejection(veil.domains.get("0f746e1e-82ad-4c86-9059-b5b05c083b36"))
      expect(missing).toBeInstanceOf(NotFoundError)
      expect(missing).toMatchObject({ _tag: "NotFoundError", status: 404, code: "40400" })
      const hostile = await rejection(veil.domains.get("../x"))
      expect(hostile).toMatchObject({ _tag: "InvalidInputError", parameter: "id" })
    }))

  it.live("iterates every page lazily and stops fetching when the loop breaks", () =>
    overSocket(async (served) => {
      await using veil = await Veil.connect(options(served))
      const names: Array<string> = []
      for await (const domain of veil.domains.listAll({ limit: 4 })) names.push(domain.verbose_name ?? "")
      expect(names.length).toBe((await veil.domains.list()).count)
      const before = (await Effect.runPromise(served.simulator.journal.entries)).length
      let seen = 0
      for await (const _ of veil.domains.listAll({ limit: 4 })) {
        if (++seen === 3) break
      }
      const pages = (await Effect.runPromise(served.simulator.journal.entries)).slice(before)
      expect(pages.map((e) => e.query["offset"] ?? "0")).toEqual(["0"])
    }))

  it.live("serves repeated reads from the cache when asked to", () =>
    overSocket(async (served) => {
      await using veil = await Veil.connect({ ...options(served), cache: { timeToLive: "1 minute" } })
      const [first] = (await veil.domains.list({ limit: 1 })).items
      if (first === undefined) throw new Error("no domain")
      for (let i = 0; i < 5; i++) await veil.domains.get(first.id)
      const gets = (await Effect.runPromise(served.simulator.journal.entries)).filter((e) => e.path === `/api/domains/${first.id}/`)
      expect(gets.length).toBe(1)
      expect((await veil.cacheStats()).hits).toBe(4)
    }))

  it.live("refuses a wrong token or a bad configuration at connect, typed and without the secret", () =>
    overSocket(async (served) => {
      const wrong = "jwt eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.d3Jvbmc.c2lnbmF0dXJl"
      const denied = await rejection(Veil.connect({ ...options(served), token: wrong }))
      expect(denied).toMatchObject({ _tag: "AuthenticationError", status: 401, code: "invalid" })
      expect(JSON.stringify(denied) + String(denied)).not.toContain("d3Jvbmc")
      const bad = await rejection(Veil.connect({ ...options(served), token: "eyJ0eXAi.no-prefix" }))
      expect(bad).toMatchObject({ _tag: "ConfigurationError", api: "veil", settings: ["token"] })
      expect(bad).toBeInstanceOf(Error)
    }))
})

describe("Veil over HTTPS with a self-signed certificate", () => {
  const overTls = (body: (served: VeilTesting.ServedSimulator) => Promise<void>) =>
    Effect.scoped(Effect.flatMap(VeilTesting.serve({ tls: selfSigned() }), (served) => Effect.promise(() => body(served))))

  it.live("refuses the certificate by default, with a typed error that says what to do, at once", () =>
    overTls(async (served) => {
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:/)
      const refused = await rejection(Veil.connect({ address: served.address, token: served.token }))
      expect(refused).toMatchObject({ _tag: "TransportError", code: "DEPTH_ZERO_SELF_SIGNED_CERT" })
      expect(String(refused)).toContain("TLS certificate was refused")
      // A refused certificate is not retried: one attempt reached the server's TLS layer, none its API.
      expect((await Effect.runPromise(served.simulator.journal.entries)).length).toBe(0)
    }))

  it.live("accepts it with verifyTls: false", () =>
    overTls(async (served) => {
      await using veil = await Veil.connect({ address: served.address, token: served.token, verifyTls: false })
      expect(veil.service.config.baseUrl).toBe(`https://${served.address}/api/`)
      expect((await veil.nodes.list()).count).toBe(3)
    }))
})

describe("Veil: trusted certificates, proxies, cancellation", () => {
  const withTls = (body: (served: VeilTesting.ServedSimulator, cert: string, file: string) => Promise<void>) =>
    Effect.scoped(Effect.gen(function*() {
      const tls = selfSigned()
      const served = yield* VeilTesting.serve({ tls })
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "veil-ca-"))),
        (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
      )
      const file = join(dir, "ca.pem")
      writeFileSync(file, tls.cert)
      yield* Effect.promise(() => body(served, tls.cert, file))
    }))

  it.live("trusts `ca` (PEM text or a file) on connect, VEIL_CA_FILE on fromEnv; an unreadable one is named", () =>
    withTls(async (served, cert, file) => {
      {
        await using veil = await Veil.connect({ address: served.address, token: served.token, ca: cert })
        expect((await veil.nodes.list()).count).toBe(3)
      }
      {
        await using veil = await Veil.connect({ address: served.address, token: served.token, ca: file })
        expect((await veil.nodes.list()).count).toBe(3)
      }
      {
        await using veil = await Veil.fromEnv({ VEIL_ADDRESS: served.address, VEIL_TOKEN: served.token, VEIL_CA_FILE: file })
        expect(veil.service.config.baseUrl).toBe(`https://${served.address}/api/`)
      }
      const missing = await rejection(Veil.fromEnv({ VEIL_ADDRESS: served.address, VEIL_TOKEN: served.token, VEIL_CA_FILE: `${file}.gone` }))
      expect(missing).toBeInstanceOf(ConfigurationError)
      expect(missing).toMatchObject({ api: "veil", settings: ["VEIL_CA_FILE"], sources: ["VEIL_* environment"] })
      const explicit = await rejection(Veil.connect({ address: served.address, token: served.token, ca: `${file}.gone` }))
      expect(explicit).toMatchObject({ api: "veil", settings: ["ca"], sources: ["explicit options"] })
    }))

  it.live("goes through the `proxy` given, its userinfo kept from errors; NO_PROXY of the environment still applies", () =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* VeilTesting.serve()
      const proxy = yield* forwardProxy({ requireAuthorization: `Basic ${Buffer.from("bob:pa55").toString("base64")}` })
      yield* proxyEnvironment({ NO_PROXY: "127.0.0.1" })
      yield* Effect.promise(async () => {
        {
          await using veil = await Veil.connect({ ...options(served), proxy: `http://bob:pa55@127.0.0.1:${proxy.port}`, noProxy: [] })
          expect((await veil.nodes.list()).count).toBe(3)
        }
        const tunnels = proxy.seen.length
        expect(tunnels).toBeGreaterThan(0)
        expect(new Set(proxy.seen.map((s) => `${s.method} ${s.target}`))).toEqual(new Set([`CONNECT ${served.address}`]))
        const refused = await rejection(
          Veil.connect({ ...options(served), proxy: `http://bob:wrong-pa55@127.0.0.1:${proxy.port}`, noProxy: [], retry: RetryPolicy.make({ attempts: 1 }) })
        )
        expect(refused).toMatchObject({ _tag: "TransportError" })
        expect(`${String(refused)} ${JSON.stringify(refused)}`).not.toContain("wrong-pa55")
        const asked = proxy.seen.length
        expect(asked).toBe(tunnels + 1)
        // Without noProxy, NO_PROXY=127.0.0.1 of the environment sends the request directly.
        await using direct = await Veil.connect({ ...options(served), proxy: `http://bob:pa55@127.0.0.1:${proxy.port}` })
        expect((await direct.nodes.list()).count).toBe(3)
        expect(proxy.seen.length).toBe(asked)
      })
    })))

  it.live("withSignal: an aborted call rejects with the reason; an aborted signal sends nothing; other calls and the session go on", () =>
    overSocket(async (served) => {
      await using veil = await Veil.connect(options(served))
      await Effect.runPromise(served.simulator.faults.inject({ path: "/api/clusters/", fault: { _tag: "Latency", delay: "1 hour" } }))
      const journal = () => Effect.runPromise(served.simulator.journal.entries)
      const controller = new AbortController()
      const cut = rejection(veil.withSignal(controller.signal).clusters.list())
      while (!(await journal()).some((e) => e.path === "/api/clusters/")) await new Promise((r) => setTimeout(r, 10))
      expect((await veil.nodes.list()).count).toBe(3)
      controller.abort()
      expect(await cut).toBe(controller.signal.reason)
      // Already aborted: nothing is sent; listings stop too.
      const before = (await journal()).length
      const aborted = veil.withSignal(AbortSignal.abort())
      expect(await rejection(aborted.domains.list())).toMatchObject({ name: "AbortError" })
      expect(await rejection((async () => {
        for await (const _ of aborted.domains.listAll()) return
      })())).toMatchObject({ name: "AbortError" })
      expect((await journal()).length).toBe(before)
      expect((await veil.clusters.list()).count).toBeGreaterThan(0)
      expect((await journal()).filter((e) => e.path === "/api/clusters/").length).toBe(2)
    }))
})
