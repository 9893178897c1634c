/**
 * Nova servers: list (with filters and marker paging), get, create, delete, start/stop/reboot, and waiting for a
 * status.
 *
 * Nova has no idempotency key, so `create` makes its own: a fresh marker in the server's metadata. A create that
 * fails in a way that may hide a server made anyway — a timeout, a connection lost after sending, a 5xx, an answer
 * that cannot be read — is never sent again, since the first may still be running: the client looks for a server
 * carrying the marker, every 2 s for 60 s (see {@link ReconcileOptions}), answers it when it appears, and otherwise
 * fails with `OutcomeUnknownError` carrying the marker. The create is sent again only after a failure that proves
 * nothing was done (the connection was never made; a 429 from Nova), under the retry policy.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Data, type Duration, Effect, Option, Schedule, Stream } from "effect"
import type * as Callback from "../core/Callback.js"
import * as Envelope from "../core/Envelope.js"
import type * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import * as Query from "../core/Query.js"
import * as Reconcile from "../core/Reconcile.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import * as Operation from "../core/Operation.js"
import * as Resource from "../core/Resource.js"
import type * as Waiting from "../core/Waiting.js"
import type { Engine, OpenStackError } from "./Session.js"
import { CreateServerResponse, Server } from "./Server.js"
import { api } from "./Keystone.js"

/** The metadata key holding the marker of the create request that made a server. */
export const createMarkerKey = "client-request-id"

/** Filters and paging of `GET /servers/detail`. */
export interface ListQuery {
  /** A regular expression Nova matches against names. */
  readonly name?: string | undefined
  readonly status?: string | undefined
  readonly image?: string | undefined
  readonly flavor?: string | undefined
  readonly changesSince?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly limit?: number | undefined
  readonly marker?: string | undefined
  readonly sortKey?: string | undefined
  readonly sortDir?: "asc" | "desc" | undefined
  /** Servers of every project (admin). */
  readonly allTenants?: boolean | undefined
}

/** The networks of a new server: a list, or Nova's `auto` / `none`. */
export type Networks =
  | "auto"
  | "none"
  | ReadonlyArray<{ readonly uuid: string; readonly fixedIp?: string } | { readonly port: string }>

/** How `create` looks for its server by the marker after a failure that leaves open whether Nova made it. */
export type ReconcileOptions = Reconcile.ReconcileOptions

/** What `create` takes. */
export interface CreateOptions {
  readonly name: string
  readonly imageRef: string
  readonly flavorRef: string
  /** Default `auto` (Nova's default since 2.37 needs the key). */
  readonly networks?: Networks | undefined
  readonly metadata?: Readonly<Record<string, string>> | undefined
  readonly keyName?: string | undefined
  readonly availabilityZone?: string | undefined
  readonly securityGroups?: ReadonlyArray<string> | undefined
  readonly userData?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  /** How to look for the server after an ambiguous failure (see {@link ReconcileOptions}). */
  readonly reconcile?: ReconcileOptions | undefined
}

/** The server went to `ERROR` while being waited for; `fault` is Nova's account of why. */
export class ServerFaultError extends Data.TaggedError("ServerFaultError")<{
  readonly serverId: string
  readonly status: string
  readonly fault: Server["fault"]
}> {
  override get message(): string {
    return `server ${this.serverId} went to ${this.status}` + (this.fault?.message ? `: ${this.fault.message}` : "")
  }
}

/** Server operations. */
export interface Servers {
  /** One page of servers with details. */
  readonly list: (query?: ListQuery) => Effect.Effect<Paging.Page<Server, string>, OpenStackError>
  /** Every server, page by page as they are pulled. */
  readonly listAll: (query?: ListQuery) => Stream.Stream<Server, OpenStackError>
  readonly get: (id: string) => Effect.Effect<Server, OpenStackError>
  /**
   * Creates a server; see the module doc for why a retry never makes a second one. Fails with `OutcomeUnknownError`
   * (carrying the marker) when a failure left open whether the server was made and no server with the marker
   * appeared within the reconcile window.
   */
  readonly create: (options: CreateOptions) => Effect.Effect<Server, OpenStackError>
  /** Deletes a server; one already gone counts as deleted. */
  readonly delete: (id: string) => Effect.Effect<void, OpenStackError>
  readonly start: (id: string) => Effect.Effect<void, OpenStackError>
  readonly stop: (id: string) => Effect.Effect<void, OpenStackError>
  readonly reboot: (id: string, type?: "SOFT" | "HARD") => Effect.Effect<void, OpenStackError>
  /**
   * Polls until the server reaches `status`; fails with {@link ServerFaultError} (carrying Nova's `fault`) if it
   * goes to `ERROR` instead.
   */
  readonly waitFor: (
    id: string,
    status: string,
    options?: {
      readonly interval?: Duration.DurationInput
      readonly timeout?: Duration.DurationInput
      readonly onProgress?: Callback.Callback<Server> | undefined
    }
  ) => Effect.Effect<Server, OpenStackError | ServerFaultError | Waiting.WaitTimeoutError>
}

/** The description of Nova's servers (listed in detail, read past the cache: their state changes under the caller). */
export const servers = {
  name: "server",
  path: "servers",
  listing: "servers/detail",
  list: Envelope.keyed("servers", Server),
  one: Envelope.wrapped("server", Server),
  query: {
    name: Query.string("name"), status: Query.string("status"), image: Query.string("image"), flavor: Query.string("flavor"),
    changesSince: Query.string("changes-since"), tags: Query.list("tags", "comma"), sortKey: Query.string("sort_key"),
    sortDir: Query.literal<"asc" | "desc">("sort_dir"), allTenants: Query.flag("all_tenants")
  },
  paging: Resource.marker,
  cacheList: false,
  cacheDetail: false,
  delete: { goneIsDone: true }
} as const

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const networksBody = (networks: Networks) =>
  typeof networks === "string"
    ? networks
    : networks.map((n) => ("port" in n ? { port: n.port } : { uuid: n.uuid, ...(n.fixedIp === undefined ? {} : { fixed_ip: n.fixedIp }) }))

/** Builds the server operations of a client. */
export const make = (compute: Engine, retry: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy): Servers => {

  const resource = Resource.direct(Resource.deferred(api, compute), servers)
  const get = resource.get

  const action = (id: string, body: object) =>
    Effect.flatMap(compute, (rest) =>
      Effect.asVoid(rest.send({ method: "POST", path: Path.make("servers/{id}/action", { id }), body })))

  /** The server made by the create request with this marker, if one exists. */
  const madeBy = (name: string, marker: string) =>
    Effect.map(
      Stream.runHead(
        Stream.filter(resource.listAll({ name: `^${escapeRegExp(name)}$` }), (s) => s.metadata?.[createMarkerKey] === marker)
      ),
      Option.map((server) => server.id)
    )

  const create = (options: CreateOptions): Effect.Effect<Server, OpenStackError> =>
    Effect.gen(function*() {
      const rest = yield* compute
      const marker = randomUUID()
      const body = {
        server: {
          name: options.name,
          imageRef: options.imageRef,
          flavorRef: options.flavorRef,
          networks: networksBody(options.networks ?? "auto"),
          metadata: { ...options.metadata, [createMarkerKey]: marker },
          ...(options.keyName === undefined ? {} : { key_name: options.keyName }),
          ...(options.availabilityZone === undefined ? {} : { availability_zone: options.availabilityZone }),
          ...(options.securityGroups === undefined ? {} : { security_groups: options.securityGroups.map((name) => ({ name })) }),
          ...(options.userData === undefined ? {} : { user_data: Buffer.from(options.userData).toString("base64") }),
          ...(options.tags === undefined ? {} : { tags: options.tags })
        }
      }
      const id = yield* Reconcile.createOnce({
        service: "Nova",
        what: "server",
        marker,
        markedAs: `metadata ${createMarkerKey}=${marker}`,
        // Sent once per attempt, never resent by the engine.
        send: Effect.map(
          rest.json({ method: "POST", path: Path.literal("servers"), body, retry: RetryPolicy.none }, CreateServerResponse),
          (answer) => answer.server.id
        ),
        find: madeBy(options.name, marker),
        retry,
        reconcile: options.reconcile
      })
      return yield* get(id)
    }).pipe(Effect.withSpan("openstack create server", { attributes: { "server.name": options.name } }))

  const waitFor: Servers["waitFor"] = (id, status, options = {}) =>
    Operation.make({
      subject: `server ${id} reaching ${status}`,
      poll: get(id),
      isFinal: (server) => server.status === status || server.status === "ERROR",
      failure: (server) =>
        server.status === status ? undefined : new ServerFaultError({ serverId: id, status: server.status, fault: server.fault }),
      describe: (server) => `${server.status}${server["OS-EXT-STS:task_state"] ? ` (${server["OS-EXT-STS:task_state"]})` : ""}`
    }).waitForSuccess({ schedule: Schedule.spaced(options.interval ?? "2 seconds"), timeout: options.timeout, onProgress: options.onProgress })

  return {
    list: resource.list,
    listAll: resource.listAll,
    get,
    create,
    delete: resource.delete,
    start: (id) => action(id, { "os-start": null }),
    stop: (id) => action(id, { "os-stop": null }),
    reboot: (id, type = "SOFT") => action(id, { reboot: { type } }),
    waitFor
  }
}
