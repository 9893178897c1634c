import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, TestClock } from "effect"
import { make } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import { awaitValidation, readOnly, readWrite, readWriteSafe, recursiveRules, request, rules, withConsumerKey } from "../../src/ovh/ConsumerKey.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: undefined },
  credentials: { type: "signature", applicationKey: "ak", applicationSecret: Redacted.make("as"), consumerKey: undefined }
}

describe("access rules", () => {
  it("builds one rule per method, and recursive rules that include the root", () => {
    expect(rules(readOnly, "/me")).toEqual([{ method: "GET", path: "/me" }])
    expect(rules(readWriteSafe, "/sms").map((r) => r.method)).toEqual(["GET", "POST", "PUT"])
    expect(recursiveRules(["GET"], "/sms/*")).toEqual([{ method: "GET", path: "/sms" }, { method: "GET", path: "/sms/*" }])
    expect(recursiveRules(["GET"], "/")).toEqual([{ method: "GET", path: "/*" }])
    expect(readWrite).toEqual(["GET", "POST", "PUT", "DELETE"])
  })
})

describe("consumer-key flow", () => {
  it.scoped("requests a key unsigned, then polls until the user has validated it", () =>
    Effect.gen(function*() {
      const json = (status: number, body: unknown) => ({ status, body, headers: { "content-type": "application/json" } })
      const http = yield* Scripted.make((sent) => {
        if (sent.url.endsWith("/auth/time")) return json(200, Math.floor(sent.at / 1000))
        if (sent.url.endsWith("/auth/credential")) {
          return json(200, { state: "pendingValidation", consumerKey: "new-consumer-key", validationUrl: "https://eu.api.ovh.com/auth/?credentialToken=t" })
        }
        return sent.at < 10_000
          ? json(403, { errorCode: "NOT_CREDENTIAL", httpCode: "403 Forbidden", message: "This credential does not exist" })
          : json(200, Fixtures.json("ovh", "auth-current-credential.json"))
      })
      const anonymous = yield* make(config).pipe(Effect.provide(http.layer))
      const asked = yield* request(anonymous, { accessRules: recursiveRules(readOnly, "/") })
      expect(asked.validationUrl).toContain("credentialToken")
      expect(String(asked.consumerKey)).toBe("<redacted>")
      const credentialCall = (yield* http.sent).find((s) => s.url.endsWith("/auth/credential"))
      expect(JSON.parse(credentialCall?.body ?? "{}")).toEqual({ accessRules: [{ method: "GET", path: "/*" }] })
      expect(credentialCall?.headers["x-ovh-signature"]).toBeUndefined()

      const user = yield* make(withConsumerKey(config, asked.consumerKey)).pipe(Effect.provide(http.layer))
      const fiber = yield* Effect.fork(awaitValidation(user, { interval: "5 seconds" }))
      yield* TestClock.adjust("20 seconds")
      const credential = yield* Fiber.join(fiber)
      expect(credential).toMatchObject({ credentialId: 498601349, status: "validated", lastUse: null })
      const polls = (yield* http.sent).filter((s) => s.url.endsWith("/auth/currentCredential"))
      expect(polls.map((p) => p.at)).toEqual([0, 5000, 10000])
      expect(polls[0]?.headers["x-ovh-consumer"]).toBe("new-consumer-key")
    }))
})
