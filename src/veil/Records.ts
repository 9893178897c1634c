/**
 * Schemas of the record-like entities: events and library files (backups, images).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RefOrId } from "./Entity.js"

/** A row of `GET events/`. */
export class Event extends Schema.Class<Event>("Event")({
  id: Schema.String,
  message: Schema.optional(Schema.String),
  detail_message: Schema.optional(Schema.NullOr(Schema.String)),
  user: Schema.optional(Schema.NullOr(Schema.String)),
  type: Schema.optional(Schema.String),
  created: Schema.optional(Schema.String),
  task: Schema.optional(Schema.NullOr(Schema.String)),
  readed: Schema.optional(Schema.Array(Schema.Unknown)),
  entities: Schema.optional(Schema.Array(Schema.Struct({ entity_uuid: Schema.String, entity_class: Schema.String })))
}) {}

/** A library file (`GET library/`): a backup, an image, an uploaded file. */
export class LibraryFile extends Schema.Class<LibraryFile>("LibraryFile")({
  id: Schema.String,
  verbose_name: Schema.optional(Schema.NullOr(Schema.String)),
  filename: Schema.optional(Schema.NullOr(Schema.String)),
  status: Schema.optional(Schema.String),
  path: Schema.optional(Schema.NullOr(Schema.String)),
  size: Schema.optional(Schema.NullOr(Schema.Number)),
  assignment_type: Schema.optional(Schema.NullOr(Schema.String)),
  can_be_incremental: Schema.optional(Schema.Boolean),
  datapool: Schema.optional(Schema.NullOr(RefOrId)),
  domain: Schema.optional(Schema.NullOr(RefOrId)),
  created: Schema.optional(Schema.NullOr(Schema.String)),
  additional_flags: Schema.optional(Schema.Unknown)
}) {}
