/**
 * Schemas of the record-like entities: events and library files (backups, images).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import { RefOrId } from "./Entity.js"

/** A row of `GET events/`. */
export const Event = Schema.Struct({
  id: Schema.String,
  message: opt(Schema.String),
  detail_message: optNull(Schema.String),
  user: optNull(Schema.String),
  type: opt(Schema.String),
  created: opt(Schema.String),
  task: optNull(Schema.String),
  readed: opt(Schema.Array(Schema.Unknown)),
  entities: opt(Schema.Array(Schema.Struct({ entity_uuid: Schema.String, entity_class: Schema.String })))
})

/** A row of `GET events/`. */
export interface Event extends Schema.Schema.Type<typeof Event> {}

/** A library file (`GET library/`): a backup, an image, an uploaded file. */
export const LibraryFile = Schema.Struct({
  id: Schema.String,
  verbose_name: optNull(Schema.String),
  filename: optNull(Schema.String),
  status: opt(Schema.String),
  path: optNull(Schema.String),
  size: optNull(Schema.Number),
  assignment_type: optNull(Schema.String),
  can_be_incremental: opt(Schema.Boolean),
  datapool: optNull(RefOrId),
  domain: optNull(RefOrId),
  created: optNull(Schema.String),
  additional_flags: opt(Schema.Unknown)
})

/** A library file (`GET library/`): a backup, an image, an uploaded file. */
export interface LibraryFile extends Schema.Schema.Type<typeof LibraryFile> {}
