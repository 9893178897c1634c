/**
 * Schemas of the infrastructure entities: clusters, nodes, data pools, resource pools, virtual disks, controllers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { detailFields, Entity, EntityRef, RefOrId } from "./Entity.js"

/** A row of `GET clusters/`. */
export class ClusterRow extends Entity.extend<ClusterRow>("ClusterRow")({
  cpu_count: Schema.optional(Schema.Number),
  memory_count: Schema.optional(Schema.Number),
  nodes_count: Schema.optional(Schema.Number),
  datacenter: Schema.optional(Schema.NullOr(RefOrId)),
  built_in: Schema.optional(Schema.Boolean)
}) {}

/** `GET clusters/{id}/`. */
export class Cluster extends ClusterRow.extend<Cluster>("Cluster")({
  ...detailFields,
  nodes: Schema.optional(Schema.Array(EntityRef)),
  quorum: Schema.optional(Schema.Boolean),
  ha_enabled: Schema.optional(Schema.Boolean),
  drs_enabled: Schema.optional(Schema.Boolean),
  vdi: Schema.optional(Schema.Boolean)
}) {}

/** A row of `GET nodes/`. */
export class NodeRow extends Entity.extend<NodeRow>("NodeRow")({
  cpu_count: Schema.optional(Schema.Number),
  memory_count: Schema.optional(Schema.Number),
  management_ip: Schema.optional(Schema.NullOr(Schema.String)),
  domains_count: Schema.optional(Schema.Number),
  domains_on_count: Schema.optional(Schema.Number),
  cluster: Schema.optional(Schema.NullOr(RefOrId)),
  built_in: Schema.optional(Schema.Boolean),
  datacenter_name: Schema.optional(Schema.NullOr(Schema.String)),
  datacenter_id: Schema.optional(Schema.NullOr(Schema.String)),
  resource_pools: Schema.optional(Schema.Array(EntityRef))
}) {}

/** `GET nodes/{id}/`. */
export class Node extends NodeRow.extend<Node>("Node")({
  ...detailFields,
  version: Schema.optional(Schema.NullOr(Schema.String)),
  cluster_name: Schema.optional(Schema.NullOr(Schema.String)),
  ipmi_ip: Schema.optional(Schema.NullOr(Schema.String)),
  ipmi_username: Schema.optional(Schema.NullOr(Schema.String)),
  ballooning: Schema.optional(Schema.Boolean),
  cpu_topology: Schema.optional(Schema.Unknown),
  uptime: Schema.optional(Schema.Unknown),
  drs_settings: Schema.optional(Schema.Unknown)
}) {}

/** A node a data pool is connected to. */
export class ConnectedNode extends Schema.Class<ConnectedNode>("ConnectedNode")({
  id: Schema.String,
  verbose_name: Schema.optional(Schema.NullOr(Schema.String)),
  connection_status: Schema.optional(Schema.String)
}) {}

/** A row of `GET data-pools/`. */
export class DataPoolRow extends Entity.extend<DataPoolRow>("DataPoolRow")({
  type: Schema.optional(Schema.String),
  free_space: Schema.optional(Schema.Number),
  size: Schema.optional(Schema.Number),
  used_space: Schema.optional(Schema.Number),
  built_in: Schema.optional(Schema.Boolean),
  shared_storage: Schema.optional(Schema.NullOr(RefOrId)),
  cluster_storage: Schema.optional(Schema.NullOr(RefOrId)),
  zfs_pool: Schema.optional(Schema.NullOr(RefOrId)),
  nodes_connected: Schema.optional(Schema.Array(ConnectedNode)),
  iso_count: Schema.optional(Schema.Number),
  file_count: Schema.optional(Schema.Number),
  vdisk_count: Schema.optional(Schema.Number),
  resource_pools: Schema.optional(Schema.Array(EntityRef))
}) {}

/** `GET data-pools/{id}/`. */
export class DataPool extends DataPoolRow.extend<DataPool>("DataPool")({
  ...detailFields,
  options: Schema.optional(Schema.Unknown),
  path: Schema.optional(Schema.NullOr(Schema.String)),
  lun: Schema.optional(Schema.Unknown)
}) {}

/** A row of `GET resource-pools/`. */
export class ResourcePoolRow extends Entity.extend<ResourcePoolRow>("ResourcePoolRow")({
  domains_count: Schema.optional(Schema.Number),
  cpu_limit: Schema.optional(Schema.Number),
  memory_limit: Schema.optional(Schema.Number),
  organization: Schema.optional(Schema.Unknown)
}) {}

/** `GET resource-pools/{id}/`. */
export class ResourcePool extends ResourcePoolRow.extend<ResourcePool>("ResourcePool")({
  ...detailFields,
  cluster: Schema.optional(Schema.NullOr(RefOrId)),
  cpu_shares: Schema.optional(Schema.Number),
  memory_shares: Schema.optional(Schema.Number),
  cpu_min_guarantee: Schema.optional(Schema.Number),
  memory_min_guarantee: Schema.optional(Schema.Number),
  size_limit: Schema.optional(Schema.Number),
  nodes_cpu_count: Schema.optional(Schema.Number),
  nodes_memory_count: Schema.optional(Schema.Number),
  domains_cpu_count: Schema.optional(Schema.Number),
  domains_memory_count: Schema.optional(Schema.Number)
}) {}

/** A row of `GET vdisks/`. */
export class VDiskRow extends Entity.extend<VDiskRow>("VDiskRow")({
  size: Schema.optional(Schema.Number),
  datapool: Schema.optional(Schema.NullOr(RefOrId)),
  domain: Schema.optional(Schema.NullOr(RefOrId)),
  shareable: Schema.optional(Schema.Boolean)
}) {}

/** `GET vdisks/{id}/`. */
export class VDisk extends VDiskRow.extend<VDisk>("VDisk")({
  ...detailFields
}) {}

/** A row of `GET controllers/` and `GET controllers/{id}/`. */
export class Controller extends Entity.extend<Controller>("Controller")({
  ...detailFields,
  version: Schema.optional(Schema.NullOr(Schema.String)),
  address: Schema.optional(Schema.NullOr(Schema.String))
}) {}

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
