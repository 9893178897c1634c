/**
 * The official Node client (npm `ovh`), a peer no one here wrote, against the simulator served over TLS on 127.0.0.1:
 * it signs `https://127.0.0.1/1.0/…` (no port) and speaks only HTTPS, so the simulator gets a certificate of the
 * test's own making and the client's agent trusts it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { globalAgent } from "node:https"
import createOvh from "ovh"
import { selfSigned } from "../../../src/core/testing/Certificate.js"
import * as OvhTesting from "../../../src/ovh/testing/index.js"

const official = (served: OvhTesting.ServedSimulator, appSecret = served.simulator.keys.applicationSecret) =>
  createOvh({
    appKey: served.simulator.keys.applicationKey,
    appSecret,
    consumerKey: served.simulator.keys.consumerKey,
    host: "127.0.0.1",
    port: served.port,
    basePath: "/1.0"
  })

const serveTls = Effect.gen(function*() {
  const tls = selfSigned()
  const before = globalAgent.options.ca
  globalAgent.options.ca = tls.cert
  yield* Effect.addFinalizer(() => Effect.sync(() => (globalAgent.options.ca = before)))
  return yield* OvhTesting.serve({ tls })
})

describe("the official ovh client against the simulator over TLS", () => {
  it.scopedLive("completes GET /me, a GET with a query and a POST with a body, all signed and checked", () =>
    Effect.gen(function*() {
      const served = yield* serveTls
      expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const ovh = official(served)
      expect(yield* Effect.promise(() => ovh.requestPromised("GET", "/me"))).toMatchObject({ nichandle: "xx11111-ovh" })
      const bills = yield* Effect.promise(() => ovh.requestPromised("GET", "/me/bill", { category: "purchase-web", "date.from": "2025-01-01" }))
      expect(bills).toEqual(["FR52000016", "FR52000020", "FR52000024"])
      const task = yield* Effect.promise(() =>
        ovh.requestPromised("POST", "/email/domain/example.com/redirection", { from: "sales@example.com", to: "contact@example.com", localCopy: false })
      )
      expect(task).toMatchObject({ account: "sales", action: "add", domain: "example.com" })
      const state = yield* served.simulator.state
      expect(state.mailDomains[0]?.redirections.map((r) => r.from)).toContain("sales@example.com")
      const signed = (yield* served.simulator.journal.entries).filter((e) => e.headers["x-ovh-signature"] !== undefined)
      expect(signed.map((e) => `${e.method} ${e.path}`)).toEqual(["GET /1.0/me", "GET /1.0/me/bill", "POST /1.0/email/domain/example.com/redirection"])
    }))

  it.scopedLive("has its call refused with OVH's INVALID_SIGNATURE when the secret is wrong, and nothing is created", () =>
    Effect.gen(function*() {
      const served = yield* serveTls
      const ovh = official(served, "not-the-application-secret-0000")
      const refused = yield* Effect.flip(Effect.tryPromise({
        try: () => ovh.requestPromised("POST", "/email/domain/example.com/redirection", { from: "x@example.com", to: "y@example.com", localCopy: true }),
        catch: (error) => error
      }))
      expect(refused).toEqual({ error: 400, message: "Invalid signature" })
      const state = yield* served.simulator.state
      expect(state.mailDomains[0]?.redirections.map((r) => r.from)).not.toContain("x@example.com")
    }))
})
