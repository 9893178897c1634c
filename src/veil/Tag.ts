/**
 * Tag schemas: the tags attached to entities, and tag list rows.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"

/** An entity a tag is attached to. */
export const TagEntity = Schema.Struct({
  entity_uuid: Schema.String,
  entity_class: Schema.String,
  entity_name: optNull(Schema.String)
})

/** An entity a tag is attached to. */
export interface TagEntity extends Schema.Schema.Type<typeof TagEntity> {}

/** A tag as it appears inside an entity's `tags` list. */
export const TagRef = Schema.Struct({ id: opt(Schema.String), verbose_name: Schema.String, colour: opt(Schema.String) })

/** A tag as it appears inside an entity's `tags` list. */
export interface TagRef extends Schema.Schema.Type<typeof TagRef> {}

/** A tag (`GET tags/`, `GET tags/{id}/`). */
export const Tag = Schema.Struct({
  id: Schema.String,
  verbose_name: Schema.String,
  colour: opt(Schema.String),
  ui_entities: Schema.optionalWith(Schema.Array(TagEntity), { default: () => [], exact: true })
})

/** A tag. */
export interface Tag extends Schema.Schema.Type<typeof Tag> {}
