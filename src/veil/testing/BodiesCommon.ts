/**
 * Helpers shared by the body renderers: the render context, permission maps, `{id, verbose_name}` references and
 * the `tags` field.
 *
 * @since 0.1.0
 */
import type { JsonObject } from "../../core/testing/Json.js"
import { findById, type SimState } from "./State.js"

/**
 * What rendering needs besides the record: the state (for names of related entities) and the current virtual time.
 *
 * @since 0.1.0
 */
export interface RenderContext {
  readonly state: SimState
  readonly now: number
}

/**
 * `{name: true, …}` for every name.
 *
 * @since 0.1.0
 */
export const allowAll = (names: ReadonlyArray<string>): JsonObject =>
  Object.fromEntries(names.map((name) => [name, true]))

/**
 * `{id, verbose_name}` of a related entity, or null.
 *
 * @since 0.1.0
 */
export const nameRef = (
  entity: { readonly id: string; readonly verbose_name: string } | undefined
): JsonObject | null => (entity === undefined ? null : { id: entity.id, verbose_name: entity.verbose_name })

/**
 * The `tags` field of an entity: `[{colour, verbose_name}]` of the tags attached to it.
 *
 * @since 0.1.0
 */
export const tagsOf = (state: SimState, id: string): ReadonlyArray<JsonObject> =>
  state.tags
    .filter((tag) => tag.entities.some((e) => e.entity_uuid === id))
    .map((tag) => ({ colour: tag.colour, verbose_name: tag.verbose_name }))

/**
 * The sum of some numbers.
 *
 * @since 0.1.0
 */
export const sum = (values: ReadonlyArray<number>): number => values.reduce((a, b) => a + b, 0)

/**
 * The permissions of entities without a fixture (controllers, vdisks, files).
 *
 * @since 0.1.0
 */
export const simplePermissions: JsonObject = allowAll(["update", "remove", "retrieve"])

/**
 * `{id, verbose_name, type}` of a data pool, or null.
 *
 * @since 0.1.0
 */
export const datapoolRef = (state: SimState, id: string): JsonObject | null => {
  const pool = findById(state.datapools, id)
  return pool === undefined ? null : { id: pool.id, verbose_name: pool.verbose_name, type: pool.type }
}
