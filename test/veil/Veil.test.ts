import { describe, expect, it } from "@effect/vitest"
import { isPowered } from "../../src/veil/Domain.js"
import { Effect } from "effect"
import { NotFoundError } from "../../src/core/Errors.js"
import { Veil } from "../../src/veil/Veil.js"
import * as VeilTesting from "../../src/veil/testing/index.js"
import { selfSigned } from "../../src/core/testing/Certificate.js"

/** Serves a simulator on 127.0.0.1 and runs Promise code against it, as plain Node code would. */
const overSocket = (body: (served: VeilTesting.ServedSimulator) => Promise<void>) =>
  Effect.scoped(Effect.flatMap(VeilTesting.serve({ taskDuration: "300 millis" }), (served) => Effect.promise(() => body(served))))

const options = (served: VeilTesting.ServedSimulator) => ({ address: served.address, token: served.token, scheme: "http" as const })

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected the promise to reject")
}

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
      expect(await rejection(closedVeil.domains.list())).toBeDefined()
    }))

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
      expect(bad).toMatchObject({ _tag: "VeilConfigError", field: "token" })
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
