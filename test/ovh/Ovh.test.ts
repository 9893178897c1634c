import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { PermissionError } from "../../src/core/Errors.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import * as Bills from "../../src/ovh/Bills.js"
import * as Dedicated from "../../src/ovh/Dedicated.js"
import { Ovh } from "../../src/ovh/Ovh.js"
import * as OvhTesting from "../../src/ovh/testing/index.js"
import * as Scripted from "../support/ScriptedHttp.js"

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
