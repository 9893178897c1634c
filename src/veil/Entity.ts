/**
 * What every VeiL entity body shares: references to other entities, permissions, statuses, the list envelope.
 *
 * Bodies are plain data and keep the controller's field names (`verbose_name`, `user_power_state`, …) so they read
 * like ECP's own documentation; unknown extra fields are tolerated (and may be kept, see `Decoding`), a missing
 * required one is a decode error naming its path. Optional fields are exact (a key is absent or holds a value, as in
 * JSON), which also keeps decoding fast.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import { TagRef } from "./Tag.js"

/** Entity statuses (`VeilApiObjectStatus`); the controller may add others, so bodies type `status` as a string. */
export const EntityStatuses = ["CREATING", "ACTIVE", "FAILED", "DELETING", "SERVICE", "PARTIAL", "SUCCESS"] as const

/** A known entity status. */
export type EntityStatus = typeof EntityStatuses[number]

/** A reference to another entity: `{id, verbose_name}`. */
export const EntityRef = Schema.Struct({ id: Schema.String, verbose_name: optNull(Schema.String) })

/** A reference to another entity. */
export interface EntityRef extends Schema.Schema.Type<typeof EntityRef> {}

/**
 * A reference that ECP sends as `{id, verbose_name}` in most bodies but as a bare uuid string in some (domain and
 * node detail `cluster`): both decode to an {@link EntityRef}.
 */
export const RefOrId: Schema.Schema<EntityRef, string | Schema.Schema.Encoded<typeof EntityRef>> = Schema.Union(
  EntityRef,
  Schema.transform(Schema.String, Schema.typeSchema(EntityRef), {
    strict: true,
    decode: (id) => ({ id }),
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

/** Fields every entity body has. */
export const entityFields = {
  id: Schema.String,
  verbose_name: optNull(Schema.String),
  status: opt(Schema.String),
  tags: opt(Schema.Array(TagRef)),
  hints: opt(Schema.Number)
}

/** Fields of detail bodies (`GET {prefix}{id}/`). */
export const detailFields = {
  description: optNull(Schema.String),
  locked_by: optNull(Schema.String),
  permissions: opt(Permissions),
  created: optNull(Timestamp),
  modified: optNull(Timestamp),
  entity_type: opt(Schema.String)
}

/** The schema of a detail body: the fields its list row has, then the {@link detailFields}, then its own. */
export const detailOf = <Row extends Schema.Struct.Fields, Own extends Schema.Struct.Fields>(row: Row, own: Own) =>
  Schema.Struct({ ...row, ...detailFields, ...own })

/** Anything with a status. */
export interface HasStatus {
  readonly status?: string | undefined
}

/** `status` is `CREATING`. */
export const isCreating = (entity: HasStatus): boolean => entity.status === "CREATING"
/** `status` is `ACTIVE`. */
export const isActive = (entity: HasStatus): boolean => entity.status === "ACTIVE"
/** `status` is `FAILED`. */
export const isFailed = (entity: HasStatus): boolean => entity.status === "FAILED"
/** `status` is `DELETING`. */
export const isDeleting = (entity: HasStatus): boolean => entity.status === "DELETING"
/** `status` is `SERVICE` (maintenance). */
export const isService = (entity: HasStatus): boolean => entity.status === "SERVICE"
/** `status` is `PARTIAL`. */
export const isPartial = (entity: HasStatus): boolean => entity.status === "PARTIAL"

/**
 * The list envelope `{count, next, previous, results}`. `next` and `previous` are URLs, or `null` when there is no
 * such page; an envelope without them means the same as `null`.
 */
export interface ListEnvelope<A> {
  readonly count: number
  readonly next?: string | null
  readonly previous?: string | null
  readonly results: ReadonlyArray<A>
}

/** The list envelope around rows of `row` (core's `{count, next, previous, results}`, without transformations). */
export const ListEnvelope = Envelope.resultsSchema
