/**
 * What every VeiL entity body shares: references to other entities, permissions, statuses, the list envelope.
 *
 * Bodies keep the controller's field names (`verbose_name`, `user_power_state`, …) so they read like ECP's own
 * documentation; unknown extra fields are tolerated, missing required ones are a decode error naming the path.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { TagRef } from "./Tag.js"

/** Entity statuses (`VeilApiObjectStatus`); the controller may add others, so bodies type `status` as a string. */
export const EntityStatuses = ["CREATING", "ACTIVE", "FAILED", "DELETING", "SERVICE", "PARTIAL", "SUCCESS"] as const

/** A known entity status. */
export type EntityStatus = typeof EntityStatuses[number]

/**
 * A reference to another entity. ECP sends `{id, verbose_name}` in most bodies but a bare uuid string in some
 * (domain and node detail `cluster`): both decode to a reference.
 */
export class EntityRef extends Schema.Class<EntityRef>("EntityRef")({
  id: Schema.String,
  verbose_name: Schema.optional(Schema.NullOr(Schema.String))
}) {}

/** Decodes `{id, verbose_name}` or a bare id string into an {@link EntityRef}. */
export const RefOrId: Schema.Schema<EntityRef, string | Schema.Schema.Encoded<typeof EntityRef>> = Schema.Union(
  EntityRef,
  Schema.transform(Schema.String, Schema.typeSchema(EntityRef), {
    strict: true,
    decode: (id) => new EntityRef({ id }),
    encode: (ref) => ref.id
  })
)

const isNameList = (u: Readonly<Record<string, boolean>> | ReadonlyArray<string>): u is ReadonlyArray<string> =>
  Array.isArray(u)

/**
 * Granted permissions. ECP sends an object `{name: bool}` in detail bodies but a list of names in the domain body of
 * a synchronous action: both decode to the list of granted names.
 */
export const Permissions: Schema.Schema<ReadonlyArray<string>, Readonly<Record<string, boolean>> | ReadonlyArray<string>> =
  Schema.transform(
    Schema.Union(Schema.Record({ key: Schema.String, value: Schema.Boolean }), Schema.Array(Schema.String)),
    Schema.Array(Schema.String),
    {
      strict: true,
      decode: (input) =>
        isNameList(input) ? input : Object.entries(input).filter(([, granted]) => granted).map(([name]) => name),
      encode: (names) => names
    }
  )

/** An ISO-8601 timestamp as ECP writes it (`2020-10-13T05:05:27.373701Z`), kept as text. */
export const Timestamp = Schema.String

/** The fields and status helpers every entity has. */
export class Entity extends Schema.Class<Entity>("Entity")({
  id: Schema.String,
  verbose_name: Schema.optional(Schema.NullOr(Schema.String)),
  status: Schema.optional(Schema.String),
  tags: Schema.optional(Schema.Array(TagRef)),
  hints: Schema.optional(Schema.Number)
}) {
  /** `status` is `CREATING`. */
  get creating(): boolean {
    return this.status === "CREATING"
  }
  /** `status` is `ACTIVE`. */
  get active(): boolean {
    return this.status === "ACTIVE"
  }
  /** `status` is `FAILED`. */
  get failed(): boolean {
    return this.status === "FAILED"
  }
  /** `status` is `DELETING`. */
  get deleting(): boolean {
    return this.status === "DELETING"
  }
  /** `status` is `SERVICE` (maintenance). */
  get service(): boolean {
    return this.status === "SERVICE"
  }
  /** `status` is `PARTIAL`. */
  get partial(): boolean {
    return this.status === "PARTIAL"
  }
}

/** Fields of detail bodies (`GET {prefix}{id}/`). */
export const detailFields = {
  description: Schema.optional(Schema.NullOr(Schema.String)),
  locked_by: Schema.optional(Schema.NullOr(Schema.String)),
  permissions: Schema.optional(Permissions),
  created: Schema.optional(Schema.NullOr(Timestamp)),
  modified: Schema.optional(Schema.NullOr(Timestamp)),
  entity_type: Schema.optional(Schema.String)
}

/** The list envelope `{count, next, previous, results}`. */
export interface ListEnvelope<A> {
  readonly count: number
  readonly next: string | null
  readonly previous: string | null
  readonly results: ReadonlyArray<A>
}

/** The list envelope around rows of `row`. */
export const ListEnvelope = <A, I>(row: Schema.Schema<A, I>) =>
  Schema.Struct({
    count: Schema.Number,
    next: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
    previous: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
    results: Schema.Array(row)
  })
