/**
 * Swift listings with `?format=json`: the containers of an account and the objects of a container. With a
 * `delimiter`, names sharing a prefix up to it fold into `{subdir}` pseudo-directory rows.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt } from "../core/Fields.js"

/** A pseudo-directory row of a listing made with `delimiter`: `{subdir}`. */
export const Subdir = Schema.Struct({ subdir: Schema.String })

/** A pseudo-directory row of a listing. */
export interface Subdir extends Schema.Schema.Type<typeof Subdir> {}

/** A container in an account listing: `{name, count, bytes, last_modified?}`. */
export const ContainerInfo = Schema.Struct({
  name: Schema.String,
  count: Schema.Number,
  bytes: Schema.Number,
  last_modified: opt(Schema.String)
})

/** A container in an account listing. */
export interface ContainerInfo extends Schema.Schema.Type<typeof ContainerInfo> {}

/** An object in a container listing: `{name, hash, bytes, content_type, last_modified}`. */
export const ObjectInfo = Schema.Struct({
  name: Schema.String,
  hash: Schema.String,
  bytes: Schema.Number,
  content_type: Schema.String,
  last_modified: Schema.String,
  symlink_path: opt(Schema.String)
})

/** An object in a container listing. */
export interface ObjectInfo extends Schema.Schema.Type<typeof ObjectInfo> {}

/** A row of an account listing: a container, or a pseudo-directory when listed with `delimiter`. */
export const AccountEntry = Schema.Union(ContainerInfo, Subdir)

/** A row of an account listing. */
export type AccountEntry = Schema.Schema.Type<typeof AccountEntry>

/** A row of a container listing: an object, or a pseudo-directory when listed with `delimiter`. */
export const ContainerEntry = Schema.Union(ObjectInfo, Subdir)

/** A row of a container listing. */
export type ContainerEntry = Schema.Schema.Type<typeof ContainerEntry>

/** The body of `GET /v1/{account}?format=json` (`[]` for an empty account). */
export const AccountListing = Schema.Array(AccountEntry)

/** The body of `GET /v1/{account}/{container}?format=json`. */
export const ContainerListing = Schema.Array(ContainerEntry)

/** Whether a listing row is a pseudo-directory. */
export const isSubdir = (entry: AccountEntry | ContainerEntry): entry is Subdir => "subdir" in entry
