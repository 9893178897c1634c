/**
 * The simulator's Cinder under `/block-storage`, after the block-storage api-ref (v3): volumes and snapshots under
 * `/v3/{project_id}` — list (volumes in summary: id, links, name; and in `/detail`) with the api-ref's filters (`name`, `status`, `metadata`, `all_tenants`
 * for admins, `availability_zone`, `bootable`, `volume_id`), `sort` (default `created_at:desc`) and `limit`/`marker`
 * paging with `*_links`; show; create (202, `creating`, then `available` after `cinderTimings.create`, or `error`
 * for a volume larger than the backend holds); update of name and description; delete (202, `deleting`, then gone
 * after `cinderTimings.delete`). A snapshot needs an `available` volume (`in-use` with `force`); a volume that has
 * snapshots, or is not `available` or `error`, is not deleted (400, as Cinder answers). Errors have Nova's shape.
 *
 * @since 0.1.0
 */
import type { HttpServerResponse } from "@effect/platform"
import { Effect, Either } from "effect"
import { empty, json } from "../../core/testing/Http.js"
import { booleanField, field, parse, stringField, stringMap } from "../../core/testing/Json.js"
import * as Transitions from "../../core/testing/Transitions.js"
import { type SimError, simError } from "./Errors.js"
import { type Ctx, current, type Env, type Handler, limitOf, transact, uuid } from "./Http.js"
import { pageOf } from "./Paging.js"
import { cinderTimings, isAdmin, type SimState, type SnapshotRecord, type StorageRecord, type TokenRecord, type VolumeRecord } from "./State.js"

/** `2018-11-29T06:50:07.770000`: Cinder's time format (microseconds, no zone). */
const cinderTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/Z$/, "000"))

/** Cinder's `osapi_max_limit`: the most rows a page holds. */
const maxLimit = 1000

const base = (ctx: Ctx, projectId: string) => `${ctx.origin}/block-storage/v3/${projectId}`

/**
 * A volume as Cinder shows it (the fields of the api-ref's "Show a volume's details" sample).
 *
 * @since 0.1.0
 */
export const volumeView = (ctx: Ctx, v: VolumeRecord) => ({
  attachments: [],
  availability_zone: v.availabilityZone,
  bootable: v.bootable ? "true" : "false",
  consistencygroup_id: null,
  created_at: cinderTime(v.createdAt),
  description: v.description,
  encrypted: false,
  id: v.id,
  links: [
    { href: `${base(ctx, v.projectId)}/volumes/${v.id}`, rel: "self" },
    { href: `${ctx.origin}/block-storage/${v.projectId}/volumes/${v.id}`, rel: "bookmark" }
  ],
  metadata: v.metadata,
  migration_status: null,
  multiattach: false,
  name: v.name,
  "os-vol-host-attr:host": null,
  "os-vol-mig-status-attr:migstat": null,
  "os-vol-mig-status-attr:name_id": null,
  "os-vol-tenant-attr:tenant_id": v.projectId,
  replication_status: null,
  size: v.size,
  snapshot_id: v.snapshotId,
  source_volid: v.sourceVolid,
  status: v.status,
  updated_at: cinderTime(v.updatedAt),
  user_id: v.userId,
  volume_type: "lvmdriver-1"
})

/**
 * A snapshot as Cinder shows it (the fields of the api-ref's "Show a snapshot's details" sample).
 *
 * @since 0.1.0
 */
export const snapshotView = (s: SnapshotRecord) => ({
  created_at: cinderTime(s.createdAt),
  description: s.description,
  id: s.id,
  metadata: s.metadata,
  name: s.name,
  "os-extended-snapshot-attributes:progress": s.status === "available" ? "100%" : "0%",
  "os-extended-snapshot-attributes:project_id": s.projectId,
  size: s.size,
  status: s.status,
  updated_at: cinderTime(s.updatedAt),
  volume_id: s.volumeId
})

const notFound = (what: "Volume" | "Snapshot", id: string) => simError(404, `${what} ${id} could not be found.`)

/** Sort keys the simulator knows, and how each reads a record. */
const sortKeys: Readonly<Record<string, (r: VolumeRecord | SnapshotRecord) => string | number>> = {
  created_at: (r) => r.createdAt,
  id: (r) => r.id,
  name: (r) => r.name ?? "",
  size: (r) => r.size,
  status: (r) => r.status
}

/** Orders by `sort` (`<key>[:asc|desc]`, the first key; default `created_at:desc`), ties by order of creation. */
const sorted = <R extends VolumeRecord | SnapshotRecord>(ctx: Ctx, rows: ReadonlyArray<R>): Either.Either<ReadonlyArray<R>, SimError> => {
  const [key = "created_at", dir = "desc"] = (ctx.query.get("sort") ?? "").split(",")[0]?.split(":").filter((p) => p !== "") ?? []
  const read = sortKeys[key]
  if (read === undefined || (dir !== "asc" && dir !== "desc")) return Either.left(simError(400, `Invalid input received: Invalid sort key or direction ${key}:${dir}`))
  const sign = dir === "asc" ? 1 : -1
  return Either.right([...rows].sort((a, b) => {
    const x = read(a)
    const y = read(b)
    return sign * (x < y ? -1 : x > y ? 1 : a.seq - b.seq)
  }))
}

/** The `metadata` filter: a dict (`{"k": "v"}`), every pair of which a record's metadata must have. */
const metadataFilter = (ctx: Ctx): Either.Either<Readonly<Record<string, string>>, SimError> => {
  const text = ctx.query.get("metadata")
  if (text === null) return Either.right({})
  const wanted = stringMap(Either.getOrUndefined(parse(text)))
  return wanted === undefined ? Either.left(simError(400, `Invalid input received: metadata filter ${text} is not a dict.`)) : Either.right(wanted)
}

/** Whether a record's filterable values match those the query names. */
const matches = (ctx: Ctx, values: Readonly<Record<string, string | undefined>>) =>
  Object.entries(values).every(([key, value]) => !ctx.query.has(key) || ctx.query.get(key) === value)

const listing = <R extends VolumeRecord | SnapshotRecord, V extends { readonly id: string }>(
  ctx: Ctx,
  token: TokenRecord,
  admin: boolean,
  kind: "volumes" | "snapshots",
  rows: ReadonlyArray<R>,
  view: (row: R) => V,
  filterValues: (row: R) => Readonly<Record<string, string | undefined>>
) =>
  Effect.gen(function*() {
    const everyone = admin && ["1", "true", "True"].includes(ctx.query.get("all_tenants") ?? "")
    const wanted = Object.entries(yield* metadataFilter(ctx))
    const visible = rows.filter((r) =>
      (everyone || r.projectId === token.projectId) && matches(ctx, filterValues(r)) && wanted.every(([key, value]) => r.metadata[key] === value))
    const ordered = (yield* sorted(ctx, visible)).map(view)
    // Without a limit (or with 0), Cinder pages by its `osapi_max_limit`, 1000 by default.
    const asked = yield* limitOf(ctx)
    const limit = asked === undefined || asked === 0 ? maxLimit : asked
    const page = yield* Either.mapLeft(pageOf(ordered, ctx.query.get("marker"), limit), (marker) => simError(400, `Marker ${marker} could not be found.`))
    const links = page.nextMarker === undefined
      ? []
      : [{ rel: "next", href: `${base(ctx, token.projectId ?? "")}/${kind}${ctx.segments[3] === "detail" ? "/detail" : ""}?limit=${limit}&marker=${page.nextMarker}` }]
    return json({ [kind]: page.items, ...(links.length === 0 ? {} : { [`${kind}_links`]: links }) })
  })

const bodyOf = (ctx: Ctx, key: "volume" | "snapshot") =>
  Effect.flatMap(ctx.json, (body) => {
    const inner = field(body, key)
    return inner === undefined || inner === null ? Effect.fail(simError(400, `Missing required element '${key}' in request body.`)) : Effect.succeed(inner)
  })

/** What a new volume or snapshot starts as: `creating`, done after `cinderTimings.create`. */
const fresh = (
  ctx: Ctx,
  token: TokenRecord,
  state: SimState,
  body: unknown,
  given: Pick<StorageRecord, "id" | "projectId" | "size">
): StorageRecord => ({
  ...given,
  name: stringField(body, "name") ?? null,
  description: stringField(body, "description") ?? null,
  userId: token.userId,
  status: "creating",
  metadata: stringMap(field(body, "metadata")) ?? {},
  createdAt: ctx.now,
  updatedAt: null,
  pending: Transitions.after("create", ctx.now, cinderTimings.create),
  seq: state.counter + 1
})

const createVolume = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const body = yield* bodyOf(ctx, "volume")
    const id = yield* uuid
    const made = yield* transact(env, (state): Either.Either<readonly [VolumeRecord, SimState], SimError> => {
      const snapshotId = stringField(body, "snapshot_id") ?? null
      const sourceVolid = stringField(body, "source_volid") ?? null
      const snapshot = (state.snapshots ?? []).find((s) => s.id === snapshotId && s.projectId === token.projectId)
      const source = (state.volumes ?? []).find((v) => v.id === sourceVolid && v.projectId === token.projectId)
      if (snapshotId !== null && snapshot === undefined) return Either.left(notFound("Snapshot", snapshotId))
      if (sourceVolid !== null && source === undefined) return Either.left(notFound("Volume", sourceVolid))
      const size = field(body, "size") ?? snapshot?.size ?? source?.size
      if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
        return Either.left(simError(400, `Invalid input for field/attribute size. Value: ${String(size)}. It must be an integer of at least 1.`))
      }
      const volume: VolumeRecord = {
        ...fresh(ctx, token, state, body, { id, projectId: token.projectId ?? "", size }),
        availabilityZone: stringField(body, "availability_zone") ?? "nova",
        bootable: stringField(body, "imageRef") !== undefined,
        snapshotId,
        sourceVolid
      }
      return Either.right([volume, { ...state, counter: state.counter + 1, volumes: [...(state.volumes ?? []), volume] }])
    })
    return json({ volume: volumeView(ctx, made) }, 202)
  })

const createSnapshot = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const body = yield* bodyOf(ctx, "snapshot")
    const id = yield* uuid
    const made = yield* transact(env, (state): Either.Either<readonly [SnapshotRecord, SimState], SimError> => {
      const volumeId = stringField(body, "volume_id") ?? ""
      const volume = (state.volumes ?? []).find((v) => v.id === volumeId && v.projectId === token.projectId)
      if (volume === undefined) return Either.left(notFound("Volume", volumeId))
      const force = booleanField(body, "force") ?? false
      if (!(volume.status === "available" || (force && volume.status === "in-use"))) {
        return Either.left(simError(400, `Invalid volume: Volume ${volumeId} status must be available, but current status is: ${volume.status}.`))
      }
      const snapshot: SnapshotRecord = { ...fresh(ctx, token, state, body, { id, projectId: volume.projectId, size: volume.size }), volumeId }
      return Either.right([snapshot, { ...state, counter: state.counter + 1, snapshots: [...(state.snapshots ?? []), snapshot] }])
    })
    return json({ snapshot: snapshotView(made) }, 202)
  })

/** One collection of the state: how to read and write it, its name in errors, its body. */
interface Table<R extends VolumeRecord | SnapshotRecord> {
  readonly what: "Volume" | "Snapshot"
  readonly key: "volume" | "snapshot"
  readonly rows: (state: SimState) => ReadonlyArray<R>
  readonly write: (state: SimState, rows: ReadonlyArray<R>) => SimState
  readonly view: (ctx: Ctx, record: R) => { readonly id: string }
  /** A row of the listing without `/detail`. */
  readonly summary: (ctx: Ctx, record: R) => { readonly id: string }
  readonly listed: (record: R) => Readonly<Record<string, string | undefined>>
}

const volumeTable: Table<VolumeRecord> = {
  what: "Volume",
  key: "volume",
  rows: (state) => state.volumes ?? [],
  write: (state, volumes) => ({ ...state, volumes }),
  view: volumeView,
  // Cinder lists volumes in summary as their id, links and name.
  summary: (ctx, v) => {
    const { id, links, name } = volumeView(ctx, v)
    return { id, links, name }
  },
  listed: (v) => ({ name: v.name ?? undefined, status: v.status, availability_zone: v.availabilityZone, bootable: String(v.bootable) })
}

const snapshotTable: Table<SnapshotRecord> = {
  what: "Snapshot",
  key: "snapshot",
  rows: (state) => state.snapshots ?? [],
  write: (state, snapshots) => ({ ...state, snapshots }),
  view: (_ctx, s) => snapshotView(s),
  summary: (_ctx, s) => snapshotView(s),
  listed: (s) => ({ name: s.name ?? undefined, status: s.status, volume_id: s.volumeId })
}

/** Changes one record of the caller's project, unless `refuse` says why not. */
const change = <R extends VolumeRecord | SnapshotRecord>(
  env: Env,
  token: TokenRecord,
  table: Table<R>,
  id: string,
  refuse: (state: SimState, record: R) => SimError | undefined,
  f: (record: R) => R
) =>
  transact(env, (state): Either.Either<readonly [R, SimState], SimError> => {
    const record = table.rows(state).find((r) => r.id === id && r.projectId === token.projectId)
    if (record === undefined) return Either.left(notFound(table.what, id))
    const refused = refuse(state, record)
    if (refused !== undefined) return Either.left(refused)
    const next = f(record)
    return Either.right([next, table.write(state, table.rows(state).map((r) => (r.id === id ? next : r)))])
  })

/** Cinder deletes what is `available` or `error`, and a volume only without snapshots. */
const deletable = (state: SimState, record: VolumeRecord | SnapshotRecord): SimError | undefined => {
  const what = "volumeId" in record ? "snapshot" : "volume"
  if (record.status !== "available" && record.status !== "error") {
    return simError(400, `Invalid ${what}: ${what} status must be available or error, but current status is: ${record.status}.`)
  }
  const dependents = what === "volume" ? (state.snapshots ?? []).filter((s) => s.volumeId === record.id).length : 0
  return dependents === 0 ? undefined : simError(400, `Invalid volume: Volume ${record.id} still has ${dependents} dependent snapshots.`)
}

/** The routes of one collection: list, show, update, delete (creating differs per collection). */
const routes = <R extends VolumeRecord | SnapshotRecord>(
  env: Env,
  ctx: Ctx,
  token: TokenRecord,
  table: Table<R>,
  id: string | undefined,
  create: Effect.Effect<HttpServerResponse.HttpServerResponse, SimError>
) =>
  Effect.gen(function*() {
    const state = yield* current(env)
    const kind = `${table.key}s` as const
    if ((id === undefined || id === "detail") && ctx.method === "GET") {
      return yield* listing(ctx, token, isAdmin(state, token), kind, table.rows(state), (r) => (id === "detail" ? table.view : table.summary)(ctx, r), table.listed)
    }
    if (id === undefined && ctx.method === "POST") return yield* create
    const record = table.rows(state).find((r) => r.id === id && r.projectId === token.projectId)
    if (id === undefined || record === undefined) return yield* Effect.fail(notFound(table.what, id ?? ""))
    if (ctx.method === "GET") return json({ [table.key]: table.view(ctx, record) })
    if (ctx.method === "PUT") {
      const body = yield* bodyOf(ctx, table.key)
      const updated = yield* change(env, token, table, id, () => undefined, (r) => ({
        ...r,
        name: stringField(body, "name") ?? r.name,
        description: stringField(body, "description") ?? r.description,
        updatedAt: ctx.now
      }))
      return json({ [table.key]: table.view(ctx, updated) })
    }
    if (ctx.method === "DELETE") {
      yield* change(env, token, table, id, deletable, (r) => ({
        ...r,
        status: "deleting",
        updatedAt: ctx.now,
        pending: Transitions.after("delete", ctx.now, cinderTimings.delete)
      }))
      return empty(202)
    }
    return yield* Effect.fail(simError(405, "The method is not allowed for this resource."))
  })

/**
 * Cinder's handler (paths under `/block-storage`).
 *
 * @since 0.1.0
 */
export const cinder = (env: Env): Handler => (ctx) =>
  Effect.gen(function*() {
    const [version, project, collection, id, extra] = ctx.segments
    if (version === undefined) {
      return json({ versions: [{ id: "v3.0", status: "CURRENT", version: "3.70", min_version: "3.0", links: [{ rel: "self", href: `${ctx.origin}/block-storage/v3/` }] }] })
    }
    const token = yield* ctx.token
    if (version === "v3" && project === token.projectId && extra === undefined) {
      if (collection === "volumes") return yield* routes(env, ctx, token, volumeTable, id, createVolume(env, ctx, token))
      if (collection === "snapshots") return yield* routes(env, ctx, token, snapshotTable, id, createSnapshot(env, ctx, token))
    }
    return yield* Effect.fail(simError(404, "The resource could not be found."))
  })
