/**
 * The in-memory state of the VeiL simulator: plain immutable records, changed only by pure functions
 * `SimState => SimState` applied to one `Ref`.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { uuidFrom } from "./Ids.js"
import type { Json } from "../../core/testing/Json.js"

/**
 * Domain power state as ECP encodes it in `user_power_state`: 0 UNDEFINED, 1 OFF, 2 SUSPENDED, 3 ON.
 *
 * @since 0.1.0
 */
export type PowerState = 0 | 1 | 2 | 3

/**
 * The names the domain list filter `power_state` takes.
 *
 * @since 0.1.0
 */
export const powerStateNames: Readonly<Record<PowerState, string>> = {
  0: "UNDEFINED",
  1: "OFF",
  2: "SUSPENDED",
  3: "ON"
}

/**
 * A power state from its name (`ON`, `OFF`, `SUSPENDED`, `UNDEFINED`, case-insensitive).
 *
 * @since 0.1.0
 */
export const powerStateFromName = (name: string): PowerState | undefined => {
  switch (name.toUpperCase()) {
    case "UNDEFINED":
      return 0
    case "OFF":
      return 1
    case "SUSPENDED":
      return 2
    case "ON":
      return 3
    default:
      return undefined
  }
}

/**
 * Entity status (`status` field) of ECP objects.
 *
 * @since 0.1.0
 */
export type EntityStatus = "CREATING" | "ACTIVE" | "FAILED" | "DELETING" | "SERVICE"

/**
 * Task status.
 *
 * @since 0.1.0
 */
export type TaskStatus = "IN_PROGRESS" | "SUCCESS" | "FAILED" | "CANCELED" | "LOST" | "PARTIAL"

/**
 * An `{entity_uuid, entity_class}` pair.
 *
 * @since 0.1.0
 */
export interface EntityRef {
  readonly entity_uuid: string
  readonly entity_class: string
}

/**
 * The datacenter.
 *
 * @since 0.1.0
 */
export interface DatacenterRecord {
  readonly id: string
  readonly verbose_name: string
}

/**
 * A controller (the ECP itself).
 *
 * @since 0.1.0
 */
export interface ControllerRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly address: string
  readonly version: string
  readonly status: EntityStatus
  readonly created: string
  readonly modified: string
}

/**
 * A cluster.
 *
 * @since 0.1.0
 */
export interface ClusterRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly datacenterId: string
  readonly status: EntityStatus
  readonly created: string
  readonly modified: string
}

/**
 * A node (hypervisor host).
 *
 * @since 0.1.0
 */
export interface NodeRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly management_ip: string
  readonly ipmi_ip: string
  readonly clusterId: string
  readonly cpu_count: number
  readonly memory_count: number
  readonly status: EntityStatus
  readonly version: string
  readonly created: string
  readonly modified: string
  readonly hints: number
}

/**
 * A data pool (storage).
 *
 * @since 0.1.0
 */
export interface DatapoolRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly type: string
  readonly path: string
  readonly size: number
  readonly used_space: number
  readonly nodeIds: ReadonlyArray<string>
  readonly clusterId: string
  readonly built_in: boolean
  readonly status: EntityStatus
  readonly created: string
  readonly modified: string
}

/**
 * A resource pool.
 *
 * @since 0.1.0
 */
export interface ResourcePoolRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly clusterId: string
  readonly built_in: boolean
  readonly created: string
  readonly modified: string
}

/**
 * A TCP-USB device attached to a domain.
 *
 * @since 0.1.0
 */
export interface TcpUsbDevice {
  readonly host: string
  readonly service: number
  readonly uuid: string
}

/**
 * A domain (virtual machine or template).
 *
 * @since 0.1.0
 */
export interface DomainRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly template: boolean
  readonly user_power_state: PowerState
  readonly status: EntityStatus
  readonly nodeId: string
  readonly datapoolId: string
  readonly resourcePoolId: string
  readonly parentId: string | null
  readonly thin: boolean
  readonly os_type: string
  readonly os_version: string
  readonly memory_count: number
  readonly cpu_count: number
  readonly created: string
  readonly modified: string
  readonly remote_access: boolean
  readonly tablet: boolean
  readonly start_on_boot: boolean
  readonly spice_stream: boolean
  readonly tcp_usb_devices: ReadonlyArray<TcpUsbDevice>
  readonly graphics_password: string
  readonly remote_access_port: number
  readonly real_remote_access_port: number
  readonly hostname: string
  readonly ipv4: ReadonlyArray<string>
  readonly locked_by: string | null
  /** Virtual ms when the domain last went ON, for uptime; null while not running. */
  readonly startedAt: number | null
}

/**
 * A virtual disk.
 *
 * @since 0.1.0
 */
export interface VdiskRecord {
  readonly id: string
  readonly verbose_name: string
  readonly description: string
  readonly datapoolId: string
  readonly domainId: string | null
  readonly size: number
  readonly shareable: boolean
  readonly status: EntityStatus
  readonly created: string
  readonly modified: string
}

/**
 * A tag and the entities it is attached to.
 *
 * @since 0.1.0
 */
export interface TagRecord {
  readonly id: string
  readonly verbose_name: string
  readonly colour: string
  readonly entities: ReadonlyArray<EntityRef>
  readonly created: string
}

/**
 * An event of the ECP journal.
 *
 * @since 0.1.0
 */
export interface EventRecord {
  readonly id: string
  readonly message: string
  readonly detail_message: string
  readonly user: string
  readonly type: string
  readonly created: string
  readonly taskId: string | null
  readonly entities: ReadonlyArray<EntityRef>
}

/**
 * A library file (a backup, an image…).
 *
 * @since 0.1.0
 */
export interface LibraryRecord {
  readonly id: string
  readonly filename: string
  readonly description: string
  readonly datapoolId: string
  readonly domainId: string | null
  readonly size: number
  readonly assignment_type: string
  readonly can_be_incremental: boolean
  readonly status: EntityStatus
  readonly created: string
  readonly modified: string
  /** The domain as it was when backed up (what `show-backup/` describes and `automated-restore/` restores). */
  readonly snapshot: DomainRecord | null
}

/**
 * An ISO image as the simulator keeps it.
 *
 * @since 0.1.0
 */
export interface IsoRecord {
  readonly id: string
  readonly filename: string
  readonly datapoolId: string
  readonly created: string
}

/**
 * A task. `createdAt`/`durationMs`/`finishedAt` are virtual milliseconds of the Effect `Clock`.
 *
 * @since 0.1.0
 */
export interface TaskRecord {
  readonly id: string
  readonly name: string
  readonly verbose_name: string
  readonly status: TaskStatus
  readonly createdAt: number
  readonly durationMs: number
  readonly finishedAt: number | null
  readonly error_message: string
  /** Entity uuid → class, in server order (the first key is the "first entity"). */
  readonly entities: ReadonlyArray<readonly [string, string]>
  readonly parent: string | null
  readonly is_multitask: boolean
  readonly nodeId: string
  /** When set, the task fails with this message when its time comes. */
  readonly failWith: string | null
}

/**
 * What happens when a task finishes. `onSuccess` may refuse (Left = error message), which fails the task.
 *
 * @since 0.1.0
 */
export interface TaskHooks {
  readonly onSuccess: (state: SimState, at: number) => Either.Either<SimState, string>
  readonly onFailure: (state: SimState, at: number) => SimState
  /** The body of `GET tasks/{id}/response/` at virtual time `now`. */
  readonly response: (state: SimState, now: number) => Json
}

/**
 * A failure armed through the simulator's control: the next task created fails. With `status: "PARTIAL"` only the
 * first sub-task of the next multitask fails.
 *
 * @since 0.1.0
 */
export interface ArmedFailure {
  readonly message: string
  readonly status: "FAILED" | "PARTIAL"
}

/**
 * The whole simulator state.
 *
 * @since 0.1.0
 */
export interface SimState {
  readonly seq: number
  readonly taskDurationMs: number
  readonly armedFailures: ReadonlyArray<ArmedFailure>
  readonly user: { readonly id: number; readonly username: string }
  readonly datacenter: DatacenterRecord
  readonly controllers: ReadonlyArray<ControllerRecord>
  readonly clusters: ReadonlyArray<ClusterRecord>
  readonly nodes: ReadonlyArray<NodeRecord>
  readonly datapools: ReadonlyArray<DatapoolRecord>
  readonly resourcePools: ReadonlyArray<ResourcePoolRecord>
  readonly domains: ReadonlyArray<DomainRecord>
  readonly vdisks: ReadonlyArray<VdiskRecord>
  readonly tags: ReadonlyArray<TagRecord>
  readonly events: ReadonlyArray<EventRecord>
  readonly library: ReadonlyArray<LibraryRecord>
  /** ISO images uploaded through the API (none are seeded). */
  readonly isos?: ReadonlyArray<IsoRecord>
  readonly tasks: ReadonlyArray<TaskRecord>
  readonly hooks: ReadonlyMap<string, TaskHooks>
}

/**
 * A fresh deterministic id and the state with its counter advanced.
 *
 * @since 0.1.0
 */
export const nextId = (state: SimState, kind: string): readonly [string, SimState] => [
  uuidFrom(`veil-simulator:${kind}:${state.seq}`),
  { ...state, seq: state.seq + 1 }
]

/**
 * `count` fresh ids.
 *
 * @since 0.1.0
 */
export const nextIds = (state: SimState, kind: string, count: number): readonly [ReadonlyArray<string>, SimState] => [
  Array.from({ length: count }, (_, i) => uuidFrom(`veil-simulator:${kind}:${state.seq + i}`)),
  { ...state, seq: state.seq + count }
]

/**
 * ECP's timestamp format: ISO-8601 UTC with microseconds (`2020-10-13T05:05:27.373701Z`).
 *
 * @since 0.1.0
 */
export const isoAt = (millis: number): string => new Date(millis).toISOString().replace("Z", "000Z")

/**
 * Replaces the record with the same id in a list.
 *
 * @since 0.1.0
 */
export const replaceById = <A extends { readonly id: string }>(
  list: ReadonlyArray<A>,
  id: string,
  f: (a: A) => A
): ReadonlyArray<A> => list.map((a) => (a.id === id ? f(a) : a))

/**
 * Finds a record by id.
 *
 * @since 0.1.0
 */
export const findById = <A extends { readonly id: string }>(list: ReadonlyArray<A>, id: string): A | undefined =>
  list.find((a) => a.id === id)

/**
 * Updates one domain.
 *
 * @since 0.1.0
 */
export const updateDomain = (state: SimState, id: string, f: (d: DomainRecord) => DomainRecord): SimState => ({
  ...state,
  domains: replaceById(state.domains, id, f)
})

/**
 * Removes a domain together with its vdisks (when `withVdisks`) and its tag links.
 *
 * @since 0.1.0
 */
export const removeDomain = (state: SimState, id: string, withVdisks: boolean): SimState => ({
  ...state,
  domains: state.domains.filter((d) => d.id !== id),
  vdisks: withVdisks
    ? state.vdisks.filter((v) => v.domainId !== id)
    : state.vdisks.map((v) => (v.domainId === id ? { ...v, domainId: null } : v)),
  tags: state.tags.map((t) => ({ ...t, entities: t.entities.filter((e) => e.entity_uuid !== id) }))
})

/** The state's entity lists by class name (`entity_class`), in the order an id is looked up. */
const entityLists = (
  state: SimState
): ReadonlyArray<readonly [string, ReadonlyArray<{ readonly id: string; readonly verbose_name: string }>]> => [
  ["domain", state.domains],
  ["node", state.nodes],
  ["cluster", state.clusters],
  ["datapool", state.datapools],
  ["resourcepool", state.resourcePools],
  ["vdisk", state.vdisks],
  ["controller", state.controllers],
  ["task", state.tasks]
]

/**
 * The class name (`entity_class`) of an entity id, if it exists.
 *
 * @since 0.1.0
 */
export const entityClassOf = (state: SimState, id: string): string | undefined =>
  entityLists(state).find(([, list]) => findById(list, id) !== undefined)?.[0]

/**
 * The display name of an entity id (tasks aside).
 *
 * @since 0.1.0
 */
export const entityNameOf = (state: SimState, id: string): string => {
  for (const [entityClass, list] of entityLists(state)) {
    const found = entityClass === "task" ? undefined : findById(list, id)
    if (found !== undefined) return found.verbose_name
  }
  return ""
}
