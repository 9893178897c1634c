import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted } from "effect"
import * as Bills from "../../src/ovh/Bills.js"
import { everything, observe } from "../support/Observe.js"
import * as OvhScripted from "../support/OvhScripted.js"

// No recorded bill with clear provenance exists; this body follows the schema's `billing.Bill` model.
const price = (value: number) => ({ currencyCode: "EUR", text: `${value.toFixed(2)} €`, value })
const bill = {
  billId: "FR12345678",
  category: "autorenew",
  date: "2024-03-01T10:12:13+01:00",
  orderId: 123456789,
  password: "pw-secret-1",
  pdfUrl: "https://www.ovh.com/cgi-bin/order/facture.pdf?reference=FR12345678&passwd=pw-secret-1",
  url: "https://www.ovh.com/cgi-bin/order/facture.cgi?reference=FR12345678&passwd=pw-secret-1",
  priceWithTax: { ...price(12), priceInUcents: 1_200_000_000 },
  priceWithoutTax: price(10),
  tax: price(2)
}

describe("OVH bills", () => {
  it.effect("lists bill ids with the filter as OVH's query parameters", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => ["FR1", "FR2"], Bills.list({ category: "autorenew", from: new Date(Date.UTC(2024, 0, 1)) }))
      expect(value).toEqual(["FR1", "FR2"])
      const sent = yield* http.sent
      expect(sent[1]?.url).toBe("http://ovh.test/1.0/me/bill?category=autorenew&date.from=2024-01-01T00%3A00%3A00.000Z")
    }))

  it.effect("decodes a bill: the date as a Date, prices, and the password and its URLs kept out of logs and spans", () =>
    Effect.gen(function*() {
      const recorded = yield* observe(OvhScripted.run(() => bill, Effect.tap(Bills.get("FR12345678"), (b) => Effect.log(b))))
      const decoded = Exit.isSuccess(recorded.exit) ? recorded.exit.value.value : undefined
      expect(decoded?.date.toISOString()).toBe("2024-03-01T09:12:13.000Z")
      expect(decoded?.priceWithTax).toEqual({ currencyCode: "EUR", text: "12.00 €", value: 12, priceInUcents: 1_200_000_000 })
      expect(decoded?.tax.priceInUcents).toBeNull()
      expect(decoded === undefined ? undefined : Redacted.value(decoded.password)).toBe("pw-secret-1")
      expect(everything(recorded)).not.toContain("pw-secret-1")
    }))

  it.effect("a bill without its price is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { tax: _, ...withoutTax } = bill
      const error = yield* Effect.flip(OvhScripted.run(() => withoutTax, Bills.get("FR12345678")))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("tax")
    }))
})

// This body follows the schema's `billing.BillDetail` model (no recorded one with clear provenance exists).
const billDetail = {
  billDetailId: "FR12345678-1",
  description: "Dedicated server ns3001234.ip-1-2-3.eu - 1 month",
  domain: "ns3001234.ip-1-2-3.eu",
  quantity: "1",
  periodStart: "2024-03-01",
  periodEnd: null,
  totalPrice: price(10),
  unitPrice: { currencyCode: "EUR", text: "10.00 €", value: 10 }
}

describe("OVH bill lines", () => {
  it.effect("lists a bill's line ids", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => ["FR12345678-1", "FR12345678-2"], Bills.details("FR12345678"))
      expect(value).toEqual(["FR12345678-1", "FR12345678-2"])
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me/bill/FR12345678/details" })
    }))

  it.effect("decodes a line: days kept as written, a missing period as null, the unit price", () =>
    Effect.gen(function*() {
      const { periodEnd: _, ...withoutEnd } = billDetail
      const { value, http } = yield* OvhScripted.run(() => withoutEnd, Bills.detail("FR12345678", "FR12345678-1"))
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: "http://ovh.test/1.0/me/bill/FR12345678/details/FR12345678-1" })
      expect(value).toEqual({ ...billDetail, totalPrice: { ...price(10), priceInUcents: null } })
    }))

  it.effect("a line without its unit price is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { unitPrice: _, ...withoutUnitPrice } = billDetail
      const error = yield* Effect.flip(OvhScripted.run(() => withoutUnitPrice, Bills.detail("FR12345678", "FR12345678-1")))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("unitPrice")
    }))
})
