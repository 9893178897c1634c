import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Me from "../../src/ovh/Me.js"
import * as OvhScripted from "../support/OvhScripted.js"

// No recorded `GET /me` with clear provenance exists; this body follows the schema's `nichandle.Nichandle` model
// (fields it leaves out are nullable).
const nichandle = {
  nichandle: "xx11111-ovh",
  email: "jane@example.com",
  firstname: "Jane",
  name: "Doe",
  organisation: null,
  address: "2 rue Kellermann",
  city: "Roubaix",
  zip: "59100",
  country: "FR",
  language: "fr_FR",
  legalform: "individual",
  currency: { code: "EUR", symbol: "€" },
  ovhSubsidiary: "FR",
  ovhCompany: "ovh",
  state: "complete",
  customerCode: "1234-5678-90",
  kycValidated: true,
  phone: "+33.123456789",
  vat: null
}

describe("OVH account", () => {
  it.effect("reads GET /me: the required fields, the nullable ones as null when null or absent", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => nichandle, Me.get)
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me", body: undefined })
      expect(value).toMatchObject({
        nichandle: "xx11111-ovh",
        currency: { code: "EUR", symbol: "€" },
        legalform: "individual",
        kycValidated: true,
        organisation: null,
        vat: null,
        sex: null,
        birthDay: null
      })
    }))

  it.effect("keeps values an enumeration of the schema lacks", () =>
    Effect.gen(function*() {
      const { value } = yield* OvhScripted.run(() => ({ ...nichandle, ovhSubsidiary: "ASIA", state: "pending" }), Me.get)
      expect(value).toMatchObject({ ovhSubsidiary: "ASIA", state: "pending" })
    }))

  it.effect("an account without its e-mail is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { email: _, ...withoutEmail } = nichandle
      const error = yield* Effect.flip(OvhScripted.run(() => withoutEmail, Me.get))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("email")
    }))
})
