/**
 * Tags: labels attached to entities (the VDI broker tags pools with them).
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import { type ApiError, InvalidInputError } from "../core/Errors.js"
import * as Path from "../core/Path.js"
import * as Collection from "./Collection.js"
import * as Rest from "./Rest.js"
import { Tag } from "./Tag.js"
import type { ActionResult, TaskHandle, Tasks } from "./Tasks.js"

const tagFilters = { entityUuid: "entity_uuid", entityClass: "entity_class" } as const

/** An entity to tag: its id and its class (`domain`, `datapool`, `node`, `cluster`, `vdisk`, `resourcepool`). */
export interface TaggedEntity {
  readonly id: string
  readonly entityClass: string
}

/** Tag operations. */
export interface Tags extends Collection.Listing<Tag, Collection.Filters<typeof tagFilters>> {
  readonly get: (id: string) => Effect.Effect<Tag, ApiError>
  /** Creates a tag; the new tag's id is the task's `firstEntity`. An empty colour becomes `#c0ffee`. */
  readonly create: (options: { readonly verboseName: string; readonly colour?: string }) => Effect.Effect<TaskHandle, ApiError>
  readonly update: (
    id: string,
    fields: { readonly verboseName?: string; readonly colour?: string }
  ) => Effect.Effect<ActionResult, ApiError>
  readonly remove: (id: string) => Effect.Effect<ActionResult, ApiError>
  readonly addEntity: (id: string, entity: TaggedEntity) => Effect.Effect<ActionResult, ApiError>
  readonly removeEntity: (id: string, entity: TaggedEntity) => Effect.Effect<ActionResult, ApiError>
  /** Tags many entities of one class at once. */
  readonly addEntities: (id: string, entityClass: string, ids: ReadonlyArray<string>) => Effect.Effect<ActionResult, ApiError>
  readonly removeEntities: (id: string, entityClass: string, ids: ReadonlyArray<string>) => Effect.Effect<ActionResult, ApiError>
}

const colourPattern = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i

const checkColour = (colour: string | undefined): Effect.Effect<string | undefined, InvalidInputError> =>
  colour === undefined || colour === "" || colourPattern.test(colour)
    ? Effect.succeed(colour === "" ? "#c0ffee" : colour)
    : Effect.fail(
      new InvalidInputError({ api: Rest.api, parameter: "colour", message: `colour must be #RGB or #RRGGBB, got "${colour}"` })
    )

/** Builds the tag operations of a session. */
export const make = (veil: Rest.VeilRest, tasks: Tasks): Effect.Effect<Tags, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { list, listAll } = yield* Collection.listing(veil, "tag", "tags/", Tag, tagFilters)
    const readTag = yield* veil.rest.reader("tag:detail", Tag)

    const post = (template: string, id: string, body?: object) =>
      Effect.flatMap(
        body === undefined ? Effect.succeed(undefined) : Rest.withIdempotencyKey(body),
        (withKey) =>
          tasks.submitAny({
            method: "POST",
            path: Rest.path(`tags/{id}/${template}`, { id }),
            query: Rest.asyncQuery,
            ...(withKey === undefined ? {} : { body: withKey })
          })
      )

    const many = (action: string) => (id: string, entityClass: string, ids: ReadonlyArray<string>) =>
      Effect.zipRight(
        Effect.forEach(ids, (entity, i) => Rest.requireUuid(`ids[${i}]`, entity), { discard: true }),
        post(`${action}/`, id, { entity_class: entityClass, entity_uuids: [...new Set(ids)] })
      )

    return {
      list,
      listAll,
      get: (id) => readTag({ method: "GET", path: Rest.path("tags/{id}/", { id }) }),
      create: (options) =>
        Effect.gen(function*() {
          const colour = yield* checkColour(options.colour ?? "")
          const body = yield* Rest.withIdempotencyKey({ verbose_name: options.verboseName, colour })
          return yield* tasks.submit({ method: "POST", path: Path.literal("tags/"), query: Rest.asyncQuery, body })
        }),
      update: (id, fields) =>
        Effect.flatMap(checkColour(fields.colour), (colour) =>
          tasks.submitAny({
            method: "PUT",
            path: Rest.path("tags/{id}/", { id }),
            query: Rest.asyncQuery,
            body: {
              ...(fields.verboseName === undefined ? {} : { verbose_name: fields.verboseName }),
              ...(colour === undefined ? {} : { colour })
            }
          })),
      remove: (id) => post("remove/", id),
      addEntity: (id, entity) =>
        Effect.zipRight(
          Rest.requireUuid("entity.id", entity.id),
          post("add-entity/", id, { entity_uuid: entity.id, entity_class: entity.entityClass })
        ),
      removeEntity: (id, entity) =>
        Effect.zipRight(
          Rest.requireUuid("entity.id", entity.id),
          post("remove-entity/", id, { entity_uuid: entity.id, entity_class: entity.entityClass })
        ),
      addEntities: many("add-entities"),
      removeEntities: many("remove-entities")
    }
  })
