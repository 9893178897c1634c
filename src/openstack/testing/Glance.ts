/**
 * The simulator's Glance under `/image`: the 300 version list, `GET /v2/images` (filters `name`, `status`,
 * `visibility`; `limit`/`marker` with a relative `next` link; default page 25), `GET`/`DELETE /v2/images/{id}`,
 * `POST /v2/images` (queued) and `PUT /v2/images/{id}/file` (→ active).
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { createHash } from "node:crypto"
import { type SimError, simError } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { booleanField, field, stringField } from "../../core/testing/Json.js"
import { type Ctx, current, type Env, type Handler, limitOf, transact, uuid } from "./Http.js"
import { pageOf } from "./Paging.js"
import { type ImageRecord, isoSeconds, type SimState, type TokenRecord } from "./State.js"

/**
 * An image record as Glance writes it.
 *
 * @since 0.1.0
 */
export const imageView = (image: ImageRecord) => ({
  ...image.properties,
  name: image.name,
  disk_format: image.diskFormat,
  container_format: image.containerFormat,
  visibility: image.visibility,
  size: image.size,
  virtual_size: image.size,
  status: image.status,
  checksum: image.checksum,
  protected: image.protected,
  min_ram: image.minRam,
  min_disk: image.minDisk,
  owner: image.owner,
  os_hidden: false,
  os_hash_algo: image.hashValue === null ? null : "sha512",
  os_hash_value: image.hashValue,
  id: image.id,
  created_at: isoSeconds(image.createdAt),
  updated_at: isoSeconds(image.updatedAt),
  tags: image.tags,
  self: `/v2/images/${image.id}`,
  file: `/v2/images/${image.id}/file`,
  schema: "/v2/schemas/image",
  ...(image.status === "active" ? { stores: "fs" } : {})
})

const visibleTo = (image: ImageRecord, token: TokenRecord): boolean =>
  image.visibility === "public" || image.visibility === "community" || image.owner === token.projectId

const notFound = (id: string) => simError(404, `No image found with ID ${id}`)

const find = (state: SimState, token: TokenRecord, id: string): Either.Either<ImageRecord, SimError> => {
  const image = state.images.find((i) => i.id === id && visibleTo(i, token))
  return image === undefined ? Either.left(notFound(id)) : Either.right(image)
}

const list = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const state = yield* current(env)
    const name = ctx.query.get("name")
    const status = ctx.query.get("status")
    const visibility = ctx.query.get("visibility")
    const matching = state.images
      .filter((i) => visibleTo(i, token))
      .filter((i) => name === null || i.name === name)
      .filter((i) => status === null || i.status === status)
      .filter((i) => visibility === null || visibility === "all" || i.visibility === visibility)
      .sort((a, b) => b.createdAt - a.createdAt)
    const limit = Math.min((yield* limitOf(ctx)) ?? 25, 1000)
    const page = yield* Either.mapLeft(
      pageOf(matching, ctx.query.get("marker"), limit),
      (marker) => simError(400, `marker not found: ${marker}`)
    )
    const first = new URLSearchParams(ctx.query)
    first.delete("marker")
    const next = new URLSearchParams(first)
    if (page.nextMarker !== undefined) next.set("marker", page.nextMarker)
    const query = (q: URLSearchParams) => (q.toString() === "" ? "" : `?${q.toString()}`)
    return json({
      images: page.items.map(imageView),
      first: `/v2/images${query(first)}`,
      schema: "/v2/schemas/images",
      ...(page.nextMarker === undefined ? {} : { next: `/v2/images${query(next)}` })
    })
  })

const create = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const body = yield* ctx.json
    const id = stringField(body, "id") ?? (yield* uuid)
    const tags = field(body, "tags")
    const image = yield* transact(env, (state): Either.Either<readonly [ImageRecord, SimState], SimError> => {
      if (state.images.some((i) => i.id === id)) return Either.left(simError(409, `An image with identifier ${id} already exists`))
      const made: ImageRecord = {
        id,
        name: stringField(body, "name") ?? null,
        status: "queued",
        visibility: stringField(body, "visibility") ?? "shared",
        protected: booleanField(body, "protected") ?? false,
        diskFormat: stringField(body, "disk_format") ?? null,
        containerFormat: stringField(body, "container_format") ?? null,
        size: null,
        checksum: null,
        hashValue: null,
        owner: token.projectId ?? "",
        minDisk: 0,
        minRam: 0,
        tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [],
        createdAt: ctx.now,
        updatedAt: ctx.now,
        properties: {}
      }
      return Either.right([made, { ...state, images: [...state.images, made] }])
    })
    return json(imageView(image), 201, { location: `${ctx.origin}/image/v2/images/${image.id}` })
  })

const upload = (env: Env, ctx: Ctx, token: TokenRecord, id: string) =>
  Effect.gen(function*() {
    const text = yield* ctx.text
    const bytes = new TextEncoder().encode(text)
    yield* transact(env, (state) =>
      Either.flatMap(find(state, token, id), (image): Either.Either<readonly [undefined, SimState], SimError> =>
        image.status !== "queued"
          ? Either.left(simError(409, `Image status transition from ${image.status} to saving is not allowed`))
          : Either.right([undefined, {
            ...state,
            images: state.images.map((i) =>
              i.id === id
                ? {
                  ...i,
                  status: "active",
                  size: bytes.length,
                  checksum: createHash("md5").update(bytes).digest("hex"),
                  hashValue: createHash("sha512").update(bytes).digest("hex"),
                  updatedAt: ctx.now
                }
                : i
            )
          }])))
    return empty(204)
  })

const remove = (env: Env, ctx: Ctx, token: TokenRecord, id: string) =>
  Effect.as(
    transact(env, (state) =>
      Either.flatMap(find(state, token, id), (image): Either.Either<readonly [undefined, SimState], SimError> =>
        image.protected
          ? Either.left(simError(403, `Image ${id} is protected and cannot be deleted.`))
          : image.owner !== token.projectId
          ? Either.left(simError(403, `You are not permitted to delete this image.`))
          : Either.right([undefined, { ...state, images: state.images.filter((i) => i.id !== id) }]))),
    empty(204)
  )

const versions = (origin: string) => ({
  versions: ["2.15", "2.13", "2.12", "2.11", "2.10", "2.9", "2.8", "2.7", "2.6", "2.5", "2.4", "2.3", "2.2", "2.1", "2.0"].map(
    (v, i) => ({ id: `v${v}`, status: i === 0 ? "CURRENT" : "SUPPORTED", links: [{ rel: "self", href: `${origin}/image/v2/` }] })
  )
})

/**
 * Glance's handler (paths under `/image`).
 *
 * @since 0.1.0
 */
export const glance = (env: Env): Handler => (ctx) =>
  Effect.gen(function*() {
    const [version, collection, id, sub] = ctx.segments
    if (version === undefined) return json(versions(ctx.origin), 300)
    const token = yield* ctx.token
    if (version !== "v2" || collection !== "images") return yield* Effect.fail(simError(404, "The resource could not be found."))
    if (id === undefined) {
      if (ctx.method === "GET") return yield* list(env, ctx, token)
      if (ctx.method === "POST") return yield* create(env, ctx, token)
    } else if (sub === undefined) {
      if (ctx.method === "GET") return json(imageView(yield* find(yield* current(env), token, id)))
      if (ctx.method === "DELETE") return yield* remove(env, ctx, token, id)
    } else if (sub === "file" && ctx.method === "PUT") {
      return yield* upload(env, ctx, token, id)
    }
    return yield* Effect.fail(simError(405, "The method is not allowed for this resource."))
  })
