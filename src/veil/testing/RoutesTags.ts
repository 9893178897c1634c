/**
 * Tag routes (veil.md §2.6). Creating a tag answers a task whose first `entities` key is the new tag id; the tag
 * exists from the moment the call is accepted (so the id can be used at once, as the VDI broker does), while
 * linking and unlinking entities and removal take effect when their task ends.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { perform, type Plan } from "./Actions.js"
import { tagRow } from "./BodiesRecords.js"
import { invalidField, type VeilError } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { decodeBody, param, reply, route, transact, type Handler, type SimEnv } from "./Http.js"
import { findOr404, itemHandler, listHandler, type Listing } from "./Listing.js"
import { TagCreateBody, TagEntitiesBody, TagEntityBody, TagUpdateBody } from "./RequestBodies.js"
import {
  entityClassOf,
  findById,
  isoAt,
  nextId,
  replaceById,
  type EntityRef,
  type SimState,
  type TagRecord
} from "./State.js"
import type { TaskSpec } from "./Tasks.js"

const tags: Listing<TagRecord> = {
  items: (s) => s.tags,
  filters: {
    entity_uuid: { uuid: true, test: (t, v) => t.entities.some((e) => e.entity_uuid === v.toLowerCase()) },
    entity_class: { test: (t, v) => t.entities.some((e) => e.entity_class === v) }
  },
  name: (t) => t.verbose_name,
  row: tagRow,
  detail: tagRow
}

const colourPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/

const checkColour = (colour: string | null | undefined): Either.Either<string, VeilError> => {
  const value = colour === undefined || colour === null || colour === "" ? "#c0ffee" : colour
  return colourPattern.test(value)
    ? Either.right(value)
    : Either.left(invalidField("colour", "Colour must be #RGB or #RRGGBB."))
}

const tagTask = (tag: TagRecord, name: string, apply: (tag: TagRecord) => TagRecord | null): TaskSpec => ({
  name,
  entities: [[tag.id, "tag"]],
  nodeId: "",
  onSuccess: (state) => {
    const current = findById(state.tags, tag.id)
    if (current === undefined) return Either.left(`Tag ${tag.id} not found.`)
    const next = apply(current)
    return Either.right({
      ...state,
      tags: next === null ? state.tags.filter((t) => t.id !== tag.id) : replaceById(state.tags, tag.id, () => next)
    })
  }
})

const syncTag = (id: string) => (ctx: { readonly state: SimState; readonly now: number }) => {
  const tag = findById(ctx.state.tags, id)
  return tag === undefined ? {} : tagRow(ctx, tag)
}

const createHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(TagCreateBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const colour = yield* checkColour(body.colour)
        if (state.tags.some((t) => t.verbose_name === body.verbose_name)) {
          return yield* Either.left(invalidField("verbose_name", `Tag ${body.verbose_name} already exists.`))
        }
        const [id] = nextId(state, "tag")
        const tag: TagRecord = { id, verbose_name: body.verbose_name, colour, entities: [], created: isoAt(req.now) }
        const plan: Plan = {
          prepare: (s) => {
            const [, next] = nextId(s, "tag")
            return { ...next, tags: [...next.tags, tag] }
          },
          spec: tagTask(tag, `Creating tag ${tag.verbose_name}.`, (t) => t),
          syncBody: syncTag(id)
        }
        return plan
      })))

const updateHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(TagUpdateBody), (body) =>
    transact(env, (state) =>
      Either.gen(function*() {
        const tag = yield* findOr404(state.tags, "Tag", param(req, "id"))
        if (body.verbose_name === undefined && body.colour === undefined) {
          return yield* Either.left(invalidField("body", "At least one of verbose_name, colour is required."))
        }
        const colour = body.colour === undefined ? tag.colour : yield* checkColour(body.colour)
        const updated: TagRecord = { ...tag, verbose_name: body.verbose_name ?? tag.verbose_name, colour }
        const next: SimState = { ...state, tags: replaceById(state.tags, tag.id, () => updated) }
        return reply(json(tagRow({ state: next, now: req.now }, updated)), next)
      })))

const removeHandler = (env: SimEnv): Handler => (req) =>
  perform(env, req, (state) =>
    Either.map(findOr404(state.tags, "Tag", param(req, "id")), (tag): Plan => ({
      spec: tagTask(tag, `Removing tag ${tag.verbose_name}.`, () => null),
      syncBody: () => ({})
    })))

const checkEntities = (
  state: SimState,
  entityClass: string,
  uuids: ReadonlyArray<string>,
  field: string
): Either.Either<ReadonlyArray<EntityRef>, VeilError> =>
  Either.all(
    [...new Set(uuids.map((u) => u.toLowerCase()))].map((uuid) => {
      const actual = entityClassOf(state, uuid)
      return actual === undefined
        ? Either.left(invalidField(field, `Entity ${uuid} not found.`))
        : actual !== entityClass
        ? Either.left(invalidField("entity_class", `Entity ${uuid} is a ${actual}, not a ${entityClass}.`))
        : Either.right({ entity_uuid: uuid, entity_class: entityClass })
    })
  )

const linkHandler = (env: SimEnv, mode: "add" | "remove", many: boolean): Handler => (req) =>
  Effect.flatMap(
    many
      ? Effect.map(decodeBody(TagEntitiesBody), (b) => ({ entity_class: b.entity_class, uuids: b.entity_uuids }))
      : Effect.map(decodeBody(TagEntityBody), (b) => ({ entity_class: b.entity_class, uuids: [b.entity_uuid] })),
    (body) =>
      perform(env, req, (state) =>
        Either.gen(function*() {
          const tag = yield* findOr404(state.tags, "Tag", param(req, "id"))
          const refs = yield* checkEntities(state, body.entity_class, body.uuids, many ? "entity_uuids" : "entity_uuid")
          const ids = refs.map((r) => r.entity_uuid)
          const plan: Plan = {
            spec: {
              ...tagTask(
                tag,
                `${mode === "add" ? "Adding" : "Removing"} ${refs.length} entit${refs.length === 1 ? "y" : "ies"} ${
                  mode === "add" ? "to" : "from"
                } tag ${tag.verbose_name}.`,
                (t) => ({
                  ...t,
                  entities: mode === "add"
                    ? [...t.entities.filter((e) => !ids.includes(e.entity_uuid)), ...refs]
                    : t.entities.filter((e) => !ids.includes(e.entity_uuid))
                })
              ),
              entities: [[tag.id, "tag"], ...refs.map((r): readonly [string, string] => [r.entity_uuid, r.entity_class])]
            },
            syncBody: syncTag(tag.id)
          }
          return plan
        }))
  )

/**
 * The tag routes.
 *
 * @since 0.1.0
 */
export const tagRoutes = (env: SimEnv) => [
  route(env, "GET", "/api/tags/", listHandler(env, tags)),
  route(env, "POST", "/api/tags/", createHandler(env)),
  route(env, "GET", "/api/tags/:id/", itemHandler(env, "Tag", (s) => s.tags, tagRow)),
  route(env, "PUT", "/api/tags/:id/", updateHandler(env)),
  route(env, "POST", "/api/tags/:id/remove/", removeHandler(env)),
  route(env, "POST", "/api/tags/:id/add-entity/", linkHandler(env, "add", false)),
  route(env, "POST", "/api/tags/:id/remove-entity/", linkHandler(env, "remove", false)),
  route(env, "POST", "/api/tags/:id/add-entities/", linkHandler(env, "add", true)),
  route(env, "POST", "/api/tags/:id/remove-entities/", linkHandler(env, "remove", true))
]
