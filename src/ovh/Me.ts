/**
 * The account itself (`GET /me`), decoded against the API schema's `nichandle.Nichandle` model.
 *
 * Enumerations the schema declares (`country`, `language`, `legalform`, `ovhCompany`, `ovhSubsidiary`, `state`, …) are
 * read as plain strings: OVH adds values over time. Fields the schema marks `canBeNull` read as `null` when null or absent.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import { nullable } from "../core/Fields.js"
import { OvhClient } from "./Client.js"

/** `nichandle.Currency`: the account's currency. */
export const Currency = Schema.Struct({ code: Schema.String, symbol: Schema.String })

/** `nichandle.Nichandle`: the account's identity, contact details and billing settings. */
export const Nichandle = Schema.Struct({
  /** The account id, e.g. `xx11111-ovh`. */
  nichandle: Schema.String,
  email: Schema.String,
  country: Schema.String,
  currency: Currency,
  legalform: Schema.String,
  ovhCompany: Schema.String,
  ovhSubsidiary: Schema.String,
  /** `complete` or `incomplete`. */
  state: Schema.String,
  address: nullable(Schema.String),
  area: nullable(Schema.String),
  birthCity: nullable(Schema.String),
  birthDay: nullable(Schema.String),
  city: nullable(Schema.String),
  companyNationalIdentificationNumber: nullable(Schema.String),
  complementaryAddress: nullable(Schema.String),
  corporationType: nullable(Schema.String),
  customerCode: nullable(Schema.String),
  fax: nullable(Schema.String),
  firstname: nullable(Schema.String),
  italianSDI: nullable(Schema.String),
  kycValidated: nullable(Schema.Boolean),
  language: nullable(Schema.String),
  name: nullable(Schema.String),
  nationalIdentificationNumber: nullable(Schema.String),
  organisation: nullable(Schema.String),
  phone: nullable(Schema.String),
  phoneCountry: nullable(Schema.String),
  phoneType: nullable(Schema.String),
  purposeOfPurchase: nullable(Schema.String),
  sex: nullable(Schema.String),
  spareEmail: nullable(Schema.String),
  vat: nullable(Schema.String),
  zip: nullable(Schema.String)
})

/** The account as decoded. */
export interface Nichandle extends Schema.Schema.Type<typeof Nichandle> {}

/** The account the credentials belong to (`GET /me`). */
export const get: Effect.Effect<Nichandle, ApiError, OvhClient> = Effect.flatMap(
  OvhClient,
  (ovh) => ovh.get("/me", undefined, Nichandle)
)
