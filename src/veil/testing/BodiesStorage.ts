/**
 * Bodies of data pools and resource pools (shaped like `data-pool-*.json` and `resource-pool-*.json`), vdisks and
 * library files (field names of the vendor clients; no fixture exists for them).
 *
 * @since 0.1.0
 */
import { allowAll, datapoolRef, nameRef, type RenderContext, simplePermissions, sum, tagsOf } from "./BodiesCommon.js"
import type { JsonObject } from "../../core/testing/Json.js"
import {
  findById,
  type DatapoolRecord,
  type LibraryRecord,
  type ResourcePoolRecord,
  type SimState,
  type VdiskRecord
} from "./State.js"

const datapoolPermissions: JsonObject = {
  update: true,
  remove: false,
  unregister: true,
  clear: true,
  discover_iso: true,
  discover_vdisks: true,
  discover_files: true
}

const resourcePoolPermissions = allowAll([
  "add_datapools", "apply", "attach", "check_verbose_name", "create", "detach", "detail_size", "list", "modify",
  "optimal_node", "remove", "remove_datapools", "retrieve", "transfer_domains", "update", "update_actual_size"
])

// data pools

const nodesConnected = (state: SimState, pool: DatapoolRecord): ReadonlyArray<JsonObject> =>
  pool.nodeIds.flatMap((id) => {
    const node = findById(state.nodes, id)
    return node === undefined
      ? []
      : [{ id: node.id, verbose_name: node.verbose_name, connection_status: node.status === "ACTIVE" ? "SUCCESS" : "FAILED" }]
  })

const usedSpace = (state: SimState, pool: DatapoolRecord): number =>
  pool.used_space + Math.round(sum(state.vdisks.filter((v) => v.datapoolId === pool.id).map((v) => v.size)) * 1024)

/** What the detail bodies of both kinds of pools hold. */
const poolDetailFields = (state: SimState, pool: DatapoolRecord | ResourcePoolRecord, entityType: string): JsonObject => ({
  id: pool.id,
  verbose_name: pool.verbose_name,
  description: pool.description,
  locked_by: null,
  built_in: pool.built_in,
  entity_type: entityType,
  created: pool.created,
  modified: pool.modified,
  hints: 0,
  tags: tagsOf(state, pool.id)
})

/** A data pool's space: its size, what is used (the pool's own use and its vdisks'), what is left. */
const spaceOf = (state: SimState, pool: DatapoolRecord): JsonObject => {
  const used = usedSpace(state, pool)
  return { free_space: pool.size - used, size: pool.size, used_space: used }
}

/** What both the list row and the detail body of a data pool hold. */
const datapoolFields = (state: SimState, pool: DatapoolRecord): JsonObject => ({
  id: pool.id,
  status: pool.status,
  verbose_name: pool.verbose_name,
  built_in: pool.built_in,
  type: pool.type,
  ...spaceOf(state, pool),
  cluster_storage: null,
  nodes_connected: nodesConnected(state, pool),
  zfs_pool: null,
  hints: 0,
  tags: tagsOf(state, pool.id)
})

/**
 * Data pool list row.
 *
 * @since 0.1.0
 */
export const datapoolRow = ({ state }: RenderContext, pool: DatapoolRecord): JsonObject => ({
  ...datapoolFields(state, pool),
  shared_storage: pool.type === "nfs" ? { id: pool.id, verbose_name: `${pool.verbose_name}_share` } : null,
  iso_count: 0,
  file_count: state.library.filter((f) => f.datapoolId === pool.id).length,
  vdisk_count: state.vdisks.filter((v) => v.datapoolId === pool.id).length,
  resource_pools: state.resourcePools
    .filter((rp) => rp.clusterId === pool.clusterId)
    .map((rp) => ({ id: rp.id, verbose_name: rp.verbose_name }))
})

/**
 * Data pool detail.
 *
 * @since 0.1.0
 */
export const datapoolDetail = ({ state }: RenderContext, pool: DatapoolRecord): JsonObject => ({
  ...datapoolFields(state, pool),
  ...poolDetailFields(state, pool, "datapool"),
  options: { path: pool.path },
  path: pool.path,
  shared_storage: null,
  permissions: datapoolPermissions,
  lun: null
})

// resource pools

/**
 * Resource pool list row.
 *
 * @since 0.1.0
 */
export const resourcePoolRow = (ctx: RenderContext, pool: ResourcePoolRecord): JsonObject => ({
  id: pool.id,
  verbose_name: pool.verbose_name,
  hints: 0,
  tags: tagsOf(ctx.state, pool.id),
  organization: null,
  domains_count: ctx.state.domains.filter((d) => d.resourcePoolId === pool.id).length,
  cpu_limit: 0,
  memory_limit: 0
})

/**
 * Resource pool detail.
 *
 * @since 0.1.0
 */
export const resourcePoolDetail = (ctx: RenderContext, pool: ResourcePoolRecord): JsonObject => {
  const { state } = ctx
  const nodes = state.nodes.filter((n) => n.clusterId === pool.clusterId)
  const domains = state.domains.filter((d) => d.resourcePoolId === pool.id)
  return {
    ...poolDetailFields(state, pool, "resourcepool"),
    cluster: nameRef(findById(state.clusters, pool.clusterId)),
    cpu_shares: 1024,
    memory_shares: 1024,
    cpu_min_guarantee: 0,
    memory_min_guarantee: 0,
    cpu_limit: 0,
    memory_limit: 0,
    cpu_shares_actual: 1024,
    memory_shares_actual: 1024,
    nodes_cpu_count: sum(nodes.map((n) => n.cpu_count)),
    nodes_memory_count: sum(nodes.map((n) => n.memory_count)),
    domains_cpu_count: sum(domains.map((d) => d.cpu_count)),
    domains_memory_count: sum(domains.map((d) => d.memory_count)),
    domains_cpu_free: 0,
    domains_memory_free: 0,
    cpu_min_guarantee_per_domain: 0,
    memory_min_guarantee_per_domain: 0,
    cpu_min_guarantee_per_domain_actual: 0,
    memory_min_guarantee_per_domain_actual: 0,
    size_limit: 0,
    permissions: resourcePoolPermissions
  }
}

// vdisks

/**
 * Vdisk list row.
 *
 * @since 0.1.0
 */
export const vdiskRow = (ctx: RenderContext, vdisk: VdiskRecord): JsonObject => ({
  id: vdisk.id,
  verbose_name: vdisk.verbose_name,
  status: vdisk.status,
  size: vdisk.size,
  virtual_size: vdisk.size,
  datapool: datapoolRef(ctx.state, vdisk.datapoolId),
  domain: vdisk.domainId === null ? null : nameRef(findById(ctx.state.domains, vdisk.domainId)),
  shareable: vdisk.shareable,
  hints: 0,
  tags: tagsOf(ctx.state, vdisk.id)
})

/**
 * Vdisk detail.
 *
 * @since 0.1.0
 */
export const vdiskDetail = (ctx: RenderContext, vdisk: VdiskRecord): JsonObject => ({
  ...vdiskRow(ctx, vdisk),
  description: vdisk.description,
  locked_by: null,
  entity_type: "vdisk",
  created: vdisk.created,
  modified: vdisk.modified,
  readonly: false,
  disk_type: "qcow2",
  target_bus: "virtio",
  driver_cache: "none",
  ssd: false,
  snapshots: [],
  permissions: simplePermissions
})

// library

/**
 * Library file list row.
 *
 * @since 0.1.0
 */
export const libraryRow = (ctx: RenderContext, file: LibraryRecord): JsonObject => ({
  id: file.id,
  filename: file.filename,
  status: file.status,
  datapool: datapoolRef(ctx.state, file.datapoolId),
  domain: file.domainId === null
    ? null
    : nameRef(findById(ctx.state.domains, file.domainId) ?? file.snapshot ?? undefined),
  size: file.size,
  created: file.created,
  path: `${findById(ctx.state.datapools, file.datapoolId)?.path ?? ""}/${file.filename}`,
  assignment_type: file.assignment_type,
  invalid_hash: false,
  can_be_incremental: file.can_be_incremental,
  additional_flags: { can_be_domained: true, can_be_unpacked: false }
})

/**
 * Library file detail.
 *
 * @since 0.1.0
 */
export const libraryDetail = (ctx: RenderContext, file: LibraryRecord): JsonObject => ({
  ...libraryRow(ctx, file),
  locked_by: null,
  modified: file.modified,
  entity_type: "file",
  description: file.description,
  integrity_hash: "",
  compressed: true,
  permissions: simplePermissions
})
