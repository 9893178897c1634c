/**
 * The state of the OpenStack simulator: Keystone's domains, users, projects and tokens, Nova's flavors and
 * servers, Glance's images, Neutron's networks and subnets, Swift's containers, Cinder's volumes and snapshots — and
 * the lazy settling of server, volume and snapshot transitions on the Effect `Clock` (no background fibers: every
 * request first settles what is due).
 *
 * @since 0.1.0
 */
import * as Transitions from "../../core/testing/Transitions.js"

/**
 * A Keystone domain.
 *
 * @since 0.1.0
 */
export interface DomainRecord {
  readonly id: string
  readonly name: string
}

/**
 * A Keystone user (its password in clear: this is a test double).
 *
 * @since 0.1.0
 */
export interface UserRecord {
  readonly id: string
  readonly name: string
  readonly domainId: string
  readonly password: string
}

/**
 * A Keystone project.
 *
 * @since 0.1.0
 */
export interface ProjectRecord {
  readonly id: string
  readonly name: string
  readonly domainId: string
}

/**
 * A role, as tokens list them.
 *
 * @since 0.1.0
 */
export interface RoleRecord {
  readonly id: string
  readonly name: string
}

/**
 * The roles a user holds on a project.
 *
 * @since 0.1.0
 */
export interface AssignmentRecord {
  readonly userId: string
  readonly projectId: string
  readonly roles: ReadonlyArray<RoleRecord>
}

/**
 * An application credential: bound to one user and one project.
 *
 * @since 0.1.0
 */
export interface AppCredentialRecord {
  readonly id: string
  readonly name: string
  readonly userId: string
  readonly projectId: string
  readonly secret: string
}

/**
 * An issued token. Times are epoch milliseconds on the Effect `Clock`.
 *
 * @since 0.1.0
 */
export interface TokenRecord {
  readonly value: string
  readonly userId: string
  readonly projectId: string | null
  readonly methods: ReadonlyArray<string>
  readonly issuedAt: number
  readonly expiresAt: number
  readonly auditId: string
  readonly revoked: boolean
  readonly appCredentialId: string | null
}

/**
 * A Nova flavor.
 *
 * @since 0.1.0
 */
export interface FlavorRecord {
  readonly id: string
  readonly name: string
  readonly ram: number
  readonly vcpus: number
  readonly disk: number
  readonly ephemeral: number
  readonly isPublic: boolean
  readonly description: string | null
  readonly extraSpecs: Readonly<Record<string, string>>
}

/**
 * A Glance image; `data` holds the uploaded bytes (none for seeded images, which only claim a size).
 *
 * @since 0.1.0
 */
export interface ImageRecord {
  readonly id: string
  readonly name: string | null
  readonly status: string
  readonly visibility: string
  readonly protected: boolean
  readonly diskFormat: string | null
  readonly containerFormat: string | null
  readonly size: number | null
  readonly checksum: string | null
  readonly hashValue: string | null
  readonly owner: string
  readonly minDisk: number
  readonly minRam: number
  readonly tags: ReadonlyArray<string>
  readonly createdAt: number
  readonly updatedAt: number
  readonly properties: Readonly<Record<string, string>>
}

/**
 * A port as the simulator keeps it.
 *
 * @since 0.1.0
 */
export interface PortRecord {
  readonly id: string
  readonly name: string
  readonly networkId: string
  readonly projectId: string
  readonly adminStateUp: boolean
  readonly mac: string
  readonly fixedIps: ReadonlyArray<{ readonly subnet_id: string; readonly ip_address: string }>
  readonly deviceId: string
  readonly deviceOwner: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly revision: number
}

/**
 * What a volume and a snapshot have in common as the simulator keeps them.
 *
 * @since 0.1.0
 */
export interface StorageRecord {
  readonly id: string
  readonly name: string | null
  readonly description: string | null
  readonly projectId: string
  readonly userId: string
  readonly size: number
  readonly status: string
  readonly metadata: Readonly<Record<string, string>>
  readonly createdAt: number
  readonly updatedAt: number | null
  readonly pending: Transitions.Pending<"create" | "delete"> | null
  /** Order of creation (ties of `createdAt` under `TestClock`). */
  readonly seq: number
}

/**
 * A volume as the simulator keeps it.
 *
 * @since 0.1.0
 */
export interface VolumeRecord extends StorageRecord {
  readonly availabilityZone: string
  readonly bootable: boolean
  readonly snapshotId: string | null
  readonly sourceVolid: string | null
}

/**
 * A snapshot as the simulator keeps it.
 *
 * @since 0.1.0
 */
export interface SnapshotRecord extends StorageRecord {
  readonly volumeId: string
}

/**
 * A Neutron network.
 *
 * @since 0.1.0
 */
export interface NetworkRecord {
  readonly id: string
  readonly name: string
  readonly projectId: string
  readonly adminStateUp: boolean
  readonly shared: boolean
  readonly external: boolean
  readonly mtu: number
  readonly description: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly revision: number
}

/**
 * A Neutron subnet.
 *
 * @since 0.1.0
 */
export interface SubnetRecord {
  readonly id: string
  readonly name: string
  readonly networkId: string
  readonly projectId: string
  readonly ipVersion: number
  readonly cidr: string
  readonly gatewayIp: string | null
  readonly enableDhcp: boolean
  readonly allocationPools: ReadonlyArray<{ readonly start: string; readonly end: string }>
  readonly description: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly revision: number
}

/**
 * Nova's `vm_state`s the simulator uses.
 *
 * @since 0.1.0
 */
export type VmState = "building" | "active" | "stopped" | "error"

/**
 * A transition of a server that completes at `at` (epoch ms on the `Clock`).
 *
 * @since 0.1.0
 */
export type PendingTransition = Transitions.Pending<"build" | "stop" | "start" | "reboot" | "delete">

/**
 * A server's address on a network.
 *
 * @since 0.1.0
 */
export interface AddressRecord {
  readonly networkId: string
  readonly networkName: string
  readonly addr: string
  readonly mac: string
}

/**
 * A Nova server. `failWith` is the fault message its build ends with (armed by `control.failNextServer`).
 *
 * @since 0.1.0
 */
export interface ServerRecord {
  readonly id: string
  readonly name: string
  readonly projectId: string
  readonly userId: string
  readonly imageId: string
  readonly flavorId: string
  readonly addresses: ReadonlyArray<AddressRecord>
  readonly metadata: Readonly<Record<string, string>>
  readonly keyName: string | null
  readonly securityGroups: ReadonlyArray<string>
  readonly tags: ReadonlyArray<string>
  readonly availabilityZone: string
  readonly adminPass: string
  readonly vmState: VmState
  readonly taskState: string | null
  readonly powerState: number
  readonly createdAt: number
  readonly updatedAt: number
  readonly launchedAt: number | null
  readonly fault: { readonly code: number; readonly message: string; readonly created: number } | null
  readonly pending: PendingTransition | null
  readonly failWith: string | null
  /** Order of creation (ties of `createdAt` under `TestClock`). */
  readonly seq: number
}

/**
 * A Swift object (bodies are kept as bytes).
 *
 * @since 0.1.0
 */
export interface ObjectRecord {
  readonly name: string
  readonly data: Uint8Array
  readonly contentType: string
  readonly etag: string
  readonly lastModified: number
  readonly metadata: Readonly<Record<string, string>>
}

/**
 * A Swift container of an account (`AUTH_<project id>`).
 *
 * @since 0.1.0
 */
export interface ContainerRecord {
  readonly account: string
  readonly name: string
  readonly createdAt: number
  readonly objects: ReadonlyArray<ObjectRecord>
}

/**
 * Timings and limits, changeable through `control`.
 *
 * @since 0.1.0
 */
export interface Settings {
  readonly tokenLifetimeMs: number
  readonly buildMs: number
  /**
   * How long nova-api takes to answer a create (0: at once). The server is made at the end of it whether or not the
   * client still waits, as a real nova-api goes on after the client hung up.
   */
  readonly createDelayMs: number
  readonly actionMs: number
  readonly deleteMs: number
  readonly maxInstances: number
}

/**
 * The whole simulator state.
 *
 * @since 0.1.0
 */
export interface SimState {
  readonly domains: ReadonlyArray<DomainRecord>
  readonly users: ReadonlyArray<UserRecord>
  readonly projects: ReadonlyArray<ProjectRecord>
  readonly assignments: ReadonlyArray<AssignmentRecord>
  readonly appCredentials: ReadonlyArray<AppCredentialRecord>
  readonly tokens: ReadonlyArray<TokenRecord>
  readonly flavors: ReadonlyArray<FlavorRecord>
  readonly images: ReadonlyArray<ImageRecord>
  readonly networks: ReadonlyArray<NetworkRecord>
  readonly subnets: ReadonlyArray<SubnetRecord>
  /** Ports made through the API (none are seeded). */
  readonly ports?: ReadonlyArray<PortRecord>
  /** Cinder volumes made through the API (none are seeded). */
  readonly volumes?: ReadonlyArray<VolumeRecord>
  /** Cinder snapshots made through the API. */
  readonly snapshots?: ReadonlyArray<SnapshotRecord>
  readonly servers: ReadonlyArray<ServerRecord>
  readonly containers: ReadonlyArray<ContainerRecord>
  /** Fault messages the next server builds end with, first first. */
  readonly armedServerFaults: ReadonlyArray<string>
  readonly settings: Settings
  /** A counter for addresses, MACs and server order. */
  readonly counter: number
}

/**
 * `2026-11-23T21:49:54.000000Z`: Keystone's time format.
 *
 * @since 0.1.0
 */
export const keystoneTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z")

/**
 * `2026-11-23T17:49:08Z`: the time format of Nova, Glance and Neutron.
 *
 * @since 0.1.0
 */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

/**
 * Nova's `status` from `(vm_state, task_state)` (reference §2.4).
 *
 * @since 0.1.0
 */
export const serverStatus = (server: Pick<ServerRecord, "vmState" | "taskState">): string => {
  switch (server.vmState) {
    case "building":
      return "BUILD"
    case "active":
      return server.taskState === "rebooting"
        ? "REBOOT"
        : server.taskState === "rebooting_hard"
        ? "HARD_REBOOT"
        : "ACTIVE"
    case "stopped":
      return "SHUTOFF"
    case "error":
      return "ERROR"
  }
}

const complete = (server: ServerRecord): ServerRecord | null => {
  const pending = server.pending
  if (pending === null) return server
  const base = { ...server, pending: null, taskState: null, updatedAt: pending.at }
  switch (pending.kind) {
    case "build":
      return server.failWith === null
        ? { ...base, vmState: "active", powerState: 1, launchedAt: pending.at }
        : {
          ...base,
          vmState: "error",
          powerState: 0,
          addresses: [],
          fault: { code: 500, message: server.failWith, created: pending.at }
        }
    case "stop":
      return { ...base, vmState: "stopped", powerState: 4 }
    case "start":
    case "reboot":
      return { ...base, vmState: "active", powerState: 1 }
    case "delete":
      return null
  }
}

/**
 * How long Cinder takes to make and to delete a volume or a snapshot, and the most its one backend holds: a volume
 * larger than `capacityGiB` ends in `error`, as when the scheduler finds no backend for it.
 *
 * @since 0.1.0
 */
export const cinderTimings = { create: "2 seconds", delete: "1 second", capacityGiB: 1000 } as const

/** A volume's or a snapshot's transition done: `available` (`error` when `failed` says so), or gone. */
const completeStorage = <R extends VolumeRecord | SnapshotRecord>(failed: (record: R) => boolean) => (record: R): R | null => {
  const pending = record.pending
  if (pending === null) return record
  if (pending.kind === "delete") return null
  return { ...record, pending: null, status: failed(record) ? "error" : "available", updatedAt: pending.at }
}

const completeVolume = completeStorage((volume: VolumeRecord) => volume.size > cinderTimings.capacityGiB)
const completeSnapshot = completeStorage((_: SnapshotRecord) => false)

/**
 * Completes every server, volume and snapshot transition due at `now` (what is deleted disappears).
 *
 * @since 0.1.0
 */
export const settle = (now: number) => (state: SimState): SimState => {
  const servers = Transitions.settle(state.servers, now, complete)
  const volumes = state.volumes === undefined ? undefined : Transitions.settle(state.volumes, now, completeVolume)
  const snapshots = state.snapshots === undefined ? undefined : Transitions.settle(state.snapshots, now, completeSnapshot)
  if (servers === state.servers && volumes === state.volumes && snapshots === state.snapshots) return state
  return { ...state, servers, ...(volumes === undefined ? {} : { volumes }), ...(snapshots === undefined ? {} : { snapshots }) }
}

/**
 * The token with this value if it is usable at `now`: known, not revoked, not expired.
 *
 * @since 0.1.0
 */
export const usableToken = (state: SimState, value: string | undefined, now: number): TokenRecord | undefined => {
  if (value === undefined || value === "") return undefined
  const token = state.tokens.find((t) => t.value === value)
  return token !== undefined && !token.revoked && token.expiresAt > now ? token : undefined
}

/**
 * Whether the token's user holds the `admin` role on the token's project: admins see the extra fields the real
 * services show them (Nova's `OS-EXT-SRV-ATTR:*`, Neutron's `provider:*`).
 *
 * @since 0.1.0
 */
export const isAdmin = (state: SimState, token: TokenRecord): boolean =>
  state.assignments.some((a) => a.userId === token.userId && a.projectId === token.projectId && a.roles.some((r) => r.name === "admin"))
