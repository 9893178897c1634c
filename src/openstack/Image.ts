/**
 * Glance v2 images: the image record (`GET /v2/images/{id}`, the 201 answer to `POST /v2/images`), the list
 * envelope of `GET /v2/images`, and the known image statuses.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt } from "../core/Fields.js"

/** Image statuses (the `status` enum of `GET /v2/schemas/image`); bodies type `status` as a string. */
export const ImageStatuses = [
  "queued",
  "saving",
  "uploading",
  "importing",
  "active",
  "deactivated",
  "killed",
  "deleted",
  "pending_delete"
] as const

/** A known image status. */
export type ImageStatus = typeof ImageStatuses[number]

/** A location of an image's data (`locations`, shown only when the cloud exposes them). */
export const ImageLocation = Schema.Struct({
  url: Schema.String,
  metadata: opt(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/** A location of an image's data. */
export interface ImageLocation extends Schema.Schema.Type<typeof ImageLocation> {}

/**
 * An image record. Fields are null until known (`name`, `size`, `checksum` before upload). Glance writes custom
 * properties (`os_distro`, `hw_disk_bus`, …) as extra top-level keys: they are kept, readable by name as `unknown`
 * (string values on the wire).
 */
export const Image = Schema.Struct(
  {
    id: Schema.String,
    name: Schema.NullOr(Schema.String),
    status: Schema.String,
    visibility: Schema.String,
    protected: Schema.Boolean,
    os_hidden: opt(Schema.Boolean),
    disk_format: opt(Schema.NullOr(Schema.String)),
    container_format: opt(Schema.NullOr(Schema.String)),
    size: opt(Schema.NullOr(Schema.Number)),
    virtual_size: opt(Schema.NullOr(Schema.Number)),
    checksum: opt(Schema.NullOr(Schema.String)),
    os_hash_algo: opt(Schema.NullOr(Schema.String)),
    os_hash_value: opt(Schema.NullOr(Schema.String)),
    min_disk: Schema.Number,
    min_ram: Schema.Number,
    owner: opt(Schema.NullOr(Schema.String)),
    tags: Schema.Array(Schema.String),
    created_at: Schema.String,
    updated_at: Schema.String,
    self: Schema.String,
    file: Schema.String,
    schema: Schema.String,
    stores: opt(Schema.String),
    direct_url: opt(Schema.String),
    locations: opt(Schema.Array(ImageLocation))
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/** An image record. */
export interface Image extends Schema.Schema.Type<typeof Image> {}

/**
 * `{"images": [...], "first", "schema", "next"?}`: the body of `GET /v2/images`. `next` is a relative link
 * (`/v2/images?marker=…`) to join with the endpoint, absent on the last page.
 */
export const ImageList = Schema.Struct({
  images: Schema.Array(Image),
  first: Schema.String,
  schema: Schema.String,
  next: opt(Schema.String)
})

/** The body of `GET /v2/images`. */
export interface ImageList extends Schema.Schema.Type<typeof ImageList> {}
