import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { selfSigned } from "../../src/core/testing/Certificate.js"
import { PermissionError } from "../../src/core/Errors.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import * as Bills from "../../src/ovh/Bills.js"
import * as Dedicated from "../../src/ovh/Dedicated.js"
import { Ovh } from "../../src/ovh/Ovh.js"
import * as OvhTesting from "../../src/ovh/testing/index.js"
import { rejection } from "../support/Rejection.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const json = (status: number, body: unknown): Scripted.Reply => ({ status, body, headers: { "content-type": "application/json" } })

describe("Ovh (Promise facade)", () => {
  it("connects from explicit options, calls, rejects with tagged errors, and closes", async () => {
    const http = await Effect.runPromise(Scripted.make((sent) =>
      sent.url.endsWith("/auth/time")
        ? json(200, 1_700_000_000)
        : sent.url.endsWith("/me")
        ? json(200, { nichandle: "ab12345-ovh" })
        : json(403, { errorCode: "NOT_GRANTED_CALL", httpCode: "403 Forbidden", message: "This call has not been granted" })
    ))
    const options = {
      endpoint: "http://ovh.test/1.0",
      applicationKey: "ak",
      applicationSecret: "as",
      consumerKey: "ck",
      configFile: undefined,
      transport: http.layer
    }
    let kept: Ovh | undefined
    {
      await using ovh = await Ovh.connect(options)
      kept = ovh
      expect(await ovh.get("/me", undefined, Schema.Struct({ nichandle: Schema.String }))).toEqual({ nichandle: "ab12345-ovh" })
      const refused = await ovh.get("/me/bill").then(() => undefined, (error: unknown) => error)
      expect(refused).toBeInstanceOf(PermissionError)
      expect(refused).toMatchObject({ _tag: "PermissionError", code: "NOT_GRANTED_CALL" })
    }
    expect(await kept.get("/me").then(() => "answered", () => "refused")).toBe("refused")
  })

  it("runs typed operations in the session against the simulator", async () => {
    const simulator = await Effect.runPromise(OvhTesting.make())
    await using ovh = await Ovh.connect({ ...OvhTesting.clientOptions(simulator.keys), transport: InProcess.layer(simulator.app) })
    const ids = await ovh.run(Bills.list({ category: "purchase-web" }))
    const bills = await Promise.all(ids.map((id) => ovh.run(Bills.get(id))))
    expect(bills.map((b) => b.category)).toEqual(["purchase-web", "purchase-web", "purchase-web", "purchase-web", "purchase-web", "purchase-web"])
    await ovh.run(Dedicated.setBurst("ns3001234.ip-51-68-1.eu", "active"))
    expect(await ovh.run(Dedicated.burst("ns3001234.ip-51-68-1.eu"))).toMatchObject({ status: "active" })
  })

  it("forEach runs typed operations at most `concurrency` at a time, in the items' order; a failure rejects", async () => {
    const simulator = await Effect.runPromise(OvhTesting.make())
    await using ovh = await Ovh.connect({ ...OvhTesting.clientOptions(simulator.keys), transport: InProcess.layer(simulator.app) })
    const ids = await ovh.run(Bills.list())
    let running = 0
    let most = 0
    const bills = await ovh.forEach(ids, (id) =>
      Effect.acquireUseRelease(
        Effect.sync(() => (most = Math.max(most, ++running))),
        () => Effect.zipLeft(Bills.get(id), Effect.sleep("5 millis")),
        () => Effect.sync(() => running--)
      ), { concurrency: 5 })
    expect(bills.map((b) => b.billId)).toEqual(ids)
    expect(most).toBe(5)
    const refused = await ovh.forEach(["FR52000001", "FR0"], Bills.get, { concurrency: 2 }).then(() => undefined, (error: unknown) => error)
    expect(refused).toMatchObject({ _tag: "NotFoundError" })
  })
})

describe("Ovh (Promise facade) over HTTPS, and cancellation", () => {
  it.live("trusts `ca` given as a file path (or PEM text); without it the certificate is refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const tls = selfSigned()
      const served = yield* OvhTesting.serve({ tls })
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "ovh-ca-"))),
        (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
      )
      const file = join(dir, "ca.pem")
      writeFileSync(file, tls.cert)
      const options = { ...OvhTesting.clientOptions(served.simulator.keys, served.endpoint), configFile: undefined }
      yield* Effect.promise(async () => {
        for (const ca of [file, tls.cert]) {
          await using ovh = await Ovh.connect({ ...options, ca })
          expect(await ovh.get("/me", undefined, Schema.Struct({ nichandle: Schema.String }))).toMatchObject({ nichandle: expect.any(String) })
        }
        expect(await rejection(Ovh.connect(options))).toMatchObject({ _tag: "TransportError", code: "DEPTH_ZERO_SELF_SIGNED_CERT" })
        expect(await rejection(Ovh.connect({ ...options, ca: join(dir, "gone.pem") }))).toMatchObject({ _tag: "ConfigurationError", api: "ovh", settings: ["ca"] })
      })
    })))

  it("withSignal: a signal already aborted rejects at once and sends nothing; the session goes on", async () => {
    const simulator = await Effect.runPromise(OvhTesting.make())
    await using ovh = await Ovh.connect({ ...OvhTesting.clientOptions(simulator.keys), transport: InProcess.layer(simulator.app) })
    const before = (await Effect.runPromise(simulator.journal.entries)).length
    const aborted = ovh.withSignal(AbortSignal.abort())
    expect(await rejection(aborted.run(Bills.list()))).toMatchObject({ name: "AbortError" })
    expect(await rejection(aborted.get("/me"))).toMatchObject({ name: "AbortError" })
    expect((await Effect.runPromise(simulator.journal.entries)).length).toBe(before)
    expect((await ovh.run(Bills.list())).length).toBeGreaterThan(0)
  })
})
