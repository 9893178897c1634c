/**
 * Typed dedicated-server calls (`/dedicated/server`), decoded against the API schema's models.
 *
 * Enumerations the schema declares (`datacenter`, `state`, `powerState`, `supportLevel`) are read as plain strings:
 * OVH adds values over time, and a recorded answer already carries one the published enum lacks (`state: "test"`).
 * Fields that older answers lack (`region`, `availabilityZone`, `powerState`, `iam`) are optional.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Path from "../core/Path.js"
import { OvhClient } from "./Client.js"

const nullable = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** `dedicated.server.DedicatedWithIAM`: one dedicated server. */
export const DedicatedServer = Schema.Struct({
  name: Schema.String,
  serverId: Schema.Number,
  ip: Schema.String,
  datacenter: Schema.String,
  os: Schema.String,
  state: Schema.String,
  rack: Schema.String,
  commercialRange: nullable(Schema.String),
  reverse: nullable(Schema.String),
  supportLevel: Schema.String,
  monitoring: Schema.Boolean,
  noIntervention: Schema.Boolean,
  professionalUse: Schema.Boolean,
  newUpgradeSystem: Schema.Boolean,
  bootId: nullable(Schema.Number),
  bootScript: nullable(Schema.String),
  linkSpeed: nullable(Schema.Number),
  rescueMail: nullable(Schema.String),
  rescueSshKey: nullable(Schema.String),
  rootDevice: nullable(Schema.String),
  powerState: Schema.optional(Schema.String),
  region: Schema.optional(Schema.String),
  availabilityZone: Schema.optional(Schema.String),
  iam: Schema.optional(Schema.Struct({ id: Schema.String, urn: Schema.String, displayName: Schema.optional(Schema.String) }))
})

/** A dedicated server as decoded. */
export interface DedicatedServer extends Schema.Schema.Type<typeof DedicatedServer> {}

/** The service names of the account's dedicated servers (`GET /dedicated/server`). */
export const list: Effect.Effect<ReadonlyArray<string>, ApiError, OvhClient> = Effect.flatMap(
  OvhClient,
  (ovh) => ovh.get("/dedicated/server", undefined, Schema.Array(Schema.String))
)

/** One dedicated server by service name (`GET /dedicated/server/{serviceName}`). */
export const get = (serviceName: string): Effect.Effect<DedicatedServer, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/dedicated/server/{serviceName}", { serviceName }), undefined, DedicatedServer)
  )
