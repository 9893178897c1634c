/**
 * Nova flavors: the rows of `GET /flavors`, the records of `GET /flavors/detail` and `GET /flavors/{id}`, and their
 * envelopes. Flavor ids are strings (`"1"`, or arbitrary like `"verify-13501"`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import { optional as opt } from "../core/Fields.js"
import { Summary } from "./Version.js"

/** Extra specs (`hw:cpu_policy`, …): a string map. */
export const ExtraSpecs = Schema.Record({ key: Schema.String, value: Schema.String })

/** A row of `GET /flavors`: `{id, name, links}`. */
export const FlavorRow = Summary

/** A row of `GET /flavors`. */
export type FlavorRow = Summary

/**
 * A flavor record (`GET /flavors/detail`, `GET /flavors/{id}`). `swap` is `""` for no swap below microversion 2.75
 * and `0` from it; `description` comes at 2.55+, `extra_specs` at 2.61+.
 */
export const Flavor = Schema.Struct({
  ...FlavorRow.fields,
  ram: Schema.Number,
  vcpus: Schema.Number,
  disk: Schema.Number,
  swap: opt(Schema.Union(Schema.Number, Schema.Literal(""))),
  "OS-FLV-EXT-DATA:ephemeral": opt(Schema.Number),
  "OS-FLV-DISABLED:disabled": opt(Schema.Boolean),
  "os-flavor-access:is_public": opt(Schema.Boolean),
  rxtx_factor: opt(Schema.Number),
  description: opt(Schema.NullOr(Schema.String)),
  extra_specs: opt(ExtraSpecs)
})

/** A flavor record. */
export interface Flavor extends Schema.Schema.Type<typeof Flavor> {}

/** `{"flavors": [...], "flavors_links"?}`: the body of `GET /flavors`. */
export const FlavorList = Envelope.keyed("flavors", FlavorRow).schema

/** The body of `GET /flavors`. */
export type FlavorList = typeof FlavorList.Type
