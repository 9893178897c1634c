/**
 * Tag schemas: the tags attached to entities, and tag list rows.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** An entity a tag is attached to. */
export class TagEntity extends Schema.Class<TagEntity>("TagEntity")({
  entity_uuid: Schema.String,
  entity_class: Schema.String,
  entity_name: Schema.optional(Schema.NullOr(Schema.String))
}) {}

/** A tag as it appears inside an entity's `tags` list. */
export class TagRef extends Schema.Class<TagRef>("TagRef")({
  id: Schema.optional(Schema.String),
  verbose_name: Schema.String,
  colour: Schema.optional(Schema.String)
}) {}

/** A tag (`GET tags/`, `GET tags/{id}/`). */
export class Tag extends Schema.Class<Tag>("Tag")({
  id: Schema.String,
  verbose_name: Schema.String,
  colour: Schema.optional(Schema.String),
  ui_entities: Schema.optionalWith(Schema.Array(TagEntity), { default: () => [] })
}) {}
