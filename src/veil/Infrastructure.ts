/**
 * Schemas of the infrastructure entities: clusters, nodes, data pools, resource pools, virtual disks, controllers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import { detailFields, detailOf, EntityRef, entityFields, RefOrId } from "./Entity.js"

/** A row of `GET clusters/`. */
export const ClusterRow = Schema.Struct({
  ...entityFields,
  cpu_count: opt(Schema.Number),
  memory_count: opt(Schema.Number),
  nodes_count: opt(Schema.Number),
  datacenter: optNull(RefOrId),
  built_in: opt(Schema.Boolean)
})

/** A row of `GET clusters/`. */
export interface ClusterRow extends Schema.Schema.Type<typeof ClusterRow> {}

/** `GET clusters/{id}/`. */
export const Cluster = detailOf(ClusterRow.fields, {
  nodes: opt(Schema.Array(EntityRef)),
  quorum: opt(Schema.Boolean),
  ha_enabled: opt(Schema.Boolean),
  drs_enabled: opt(Schema.Boolean),
  vdi: opt(Schema.Boolean)
})

/** `GET clusters/{id}/`. */
export interface Cluster extends Schema.Schema.Type<typeof Cluster> {}

/** A row of `GET nodes/`. */
export const NodeRow = Schema.Struct({
  ...entityFields,
  cpu_count: opt(Schema.Number),
  memory_count: opt(Schema.Number),
  management_ip: optNull(Schema.String),
  domains_count: opt(Schema.Number),
  domains_on_count: opt(Schema.Number),
  cluster: optNull(RefOrId),
  built_in: opt(Schema.Boolean),
  datacenter_name: optNull(Schema.String),
  datacenter_id: optNull(Schema.String),
  resource_pools: opt(Schema.Array(EntityRef))
})

/** A row of `GET nodes/`. */
export interface NodeRow extends Schema.Schema.Type<typeof NodeRow> {}

/** `GET nodes/{id}/`. */
export const Node = detailOf(NodeRow.fields, {
  version: optNull(Schema.String),
  cluster_name: optNull(Schema.String),
  ipmi_ip: optNull(Schema.String),
  ipmi_username: optNull(Schema.String),
  ballooning: opt(Schema.Boolean),
  cpu_topology: opt(Schema.Unknown),
  uptime: opt(Schema.Unknown),
  drs_settings: opt(Schema.Unknown)
})

/** `GET nodes/{id}/`. */
export interface Node extends Schema.Schema.Type<typeof Node> {}

/** A node a data pool is connected to. */
export const ConnectedNode = Schema.Struct({
  id: Schema.String,
  verbose_name: optNull(Schema.String),
  connection_status: opt(Schema.String)
})

/** A node a data pool is connected to. */
export interface ConnectedNode extends Schema.Schema.Type<typeof ConnectedNode> {}

/** A row of `GET data-pools/`. */
export const DataPoolRow = Schema.Struct({
  ...entityFields,
  type: opt(Schema.String),
  free_space: opt(Schema.Number),
  size: opt(Schema.Number),
  used_space: opt(Schema.Number),
  built_in: opt(Schema.Boolean),
  shared_storage: optNull(RefOrId),
  cluster_storage: optNull(RefOrId),
  zfs_pool: optNull(RefOrId),
  nodes_connected: opt(Schema.Array(ConnectedNode)),
  iso_count: opt(Schema.Number),
  file_count: opt(Schema.Number),
  vdisk_count: opt(Schema.Number),
  resource_pools: opt(Schema.Array(EntityRef))
})

/** A row of `GET data-pools/`. */
export interface DataPoolRow extends Schema.Schema.Type<typeof DataPoolRow> {}

/** `GET data-pools/{id}/`. */
export const DataPool = detailOf(DataPoolRow.fields, {
  options: opt(Schema.Unknown),
  path: optNull(Schema.String),
  lun: opt(Schema.Unknown)
})

/** `GET data-pools/{id}/`. */
export interface DataPool extends Schema.Schema.Type<typeof DataPool> {}

/** A row of `GET resource-pools/`. */
export const ResourcePoolRow = Schema.Struct({
  ...entityFields,
  domains_count: opt(Schema.Number),
  cpu_limit: opt(Schema.Number),
  memory_limit: opt(Schema.Number),
  organization: opt(Schema.Unknown)
})

/** A row of `GET resource-pools/`. */
export interface ResourcePoolRow extends Schema.Schema.Type<typeof ResourcePoolRow> {}

/** `GET resource-pools/{id}/`. */
export const ResourcePool = detailOf(ResourcePoolRow.fields, {
  cluster: optNull(RefOrId),
  cpu_shares: opt(Schema.Number),
  memory_shares: opt(Schema.Number),
  cpu_min_guarantee: opt(Schema.Number),
  memory_min_guarantee: opt(Schema.Number),
  size_limit: opt(Schema.Number),
  nodes_cpu_count: opt(Schema.Number),
  nodes_memory_count: opt(Schema.Number),
  domains_cpu_count: opt(Schema.Number),
  domains_memory_count: opt(Schema.Number)
})

/** `GET resource-pools/{id}/`. */
export interface ResourcePool extends Schema.Schema.Type<typeof ResourcePool> {}

/** A row of `GET vdisks/`. */
export const VDiskRow = Schema.Struct({
  ...entityFields,
  size: opt(Schema.Number),
  datapool: optNull(RefOrId),
  domain: optNull(RefOrId),
  shareable: opt(Schema.Boolean)
})

/** A row of `GET vdisks/`. */
export interface VDiskRow extends Schema.Schema.Type<typeof VDiskRow> {}

/** `GET vdisks/{id}/`. */
export const VDisk = detailOf(VDiskRow.fields, {})

/** `GET vdisks/{id}/`. */
export interface VDisk extends Schema.Schema.Type<typeof VDisk> {}

/** A row of `GET controllers/` and `GET controllers/{id}/`. */
export const Controller = Schema.Struct({
  ...entityFields,
  ...detailFields,
  version: optNull(Schema.String),
  address: optNull(Schema.String)
})

/** A row of `GET controllers/` and `GET controllers/{id}/`. */
export interface Controller extends Schema.Schema.Type<typeof Controller> {}

/** `GET controllers/base-version/`. */
export class BaseVersion extends Schema.Class<BaseVersion>("BaseVersion")({
  version: Schema.String
}) {
  /** `[major, minor, patch]` of the version (non-numeric parts read as 0). */
  get parts(): readonly [number, number, number] {
    const [major = 0, minor = 0, patch = 0] = this.version.split(".").map((p) => Number.parseInt(p, 10) || 0)
    return [major, minor, patch]
  }
  /** Whether the controller is at least `major.minor`. */
  atLeast(major: number, minor = 0): boolean {
    const [a, b] = this.parts
    return a > major || (a === major && b >= minor)
  }
}
