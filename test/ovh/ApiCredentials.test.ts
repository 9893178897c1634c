import { describe, expect, it } from "@effect/vitest"
import { Effect, Predicate } from "effect"
import * as ApiCredentials from "../../src/ovh/ApiCredentials.js"
import * as ConsumerKey from "../../src/ovh/ConsumerKey.js"
import * as Fixtures from "../support/Fixtures.js"
import * as OvhScripted from "../support/OvhScripted.js"

/** The recorded `auth.ApiCredential` body (`GET /auth/currentCredential`, same model as `/me/api/credential/{id}`). */
const recorded = () => Fixtures.json("ovh", "auth-current-credential.json")

// This body follows the schema's `auth.ApiApplication` model.
const application = { applicationId: 105668, applicationKey: "7kbG7Bk7S9Nt7ZSV", name: "scripts", description: "Ops scripts", status: "active" }

describe("OVH API credentials", () => {
  it.effect("lists credential ids with the filter as query parameters", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => [498601349, 498601350], ApiCredentials.list({ status: "validated", applicationId: 105668 }))
      expect(value).toEqual([498601349, 498601350])
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me/api/credential?applicationId=105668&status=validated" })
    }))

  it.effect("decodes the recorded credential: dates as Dates, null ones as null, the rules", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(recorded, ApiCredentials.get(498601349))
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me/api/credential/498601349" })
      expect(value).toMatchObject({ credentialId: 498601349, applicationId: 105668, status: "validated", ovhSupport: false, lastUse: null, allowedIPs: null })
      expect(value.creation.toISOString()).toBe("2020-03-28T07:07:14.000Z")
      expect(value.expiration?.toISOString()).toBe("2020-03-29T07:07:39.000Z")
      expect(value.rules.map((r) => r.method)).toEqual(["GET", "POST", "PUT", "DELETE"])
    }))

  it.effect("reads the current credential with the same schema the consumer-key flow uses", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(recorded, ApiCredentials.current)
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/auth/currentCredential" })
      expect(value.credentialId).toBe(498601349)
      expect(ConsumerKey.CurrentCredential).toBe(ApiCredentials.ApiCredential)
    }))

  it.effect("reads the application a credential belongs to", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => application, ApiCredentials.application(498601349))
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me/api/credential/498601349/application" })
      expect(value).toEqual(application)
    }))

  it.effect("revokes with DELETE, whether OVH answers an empty body or null", () =>
    Effect.gen(function*() {
      const empty = yield* OvhScripted.run(() => OvhScripted.reply(200), ApiCredentials.revoke(498601349))
      const nothing = yield* OvhScripted.run(() => null, ApiCredentials.revoke(498601349))
      expect([empty.value, nothing.value]).toEqual([undefined, undefined])
      const sent = yield* empty.http.sent
      expect(sent[1]).toMatchObject({ method: "DELETE", url: "http://ovh.test/1.0/me/api/credential/498601349", body: undefined })
    }))

  it.effect("a credential without its status, or an application without its key, is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const fixture = recorded()
      const withoutStatus = Predicate.isRecord(fixture) ? Object.fromEntries(Object.entries(fixture).filter(([key]) => key !== "status")) : {}
      const credential = yield* Effect.flip(OvhScripted.run(() => withoutStatus, ApiCredentials.get(1)))
      expect(credential._tag).toBe("DecodeError")
      expect(credential.message).toContain("status")
      const { applicationKey: __, ...withoutKey } = application
      const app = yield* Effect.flip(OvhScripted.run(() => withoutKey, ApiCredentials.application(1)))
      expect(app.message).toContain("applicationKey")
    }))
})
