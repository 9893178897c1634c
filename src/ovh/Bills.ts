/**
 * Typed bill calls (`/me/bill`), decoded against the API schema's `billing.Bill`, `billing.BillDetail`, `order.Price`
 * and `order.LongPrice` models. Enumerations (`category`, `currencyCode`) are read as plain strings: OVH adds values.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Envelope from "../core/Envelope.js"
import { nullable } from "../core/Fields.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import type { OvhClient } from "./Client.js"
import { sender } from "./Sender.js"

/** `order.Price`: an amount with its currency and OVH's own rendering of it. */
export const Price = Schema.Struct({
  currencyCode: Schema.String,
  text: Schema.String,
  value: Schema.Number,
  /** The amount in millionths of a cent, when OVH gives it. */
  priceInUcents: nullable(Schema.Number)
})

/** `billing.Bill`: one bill. */
export const Bill = Schema.Struct({
  billId: Schema.String,
  category: Schema.String,
  date: Schema.Date,
  orderId: Schema.Number,
  password: Schema.Redacted(Schema.String),
  pdfUrl: Schema.Redacted(Schema.String),
  url: Schema.Redacted(Schema.String),
  priceWithTax: Price,
  priceWithoutTax: Price,
  tax: Price
})

/** A bill as decoded; its password and its URLs (which embed the password) are `Redacted`. */
export interface Bill extends Schema.Schema.Type<typeof Bill> {}

/** Which bills to list; all of them by default. */
export interface BillFilter {
  /** `autorenew`, `earlyrenewal`, `purchase`, `purchase-cloud`, `purchase-servers`, `purchase-telecom`, `purchase-web`. */
  readonly category?: string | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
  readonly orderId?: number | undefined
}

/** The account's bills, declared with core's `Resource`. */
const bills = Resource.direct(sender, {
  name: "bill",
  path: "/me/bill",
  item: "/me/bill/{billId}",
  list: Envelope.array(Schema.String),
  one: Envelope.bare(Bill),
  query: { category: Query.string("category"), from: Query.date("date.from"), to: Query.date("date.to"), orderId: Query.number("orderId") },
  paging: Resource.single
})

/** The ids of the account's bills (`GET /me/bill`). */
export const list = (filter: BillFilter = {}): Effect.Effect<ReadonlyArray<string>, ApiError, OvhClient> =>
  Effect.map(bills.list(filter), (page) => page.items)

/** One bill by id (`GET /me/bill/{billId}`). */
export const get = (billId: string): Effect.Effect<Bill, ApiError, OvhClient> => bills.get(billId)

/** `order.LongPrice`: an amount with all its digits, its currency and OVH's rendering of it. */
export const LongPrice = Schema.Struct({ currencyCode: Schema.String, text: Schema.String, value: Schema.Number })

/** `billing.BillDetail`: one line of a bill. */
export const BillDetail = Schema.Struct({
  billDetailId: Schema.String,
  description: Schema.String,
  domain: Schema.String,
  /** A decimal number, as OVH writes it (`"1"`, `"0.5"`). */
  quantity: Schema.String,
  /** First day billed (`YYYY-MM-DD`), when the line covers a period. */
  periodStart: nullable(Schema.String),
  /** Last day billed (`YYYY-MM-DD`), when the line covers a period. */
  periodEnd: nullable(Schema.String),
  totalPrice: Price,
  unitPrice: LongPrice
})

/** A bill line as decoded. */
export interface BillDetail extends Schema.Schema.Type<typeof BillDetail> {}

/** The lines of a bill: a child resource of the bill. */
const lines = Resource.direct(sender, {
  name: "billDetail",
  path: "details",
  item: "details/{billDetailId}",
  list: Envelope.array(Schema.String),
  one: Envelope.bare(BillDetail),
  query: {},
  paging: Resource.single
})

/** The ids of a bill's lines (`GET /me/bill/{billId}/details`). */
export const details = (billId: string): Effect.Effect<ReadonlyArray<string>, ApiError, OvhClient> =>
  Effect.map(lines.under(bills.item(billId)).list(), (page) => page.items)

/** One line of a bill (`GET /me/bill/{billId}/details/{billDetailId}`). */
export const detail = (billId: string, billDetailId: string): Effect.Effect<BillDetail, ApiError, OvhClient> =>
  lines.under(bills.item(billId)).get(billDetailId)
