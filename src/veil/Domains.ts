/**
 * Domains (virtual machines): listing, detail, and every action the controller offers on them.
 *
 * Actions that queue work send `async=1` and return a {@link TaskHandle}. Every POST body carries an
 * `idempotency_key` kept across retries, and creations carry client-generated `domains_ids`, so a create that is
 * retried after a lost answer never makes a second VM.
 *
 * @since 0.1.0
 */
import { Effect, Option, Redacted, Schema, type Scope, Stream } from "effect"
import { type ApiError, InvalidInputError } from "../core/Errors.js"
import * as Handle from "../core/Handle.js"
import * as Path from "../core/Path.js"
import type { RestRequest } from "../core/RestClient.js"
import * as Collection from "./Collection.js"
import { Domain, DomainRow, parseConnectionUrl, type PowerStateName, type RemoteConnection, UsbAttachment } from "./Domain.js"
import { LibraryFile } from "./Records.js"
import * as Rest from "./Rest.js"
import type { ActionResult, TaskHandle, Tasks } from "./Tasks.js"

const domainFilters = {
  template: "template",
  node: "node",
  cluster: "cluster",
  datapool: "datapool",
  resourcePool: "resource_pool",
  ids: "ids",
  powerState: "power_state",
  withVdisks: "with_vdisks"
} as const

/** Filters of `GET domains/`. */
export type DomainFilters = Collection.Filters<typeof domainFilters> & {
  /** `ON`, `OFF`, `SUSPENDED` or `UNDEFINED`. */
  readonly powerState?: PowerStateName | undefined
  /** Templates only (`true`) or ordinary domains only (`false`). */
  readonly template?: boolean | undefined
  /** Only these domains. */
  readonly ids?: ReadonlyArray<string> | undefined
}

/** Where new domains go: a resource pool, or a node and/or a data pool (not both kinds). */
export interface Placement {
  readonly resourcePool?: string | undefined
  readonly node?: string | undefined
  readonly datapool?: string | undefined
}

/** Active Directory join settings. */
export interface AdJoin {
  readonly domainName: string
  readonly login: string
  readonly password: string | Redacted.Redacted<string>
  readonly restart?: boolean | undefined
  readonly newName?: string | undefined
  readonly ouPath?: string | undefined
}

/** What `create` (multi-create) takes (the Python client's `DomainConfiguration`). */
export interface CreateOptions extends Placement {
  readonly verboseName: string
  /** The template to create from. */
  readonly parent: string
  /** How many domains (default 1); ECP appends an index to the name when more than one. */
  readonly count?: number | undefined
  /** Thin clones (default true). */
  readonly thin?: boolean | undefined
  /** Create templates. */
  readonly template?: boolean | undefined
  readonly remoteAccess?: boolean | undefined
  /** Start the domains once created. */
  readonly startOn?: boolean | undefined
  readonly setHostname?: boolean | undefined
  readonly addToAd?: AdJoin | undefined
  /** Ids for the new domains (default: fresh UUIDs, one per domain). */
  readonly domainsIds?: ReadonlyArray<string> | undefined
}

/** What `clone` takes (the Python client's `DomainCloneConfiguration`). */
export interface CloneOptions extends Placement {
  readonly verboseName: string
  readonly count?: number | undefined
  readonly template?: boolean | undefined
  /** Clone from this snapshot. */
  readonly snapshot?: string | undefined
  readonly startOn?: boolean | undefined
  readonly domainsIds?: ReadonlyArray<string> | undefined
}

/** The result of a creation: the task, and the ids the new domains get. */
export interface Created extends Handle.Handle {
  readonly task: TaskHandle
  readonly ids: ReadonlyArray<string>
}

/** Fields `update` may change (at least one). */
export interface UpdateFields {
  readonly verboseName?: string | undefined
  readonly description?: string | undefined
  readonly osType?: "Windows" | "Linux" | "Other" | undefined
  readonly osVersion?: string | undefined
  readonly tablet?: boolean | undefined
  readonly startOnBoot?: boolean | undefined
  readonly spiceStream?: boolean | undefined
}

/** A guest-agent command: a VeiL command (`veilCmd`) or a raw QEMU agent command (`qemuCmd` + `fargs`). */
export interface GuestCommand {
  readonly veilCmd?: string | undefined
  readonly qemuCmd?: string | undefined
  readonly fargs?: Readonly<Record<string, unknown>> | undefined
  /** Seconds the agent may take (default 5). */
  readonly timeout?: number | undefined
}

/** What `backup` takes. */
export interface BackupOptions {
  /** Data pool to write a full backup to (when `backup` is not given). */
  readonly datapool?: string | undefined
  /** The previous backup, for an incremental one. */
  readonly backup?: string | undefined
  readonly canBeIncremental?: boolean | undefined
  readonly increment?: boolean | undefined
  /** Leave attached ISOs out (default true). */
  readonly excludeIso?: boolean | undefined
}

/** `domains/multi-manager/` actions. */
export type MultiAction = "start" | "shutdown" | "suspend" | "reboot" | "resume" | "delete" | "migrate"

/** Domain operations. */
export interface Domains extends Collection.Collection<DomainRow, Domain, DomainFilters> {
  /** Domains by id, in requests short enough for the URL limit; streams the rows as they come. */
  readonly getMany: (ids: ReadonlyArray<string>, query?: Collection.ListQuery) => Stream.Stream<DomainRow, ApiError>
  readonly start: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  readonly shutdown: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  readonly reboot: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  readonly suspend: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  readonly resume: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  readonly reset: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<TaskHandle, ApiError>
  /** Deletes a domain (`full` also removes its disks; default true). */
  readonly remove: (
    id: string,
    options?: { readonly full?: boolean; readonly force?: boolean }
  ) => Effect.Effect<TaskHandle, ApiError>
  /** Creates domains from a template (`multi-create-domain/`). */
  readonly create: (options: CreateOptions) => Effect.Effect<Created, ApiError>
  /** Full copies of a domain. */
  readonly clone: (id: string, options: CloneOptions) => Effect.Effect<Created, ApiError>
  /** Changes a domain's settings; answers the updated domain. */
  readonly update: (id: string, fields: UpdateFields) => Effect.Effect<Domain, ApiError>
  readonly convertToTemplate: (id: string) => Effect.Effect<ActionResult, ApiError>
  readonly convertToVm: (id: string) => Effect.Effect<ActionResult, ApiError>
  readonly changeTemplate: (id: string) => Effect.Effect<ActionResult, ApiError>
  /** Turns SPICE/VNC remote access on or off. */
  readonly remoteAccess: (id: string, enabled: boolean) => Effect.Effect<TaskHandle, ApiError>
  /** Runs a guest-agent command and answers what the agent said. */
  readonly guestCommand: (id: string, command: GuestCommand) => Effect.Effect<unknown, ApiError>
  /** Sets the guest's host name (default: the domain's name). */
  readonly setHostname: (id: string, hostname?: string) => Effect.Effect<TaskHandle, ApiError>
  readonly addToAd: (id: string, join: AdJoin) => Effect.Effect<ActionResult, ApiError>
  readonly removeFromAd: (
    id: string,
    options: { readonly login: string; readonly password: string | Redacted.Redacted<string>; readonly restart?: boolean }
  ) => Effect.Effect<ActionResult, ApiError>
  /** Prepares a domain for VDI (remote access, start, host name, AD join) in one task. */
  readonly prepare: (
    id: string,
    options: {
      readonly remoteAccess: boolean
      readonly startOn?: boolean
      readonly setHostname?: boolean
      readonly addToAd?: AdJoin
    }
  ) => Effect.Effect<TaskHandle, ApiError>
  /** Redirects a thin client's USB device over TCP (synchronous). */
  readonly attachUsb: (
    id: string,
    options: { readonly tcpUsb: { readonly host: string; readonly service: number } }
  ) => Effect.Effect<UsbAttachment, ApiError>
  /** Removes TCP-USB redirections: one (`usb`) or all (default). */
  readonly detachUsb: (id: string, options?: { readonly usb?: string }) => Effect.Effect<ActionResult, ApiError>
  readonly spice: (id: string) => Effect.Effect<RemoteConnection, ApiError>
  readonly vnc: (id: string) => Effect.Effect<RemoteConnection, ApiError>
  readonly attachVeilUtilsIso: (id: string) => Effect.Effect<ActionResult, ApiError>
  /** Backs a domain up. */
  readonly backup: (id: string, options?: BackupOptions) => Effect.Effect<TaskHandle, ApiError>
  /** The domain's backups (library files). */
  readonly backups: (id: string, query?: Collection.ListQuery) => Effect.Effect<Collection.ListPage<LibraryFile>, ApiError>
  /** The VM description stored in a backup file. */
  readonly showBackup: (fileId: string) => Effect.Effect<unknown, ApiError>
  /** Restores a backup as a new domain (`entity` of the task handle). */
  readonly restore: (
    options: { readonly file: string; readonly node: string; readonly datapool?: string }
  ) => Effect.Effect<TaskHandle, ApiError>
  /** One task acting on many domains. */
  readonly multiManager: (
    action: MultiAction,
    ids: ReadonlyArray<string>,
    options?: { readonly full?: boolean; readonly force?: boolean }
  ) => Effect.Effect<TaskHandle, ApiError>
}

const invalid = (parameter: string, message: string) => new InvalidInputError({ api: Rest.api, parameter, message })

const checkIds = (parameter: string, ids: ReadonlyArray<string>): Effect.Effect<void, InvalidInputError> =>
  Effect.forEach(ids, (id, i) => Rest.requireUuid(`${parameter}[${i}]`, id), { discard: true })

/** Checks optional ids given as options, each under its own option name. */
const checkOptions = (options: Readonly<Record<string, string | undefined>>): Effect.Effect<void, InvalidInputError> =>
  Effect.forEach(
    Object.entries(options),
    ([name, value]) => (value === undefined ? Effect.void : Rest.requireUuid(name, value)),
    { discard: true }
  )

const placement = (p: Placement): Effect.Effect<Record<string, string>, InvalidInputError> => {
  if (p.resourcePool !== undefined && (p.node !== undefined || p.datapool !== undefined)) {
    return Effect.fail(invalid("resourcePool", "resourcePool cannot be combined with node or datapool"))
  }
  const out: Record<string, string> = {}
  if (p.resourcePool !== undefined) out["resource_pool"] = p.resourcePool
  if (p.node !== undefined) out["node"] = p.node
  if (p.datapool !== undefined) out["datapool"] = p.datapool
  return Effect.as(checkOptions({ resourcePool: p.resourcePool, node: p.node, datapool: p.datapool }), out)
}

const creationIds = (
  count: number | undefined,
  given: ReadonlyArray<string> | undefined
): Effect.Effect<ReadonlyArray<string>, InvalidInputError> => {
  const n = count ?? given?.length ?? 1
  if (!Number.isInteger(n) || n < 1) return Effect.fail(invalid("count", `count must be a positive integer, got ${n}`))
  if (given === undefined) return Rest.newIds(n)
  if (given.length !== n) {
    return Effect.fail(invalid("domainsIds", `domainsIds has ${given.length} ids for ${n} domains`))
  }
  return Effect.as(checkIds("domainsIds", given), given)
}

const adBody = (join: AdJoin) => ({
  domainname: join.domainName,
  login: join.login,
  password: Redacted.isRedacted(join.password) ? Redacted.value(join.password) : join.password,
  ...(join.restart === true ? { restart: 1 } : {}),
  ...(join.newName === undefined ? {} : { newname: join.newName }),
  ...(join.ouPath === undefined ? {} : { oupath: join.ouPath })
})

const SpiceAnswer = Schema.Struct({ spice_url: Schema.String })
const VncAnswer = Schema.Struct({ vnc_url: Schema.String })

/** Builds the domain operations of a session. */
export const make = (veil: Rest.VeilRest, tasks: Tasks): Effect.Effect<Domains, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { rest } = veil
    const collection = yield* Collection.make(veil, {
      prefix: "domains/",
      entityClass: "domain",
      row: DomainRow,
      detail: Domain,
      filters: domainFilters
    })
    const library = yield* Collection.listing(veil, "library", "library/", LibraryFile, { domain: "domain" })

    /** A POST to `domains/{id}/<action>/` with a body (idempotency key added), queued as a task. */
    const post = (template: string, id: string, body: object) =>
      Effect.map(Rest.withIdempotencyKey(body), (withKey): RestRequest => ({
        method: "POST",
        path: Rest.path(`domains/{id}/${template}`, { id }),
        query: Rest.asyncQuery,
        body: withKey
      }))

    const act = (action: string) => (id: string, options: { readonly force?: boolean } = {}) =>
      Effect.flatMap(post(`${action}/`, id, { force: options.force ?? false }), tasks.submit)

    const collectionPost = (template: string, body: object) =>
      Effect.map(Rest.withIdempotencyKey(body), (withKey): RestRequest => ({
        method: "POST",
        path: Path.literal(template),
        query: Rest.asyncQuery,
        body: withKey
      }))

    const create = (options: CreateOptions): Effect.Effect<Created, ApiError> =>
      Effect.gen(function*() {
        if (options.verboseName.trim() === "") return yield* invalid("verboseName", "verboseName must not be empty")
        yield* Rest.requireUuid("parent", options.parent)
        const where = yield* placement(options)
        const ids = yield* creationIds(options.count, options.domainsIds)
        const request = yield* collectionPost("domains/multi-create-domain/", {
          verbose_name: options.verboseName,
          parent: options.parent,
          ...where,
          count: ids.length,
          thin: options.thin ?? true,
          template: options.template ?? false,
          remote_access: options.remoteAccess ?? false,
          start_on: options.startOn ?? false,
          set_hostname: options.setHostname ?? false,
          ...(options.addToAd === undefined ? {} : { add_to_ad: adBody(options.addToAd) }),
          domains_ids: ids
        })
        const task = yield* tasks.submit(request)
        return Handle.make({ task, ids })
      })

    const clone = (id: string, options: CloneOptions): Effect.Effect<Created, ApiError> =>
      Effect.gen(function*() {
        if (options.verboseName.trim() === "") return yield* invalid("verboseName", "verboseName must not be empty")
        const where = yield* placement(options)
        const ids = yield* creationIds(options.count, options.domainsIds)
        if (options.snapshot !== undefined) yield* Rest.requireUuid("snapshot", options.snapshot)
        const request = yield* post("clone/", id, {
          verbose_name: options.verboseName,
          ...where,
          count: ids.length,
          template: options.template ?? false,
          remote_access: false,
          set_hostname: false,
          start_on: options.startOn ?? false,
          ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
          domains_ids: ids
        })
        const task = yield* tasks.submit(request)
        return Handle.make({ task, ids })
      })

    const update = (id: string, fields: UpdateFields): Effect.Effect<Domain, ApiError> => {
      const body = Object.fromEntries(
        Object.entries({
          verbose_name: fields.verboseName,
          description: fields.description,
          os_type: fields.osType,
          os_version: fields.osVersion,
          tablet: fields.tablet,
          start_on_boot: fields.startOnBoot,
          spice_stream: fields.spiceStream
        }).filter(([, v]) => v !== undefined)
      )
      return Object.keys(body).length === 0
        ? Effect.fail(invalid("fields", "update needs at least one field to change"))
        : rest.json({ method: "PUT", path: Rest.path("domains/{id}/", { id }), body }, Domain)
    }

    const template = (id: string, value: boolean) =>
      tasks.submitAny({ method: "PUT", path: Rest.path("domains/{id}/template/", { id }), query: Rest.asyncQuery, body: { template: value } })

    const bare = (action: string) => (id: string) =>
      tasks.submitAny({ method: "POST", path: Rest.path(`domains/{id}/${action}/`, { id }), query: Rest.asyncQuery })

    const connection = <K extends "spice_url" | "vnc_url">(
      kind: "spice" | "vnc",
      schema: Schema.Schema<{ readonly [P in K]: string }, { readonly [P in K]: string }>,
      key: K
    ) =>
    (id: string) =>
      Effect.map(
        rest.json({ method: "GET", path: Rest.path(`domains/{id}/${kind}/`, { id }), cache: false }, schema),
        (answer) => parseConnectionUrl(answer[key])
      )

    const getMany = (ids: ReadonlyArray<string>, query: Collection.ListQuery = {}) => {
      // Chunks whose `ids=` stays well under the URL limit (the VDI broker uses 3780 characters per chunk).
      const budget = Math.max(37, Math.min(3780, veil.config.urlMaxLength - veil.config.baseUrl.length - 512))
      const chunks: Array<Array<string>> = []
      let current: Array<string> = []
      let length = 0
      for (const id of ids) {
        if (current.length > 0 && length + id.length + 1 > budget) {
          chunks.push(current)
          current = []
          length = 0
        }
        current.push(id)
        length += id.length + 1
      }
      if (current.length > 0) chunks.push(current)
      return Stream.fromIterable(chunks).pipe(
        Stream.tap((chunk) => checkIds("ids", chunk)),
        Stream.flatMap((chunk) => collection.listAll({ ...query, ids: chunk, limit: query.limit ?? chunk.length }))
      )
    }

    // An empty `ids` filter selects no domain (sent as is, ECP would read `ids=` as "no filter").
    const noIds = (q: DomainFilters | undefined) => q?.ids !== undefined && q.ids.length === 0
    const list: Domains["list"] = (q) =>
      noIds(q) ? Effect.succeed({ items: [], count: 0, total: Option.some(0), next: Option.none() }) : collection.list(q)
    const listAll: Domains["listAll"] = (q) => (noIds(q) ? Stream.empty : collection.listAll(q))

    return {
      ...collection,
      list,
      listAll,
      getMany,
      start: act("start"),
      shutdown: act("shutdown"),
      reboot: act("reboot"),
      suspend: act("suspend"),
      resume: act("resume"),
      reset: act("reset"),
      remove: (id, options = {}) =>
        Effect.flatMap(post("remove/", id, { full: options.full ?? true, force: options.force ?? false }), tasks.submit),
      create,
      clone,
      update,
      convertToTemplate: (id) => template(id, true),
      convertToVm: (id) => template(id, false),
      changeTemplate: bare("change-template"),
      remoteAccess: (id, enabled) => Effect.flatMap(post("remote-access/", id, { remote_access: enabled }), tasks.submit),
      guestCommand: (id, command) =>
        Effect.flatMap(
          post("guest-command/", id, {
            ...(command.veilCmd === undefined ? {} : { veil_cmd: command.veilCmd }),
            ...(command.qemuCmd === undefined ? {} : { qemu_cmd: command.qemuCmd }),
            ...(command.fargs === undefined ? {} : { fargs: command.fargs }),
            timeout: command.timeout ?? 5
          }),
          (request) => rest.json(request, Schema.Unknown)
        ),
      setHostname: (id, hostname) =>
        Effect.gen(function*() {
          const name = hostname ?? (yield* collection.get(id)).verbose_name
          return yield* tasks.submit(yield* post("set-hostname/", id, { hostname: name }))
        }),
      addToAd: (id, join) => Effect.flatMap(post("add-to-ad/", id, adBody(join)), tasks.submitAny),
      removeFromAd: (id, options) =>
        Effect.flatMap(
          post("rm-from-ad/", id, {
            login: options.login,
            password: Redacted.isRedacted(options.password) ? Redacted.value(options.password) : options.password,
            ...(options.restart === true ? { restart: 1 } : {})
          }),
          tasks.submitAny
        ),
      prepare: (id, options) =>
        Effect.flatMap(
          post("vdi-prepare/", id, {
            remote_access: options.remoteAccess,
            ...(options.startOn === true ? { start_on: true } : {}),
            ...(options.setHostname === true ? { set_hostname: true } : {}),
            ...(options.addToAd === undefined ? {} : { add_to_ad: adBody(options.addToAd) })
          }),
          tasks.submit
        ),
      attachUsb: (id, options) =>
        Effect.flatMap(
          post("attach-usb/", id, { action_type: "tcp_usb_device", tcp_usb: options.tcpUsb }),
          (request) => rest.json({ ...request, query: Rest.syncQuery }, UsbAttachment)
        ),
      detachUsb: (id, options = {}) =>
        Effect.flatMap(
          post("detach-usb/", id, {
            action_type: "tcp_usb_device",
            ...(options.usb === undefined ? { remove_all: 1 } : { usb: options.usb })
          }),
          (request) => tasks.submitAny({ ...request, query: Rest.syncQuery })
        ),
      spice: connection("spice", SpiceAnswer, "spice_url"),
      vnc: connection("vnc", VncAnswer, "vnc_url"),
      attachVeilUtilsIso: bare("attach-veil-utils-iso"),
      backup: (id, options = {}) =>
        Effect.gen(function*() {
          yield* Rest.requireUuid("id", id)
          yield* checkOptions({ datapool: options.datapool, backup: options.backup })
          const request = yield* collectionPost("domains/backup/", {
            domain: id,
            ...(options.backup === undefined && options.datapool !== undefined ? { datapool: options.datapool } : {}),
            ...(options.backup === undefined ? {} : { backup: options.backup }),
            can_be_incremental: options.canBeIncremental ?? false,
            increment: options.increment ?? false,
            exclude_iso: options.excludeIso ?? true
          })
          return yield* tasks.submit(request)
        }),
      backups: (id, query = {}) => Effect.zipRight(Rest.requireUuid("id", id), library.list({ ...query, domain: id })),
      showBackup: (fileId) =>
        Effect.zipRight(
          Rest.requireUuid("fileId", fileId),
          Effect.flatMap(collectionPost("domains/show-backup/", { file: fileId }), (request) => rest.json(request, Schema.Unknown))
        ),
      restore: (options) =>
        Effect.gen(function*() {
          yield* checkOptions({ file: options.file, node: options.node, datapool: options.datapool })
          return yield* tasks.submit(
            yield* collectionPost("domains/automated-restore/", {
              file: options.file,
              node: options.node,
              ...(options.datapool === undefined ? {} : { datapool: options.datapool })
            })
          )
        }),
      multiManager: (action, ids, options = {}) =>
        Effect.gen(function*() {
          if (ids.length === 0) return yield* invalid("ids", "multiManager needs at least one domain id")
          yield* checkIds("ids", ids)
          return yield* tasks.submit(
            yield* collectionPost("domains/multi-manager/", {
              entity_ids: [...new Set(ids)],
              action,
              options: { full: options.full ?? true, force: options.force ?? false }
            })
          )
        })
    }
  })
