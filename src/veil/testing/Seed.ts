/**
 * The initial state of the simulator: a small ECP — one datacenter, one controller, one cluster of three nodes, two
 * data pools (shared NFS and one node's local storage), the default resource pool, two templates, `domains` ordinary
 * domains (varied names, mixed power states), their vdisks, a few tags, events and two backup files.
 *
 * Every id is a fixed UUID (see {@link SeedIds}), the same on every run.
 *
 * @since 0.1.0
 */
import { uuidFrom } from "./Ids.js"
import type * as State from "./State.js"

const seedId = (name: string): string => uuidFrom(`veil-seed:${name}`)

/**
 * The type of {@link SeedIds}.
 *
 * @since 0.1.0
 */
export interface SeedIdsShape {
  readonly datacenter: string
  readonly controller: string
  readonly cluster: string
  readonly nodes: readonly [string, string, string]
  readonly datapools: { readonly nfs: string; readonly local: string }
  readonly resourcePool: string
  readonly templates: { readonly linux: string; readonly windows: string }
  readonly domain: (i: number) => string
  readonly domainName: (i: number) => string
  readonly domainPowerState: (i: number) => State.PowerState
  readonly tags: { readonly production: string; readonly vdi: string; readonly unused: string }
  readonly backups: readonly [string, string]
}

/**
 * The fixed ids of the seeded entities.
 *
 * - `domain(i)` is the id of the i-th ordinary domain (0-based, `i < domains` of the options; 12 by default).
 * - `domainName(i)` its `verbose_name`; `domainPowerState(i)` its initial `user_power_state`.
 *
 * @since 0.1.0
 */
export const SeedIds: SeedIdsShape = {
  datacenter: seedId("datacenter"),
  controller: seedId("controller"),
  cluster: seedId("cluster"),
  nodes: [seedId("node:0"), seedId("node:1"), seedId("node:2")],
  datapools: { nfs: seedId("datapool:nfs"), local: seedId("datapool:local") },
  resourcePool: seedId("resource-pool"),
  templates: { linux: seedId("template:linux"), windows: seedId("template:windows") },
  domain: (i: number): string => seedId(`domain:${i}`),
  domainName: (i: number): string => domainNames[i] ?? `domain-${String(i + 1).padStart(2, "0")}`,
  domainPowerState: (i: number): State.PowerState => powerPattern[i % powerPattern.length] ?? 1,
  tags: { production: seedId("tag:production"), vdi: seedId("tag:vdi"), unused: seedId("tag:unused") },
  backups: [seedId("library:0"), seedId("library:1")]
}

const domainNames: ReadonlyArray<string> = [
  "vdi-win10-01",
  "alt-linux-dev",
  "astra-web-01",
  "win10-broker-02",
  "ubuntu-build",
  "redos-db-01",
  "astra-web-02",
  "win10-kiosk-03",
  "centos-legacy",
  "alt-office-04",
  "win2019-ad",
  "ubuntu-ci-runner"
]

const powerPattern: ReadonlyArray<State.PowerState> = [3, 1, 3, 2, 1, 3, 0, 1]

const seededAt = "2023-03-14T09:26:53.589793Z"
const modifiedAt = "2023-06-01T12:00:00.000000Z"

const datacenter = { id: SeedIds.datacenter, verbose_name: "Veil default location" }

const controller: State.ControllerRecord = {
  id: SeedIds.controller,
  verbose_name: "ecp-controller",
  description: "Simulated VeiL ECP controller",
  address: "127.0.0.1",
  version: "4.6.0",
  status: "ACTIVE",
  created: seededAt,
  modified: modifiedAt
}

const cluster: State.ClusterRecord = {
  id: SeedIds.cluster,
  verbose_name: "cluster_115",
  description: "",
  datacenterId: SeedIds.datacenter,
  status: "ACTIVE",
  created: seededAt,
  modified: modifiedAt
}

const nodes: ReadonlyArray<State.NodeRecord> = SeedIds.nodes.map((id, i) => ({
  id,
  verbose_name: `192.168.11.${111 + i}`,
  description: "",
  management_ip: `192.168.11.${111 + i}`,
  ipmi_ip: `192.168.11.${151 + i}`,
  clusterId: SeedIds.cluster,
  cpu_count: 24,
  memory_count: 32021 + i * 1024,
  status: "ACTIVE",
  version: "4.6.0",
  created: seededAt,
  modified: modifiedAt,
  hints: i === 2 ? 1 : 0
}))

const datapools: ReadonlyArray<State.DatapoolRecord> = [
  {
    id: SeedIds.datapools.nfs,
    verbose_name: "nfs_storage",
    description: "Shared NFS storage",
    type: "nfs",
    path: "/storages/nfs/nfs_storage",
    size: 3603492,
    used_space: 201090,
    nodeIds: SeedIds.nodes,
    clusterId: SeedIds.cluster,
    built_in: false,
    status: "ACTIVE",
    created: seededAt,
    modified: modifiedAt
  },
  {
    id: SeedIds.datapools.local,
    verbose_name: "local_111",
    description: "",
    type: "local",
    path: "/storages/local/default",
    size: 920000,
    used_space: 120400,
    nodeIds: [SeedIds.nodes[0]],
    clusterId: SeedIds.cluster,
    built_in: true,
    status: "ACTIVE",
    created: seededAt,
    modified: modifiedAt
  }
]

const resourcePool: State.ResourcePoolRecord = {
  id: SeedIds.resourcePool,
  verbose_name: "Veil default cluster resource pool",
  description: "",
  clusterId: SeedIds.cluster,
  built_in: true,
  created: seededAt,
  modified: modifiedAt
}

const baseDomain: Pick<
  State.DomainRecord,
  | "description"
  | "status"
  | "resourcePoolId"
  | "created"
  | "modified"
  | "tablet"
  | "start_on_boot"
  | "spice_stream"
  | "tcp_usb_devices"
  | "locked_by"
> = {
  description: "",
  status: "ACTIVE",
  resourcePoolId: SeedIds.resourcePool,
  created: seededAt,
  modified: modifiedAt,
  tablet: false,
  start_on_boot: false,
  spice_stream: false,
  tcp_usb_devices: [],
  locked_by: null
}

const templates: ReadonlyArray<State.DomainRecord> = [
  {
    ...baseDomain,
    id: SeedIds.templates.linux,
    verbose_name: "alt_linux_template",
    template: true,
    user_power_state: 1,
    nodeId: SeedIds.nodes[0],
    datapoolId: SeedIds.datapools.nfs,
    parentId: null,
    thin: false,
    os_type: "Linux",
    os_version: "Alt Linux 9 (64-bit)",
    memory_count: 2048,
    cpu_count: 2,
    remote_access: false,
    graphics_password: "tplLinux01",
    remote_access_port: 5900,
    real_remote_access_port: 50000,
    hostname: "",
    ipv4: [],
    startedAt: null
  },
  {
    ...baseDomain,
    id: SeedIds.templates.windows,
    verbose_name: "win10_template",
    template: true,
    user_power_state: 1,
    nodeId: SeedIds.nodes[1],
    datapoolId: SeedIds.datapools.nfs,
    parentId: null,
    thin: false,
    os_type: "Windows",
    os_version: "Microsoft Windows 10 (64-bit)",
    memory_count: 4096,
    cpu_count: 2,
    remote_access: false,
    graphics_password: "tplWin1001",
    remote_access_port: 5901,
    real_remote_access_port: 50001,
    hostname: "",
    ipv4: [],
    startedAt: null
  }
]

const isWindows = (name: string): boolean => name.startsWith("win") || name.startsWith("vdi-win")

const ordinaryDomain = (i: number): State.DomainRecord => {
  const name = SeedIds.domainName(i)
  const windows = isWindows(name)
  const power = SeedIds.domainPowerState(i)
  const nodeIndex = i % 3
  const nodeId = SeedIds.nodes[nodeIndex] ?? SeedIds.nodes[0]
  const local = nodeIndex === 0 && i % 2 === 0
  const thinClone = windows || i % 4 === 1
  return {
    ...baseDomain,
    id: SeedIds.domain(i),
    verbose_name: name,
    template: false,
    user_power_state: power,
    nodeId,
    datapoolId: local ? SeedIds.datapools.local : SeedIds.datapools.nfs,
    parentId: thinClone ? (windows ? SeedIds.templates.windows : SeedIds.templates.linux) : null,
    thin: thinClone,
    os_type: windows ? "Windows" : "Linux",
    os_version: windows ? "Microsoft Windows 10 (64-bit)" : "Alt Linux 9 (64-bit)",
    memory_count: [2048, 4096, 8192][i % 3] ?? 2048,
    cpu_count: [2, 4, 1][i % 3] ?? 2,
    remote_access: i % 5 !== 4,
    graphics_password: `pw${String(i).padStart(4, "0")}Sim`,
    remote_access_port: 5902 + i,
    real_remote_access_port: 50002 + i,
    hostname: power === 3 ? name.toUpperCase() : "",
    ipv4: power === 3 ? [`192.168.20.${10 + i}`] : [],
    startedAt: power === 3 ? 0 : null
  }
}

const vdiskFor = (domain: State.DomainRecord, index: number): State.VdiskRecord => ({
  id: seedId(`vdisk:${domain.id}`),
  verbose_name: `${domain.verbose_name}_disk1`,
  description: "",
  datapoolId: domain.datapoolId,
  domainId: domain.id,
  size: index % 2 === 0 ? 20 : 40,
  shareable: false,
  status: "ACTIVE",
  created: seededAt,
  modified: modifiedAt
})

const tagsFor = (domains: ReadonlyArray<State.DomainRecord>): ReadonlyArray<State.TagRecord> => [
  {
    id: SeedIds.tags.production,
    verbose_name: "production",
    colour: "#ff0000",
    entities: domains.slice(0, 3).map((d) => ({ entity_uuid: d.id, entity_class: "domain" })),
    created: seededAt
  },
  {
    id: SeedIds.tags.vdi,
    verbose_name: "vdi-pool",
    colour: "#c0ffee",
    entities: domains.filter((d) => d.os_type === "Windows").map((d) => ({ entity_uuid: d.id, entity_class: "domain" })),
    created: seededAt
  },
  {
    id: SeedIds.tags.unused,
    verbose_name: "unused",
    colour: "#00aa00",
    entities: [],
    created: seededAt
  }
]

const eventsFor = (domains: ReadonlyArray<State.DomainRecord>): ReadonlyArray<State.EventRecord> =>
  domains.slice(0, 3).map((d, i) => ({
    id: seedId(`event:${i}`),
    message: `Обновление информации о виртуальной машине ${d.verbose_name} (${d.id}).`,
    detail_message: `Обновление информации о виртуальной машине ${d.verbose_name} (${d.id}).`,
    user: i === 2 ? "system" : "admin",
    type: i === 2 ? "warning" : "info",
    created: `2023-06-0${i + 1}T10:08:09.761081Z`,
    taskId: null,
    entities: [{ entity_uuid: d.id, entity_class: "domain" }]
  }))

const backupsFor = (domains: ReadonlyArray<State.DomainRecord>): ReadonlyArray<State.LibraryRecord> => {
  const domain = domains[0]
  if (domain === undefined) return []
  return SeedIds.backups.map((id, i) => ({
    id,
    filename: `${domain.verbose_name}_2023-05-0${i + 1}_02-00-00.${i === 0 ? "ecp" : "inc"}`,
    description: "",
    datapoolId: SeedIds.datapools.nfs,
    domainId: domain.id,
    size: 1.37 + i,
    assignment_type: "backup",
    can_be_incremental: true,
    status: "ACTIVE",
    created: `2023-05-0${i + 1}T02:00:00.000000Z`,
    modified: `2023-05-0${i + 1}T02:10:00.000000Z`,
    snapshot: domain
  }))
}

/**
 * Builds the seeded state.
 *
 * @since 0.1.0
 */
export const seed = (options: { readonly domains: number; readonly taskDurationMs: number }): State.SimState => {
  const ordinary = Array.from({ length: Math.max(0, options.domains) }, (_, i) => ordinaryDomain(i))
  const domains = [...templates, ...ordinary]
  return {
    seq: 0,
    taskDurationMs: options.taskDurationMs,
    armedFailures: [],
    user: { id: 1, username: "admin" },
    datacenter,
    controllers: [controller],
    clusters: [cluster],
    nodes,
    datapools,
    resourcePools: [resourcePool],
    domains,
    vdisks: domains.map(vdiskFor),
    tags: tagsFor(ordinary),
    events: eventsFor(ordinary),
    library: backupsFor(ordinary),
    tasks: [],
    hooks: new Map()
  }
}
