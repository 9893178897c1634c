/**
 * Cinder v3 block storage, declared with core's `Resource`: volumes and their snapshots — listed in detail
 * (`/volumes/detail`, `/snapshots/detail`) with filters and marker paging, read, created (Cinder answers 202, the
 * work under way), renamed, deleted (one already gone counts as deleted) — and waiting for a status
 * (`available` by default) that fails with {@link VolumeStatusError} when Cinder reports an `error*` status instead.
 *
 * Cinder has no idempotency key, so a create carries a marker of its own in the volume's (or snapshot's) metadata and
 * is never sent twice: after a failure that leaves open whether Cinder made it, it is looked for by the marker (core
 * `Reconcile`, as Nova servers are), and fails with `OutcomeUnknownError` carrying the marker when it does not appear.
 *
 * Paths, bodies, statuses and filters follow the block-storage api-ref (v3, "Volumes (volumes)" and
 * "Volume snapshots (snapshots)").
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Data, type Duration, Effect, Schedule, Stream } from "effect"
import type * as Callback from "../core/Callback.js"
import * as Envelope from "../core/Envelope.js"
import * as Operation from "../core/Operation.js"
import type { ApiError } from "../core/Errors.js"
import * as Query from "../core/Query.js"
import * as Reconcile from "../core/Reconcile.js"
import * as Resource from "../core/Resource.js"
import type { RestClient } from "../core/RestClient.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import type { Engine } from "./Session.js"
import { api } from "./Keystone.js"
import { createMarkerKey } from "./Servers.js"
import { Snapshot, Volume } from "./Volume.js"

/** What creating a volume takes (`POST /v3/{project_id}/volumes`): a size in GiB, or a source to copy it from. */
export interface CreateVolume {
  readonly size: number
  readonly name?: string | undefined
  readonly description?: string | undefined
  readonly volumeType?: string | undefined
  readonly availabilityZone?: string | undefined
  readonly metadata?: Readonly<Record<string, string>> | undefined
  /** A snapshot to make the volume from. */
  readonly snapshotId?: string | undefined
  /** A volume to clone. */
  readonly sourceVolid?: string | undefined
  /** An image to make a bootable volume from. */
  readonly imageRef?: string | undefined
  /** How to look for the volume after an ambiguous failure. */
  readonly reconcile?: Reconcile.ReconcileOptions | undefined
}

/** What updating a volume or a snapshot takes (`PUT …/{id}`). */
export interface Rename {
  readonly name?: string | undefined
  readonly description?: string | undefined
}

/** What snapshotting a volume takes (`POST /v3/{project_id}/snapshots`); `force` snapshots a volume in use. */
export interface CreateSnapshot extends Rename {
  readonly volumeId: string
  readonly force?: boolean | undefined
  readonly metadata?: Readonly<Record<string, string>> | undefined
  /** How to look for the snapshot after an ambiguous failure. */
  readonly reconcile?: Reconcile.ReconcileOptions | undefined
}

/** The volume (or a snapshot of it) went to an `error*` status while being waited for. */
export class VolumeStatusError extends Data.TaggedError("VolumeStatusError")<{
  readonly volumeId: string
  /** The snapshot waited for, if it was one. */
  readonly snapshotId?: string | undefined
  readonly status: string
}> {
  override get message(): string {
    return `${this.snapshotId === undefined ? "" : `snapshot ${this.snapshotId} of `}volume ${this.volumeId} went to ${this.status}`
  }
}

/** Filters both listings take (api-ref: `name`, `status`, `metadata`, `all_tenants`, `sort`). */
const filters = {
  name: Query.string("name"),
  status: Query.string("status"),
  // Cinder reads `metadata` as a dict: `metadata={"key": "value"}`.
  metadata: Query.param("metadata", (metadata: Readonly<Record<string, string>>) => JSON.stringify(metadata)),
  allTenants: Query.boolean("all_tenants", "digit"),
  /** `<key>[:asc|desc]`, comma-separated. */
  sort: Query.string("sort")
}

/** The description of Cinder's volumes. */
export const volumes = {
  name: "volume",
  path: "volumes",
  listing: "volumes/detail",
  list: Envelope.keyed("volumes", Volume),
  one: Envelope.wrapped("volume", Volume),
  query: { ...filters, availabilityZone: Query.string("availability_zone"), bootable: Query.boolean("bootable") },
  paging: Resource.marker,
  cacheDetail: false,
  // No `replaySafe`: the engine sends it once; `make` reconciles it (see the module doc).
  create: {
    body: (v: CreateVolume) => ({
      volume: {
        size: v.size, name: v.name, description: v.description, volume_type: v.volumeType, availability_zone: v.availabilityZone,
        metadata: v.metadata, snapshot_id: v.snapshotId, source_volid: v.sourceVolid, imageRef: v.imageRef
      }
    }),
    accept: [202]
  },
  update: { body: (v: Rename) => ({ volume: { name: v.name, description: v.description } }) },
  delete: { goneIsDone: true, accept: [202] }
} as const

/** The description of Cinder's snapshots. */
export const snapshots = {
  name: "snapshot",
  path: "snapshots",
  listing: "snapshots/detail",
  list: Envelope.keyed("snapshots", Snapshot),
  one: Envelope.wrapped("snapshot", Snapshot),
  query: { ...filters, volumeId: Query.string("volume_id") },
  paging: Resource.marker,
  cacheDetail: false,
  create: {
    body: (s: CreateSnapshot) => ({
      snapshot: { volume_id: s.volumeId, name: s.name, description: s.description, force: s.force, metadata: s.metadata }
    }),
    accept: [202]
  },
  update: { body: (s: Rename) => ({ snapshot: { name: s.name, description: s.description } }) },
  delete: { goneIsDone: true, accept: [202] }
} as const

/** How `waitFor` polls: every `interval` (default 2 s) until `timeout` (default 5 minutes), reporting each state. */
export interface WaitOptions<S> {
  readonly interval?: Duration.DurationInput | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly onProgress?: Callback.Callback<S> | undefined
}

const waiting = <S extends { readonly id: string; readonly status: string }, E>(
  what: "volume" | "snapshot",
  get: (id: string) => Effect.Effect<S, E>,
  volumeOf: (state: S) => string
) =>
(id: string, status = "available", options: WaitOptions<S> = {}) =>
  Operation.make({
    subject: `${what} ${id} reaching ${status}`,
    poll: get(id),
    isFinal: (state) => state.status === status || state.status.startsWith("error"),
    failure: (state) =>
      state.status === status
        ? undefined
        : new VolumeStatusError({ volumeId: volumeOf(state), ...(what === "snapshot" ? { snapshotId: id } : {}), status: state.status }),
    describe: (state) => state.status
  }).waitForSuccess({ schedule: Schedule.spaced(options.interval ?? "2 seconds"), timeout: options.timeout, onProgress: options.onProgress })

/** What a create reconciled by its marker takes: metadata to carry the marker, how to look for it. */
interface Marked {
  readonly metadata?: Readonly<Record<string, string>> | undefined
  readonly reconcile?: Reconcile.ReconcileOptions | undefined
}

/** The operations a reconciled create uses: the create itself, and a listing filtered by metadata. */
interface Creating<In, A> {
  readonly create: (input: In) => Effect.Effect<A, ApiError>
  readonly listAll: (query: { readonly metadata: Readonly<Record<string, string>> }) => Stream.Stream<A, ApiError>
}

/** What callers use of a resource (these have no children). */
const operationsOf = <Row, Detail, V, Cursor, C, U, E>(
  { item: _item, under: _under, ...operations }: Resource.Resource<Row, Detail, V, Cursor, C, U, E>
) => operations

/**
 * Builds the volume operations of a client, `snapshots` among them (Cinder's engine, catalog type `block-storage`,
 * is built on first use).
 */
export const make = (engine: Engine, retry: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy) => {
  const cinder = Resource.deferred(api, engine)
  const volume = Resource.direct(cinder, volumes)
  const snapshot = Resource.direct(cinder, snapshots)
  /** A create sent once with a marker in its metadata, and looked for by it after an ambiguous failure. */
  const once = <In extends Marked, A>(what: string, resourceOn: (rest: RestClient) => Creating<In, A>) => (input: In) =>
    Effect.flatMap(engine, (rest) => {
      const resource = resourceOn(rest)
      const marker = randomUUID()
      return Reconcile.createOnce({
        service: "Cinder",
        what,
        marker,
        markedAs: `metadata ${createMarkerKey}=${marker}`,
        send: resource.create({ ...input, metadata: { ...input.metadata, [createMarkerKey]: marker } }),
        find: Stream.runHead(resource.listAll({ metadata: { [createMarkerKey]: marker } })),
        retry,
        reconcile: input.reconcile
      })
    })
  const on = (rest: RestClient) => Resource.deferred(api, Effect.succeed(rest))
  return {
    ...operationsOf(volume),
    /** Creates a volume (status `creating`); a retry never makes a second one (see the module doc). */
    create: once("volume", (rest) => Resource.direct(on(rest), volumes)),
    /** Polls until the volume has `status` (default `available`); an `error*` status fails with {@link VolumeStatusError}. */
    waitFor: waiting("volume", volume.get, (v) => v.id),
    snapshots: {
      ...operationsOf(snapshot),
      /** Snapshots a volume (status `creating`); a retry never makes a second one (see the module doc). */
      create: once("snapshot", (rest) => Resource.direct(on(rest), snapshots)),
      /** Polls until the snapshot has `status` (default `available`); an `error*` status fails with {@link VolumeStatusError}. */
      waitFor: waiting("snapshot", snapshot.get, (s) => s.volume_id)
    }
  }
}

/** Volume operations, `snapshots` among them. */
export type Volumes = ReturnType<typeof make>
