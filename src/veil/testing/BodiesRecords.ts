/**
 * Bodies of tags and events, shaped like `tag-list.json` and `event-list.json`.
 *
 * @since 0.1.0
 */
import type { RenderContext } from "./BodiesCommon.js"
import type { JsonObject } from "../../core/testing/Json.js"
import { findById, type EventRecord, type TagRecord } from "./State.js"

/**
 * Tag row (list and detail): `{verbose_name, id, colour, ui_entities}`.
 *
 * @since 0.1.0
 */
export const tagRow = (ctx: RenderContext, tag: TagRecord): JsonObject => ({
  verbose_name: tag.verbose_name,
  id: tag.id,
  colour: tag.colour,
  ui_entities: tag.entities.map((e) => ({
    entity_uuid: e.entity_uuid,
    entity_class: e.entity_class,
    entity_name: findById(ctx.state.domains, e.entity_uuid)?.verbose_name ??
      findById(ctx.state.nodes, e.entity_uuid)?.verbose_name ?? ""
  }))
})

/**
 * Event row (list and detail), like `event-list.json`.
 *
 * @since 0.1.0
 */
export const eventRow = (_ctx: RenderContext, event: EventRecord): JsonObject => ({
  id: event.id,
  message: event.message,
  user: event.user,
  detail_message: event.detail_message,
  type: event.type,
  created: event.created,
  task: event.taskId,
  readed: [],
  entities: event.entities.map((e) => ({ entity_uuid: e.entity_uuid, entity_class: e.entity_class }))
})
