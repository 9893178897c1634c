/**
 * Bodies of clusters, nodes and controllers, shaped like `cluster-*.json` and `node-*.json` (controllers follow the
 * vendor clients' field names), and the usage endpoints.
 *
 * @since 0.1.0
 */
import { allowAll, nameRef, type RenderContext, simplePermissions, sum, tagsOf } from "./BodiesCommon.js"
import type { JsonObject } from "../../core/testing/Json.js"
import { findById, isoAt, type ClusterRecord, type ControllerRecord, type NodeRecord, type SimState } from "./State.js"

const clusterPermissions = allowAll([
  "drs", "ha", "remove", "update", "vdi", "save_fence_settings", "tag", "shutdown_domains", "set_status", "quorum"
])

const nodePermissions = allowAll([
  "update", "remove", "fence", "lsblk", "discovery", "discovery_datapool", "discovery_shared_storage",
  "discovery_cluster_storage", "discovery_zfs_pool", "update_hw_info", "save_ipmi_credentials", "restart_minion",
  "ipmi_command", "set_status", "swappiness", "iommu", "autotest", "initiator_name", "save_drs_settings",
  "save_fence_settings", "transfer", "ksm", "delete_unknown_domain", "migrate_domains", "shutdown_domains",
  "start_domains", "ballooning", "create_mdev", "remove_mdev", "profile", "ssh_handler", "service_action", "backup_os"
])

// clusters

const clusterNodes = (state: SimState, cluster: ClusterRecord): ReadonlyArray<NodeRecord> =>
  state.nodes.filter((n) => n.clusterId === cluster.id)

/**
 * Cluster list row.
 *
 * @since 0.1.0
 */
export const clusterRow = (ctx: RenderContext, cluster: ClusterRecord): JsonObject => {
  const nodes = clusterNodes(ctx.state, cluster)
  return {
    cpu_count: sum(nodes.map((n) => n.cpu_count)),
    id: cluster.id,
    memory_count: sum(nodes.map((n) => n.memory_count)),
    verbose_name: cluster.verbose_name,
    nodes_count: nodes.length,
    status: cluster.status,
    datacenter: nameRef(ctx.state.datacenter),
    built_in: false,
    hints: 0,
    tags: tagsOf(ctx.state, cluster.id)
  }
}

/**
 * Cluster detail.
 *
 * @since 0.1.0
 */
export const clusterDetail = (ctx: RenderContext, cluster: ClusterRecord): JsonObject => {
  const nodes = clusterNodes(ctx.state, cluster)
  return {
    cpu_count: sum(nodes.map((n) => n.cpu_count)),
    created: cluster.created,
    datacenter: nameRef(ctx.state.datacenter),
    description: cluster.description,
    id: cluster.id,
    locked_by: null,
    memory_count: sum(nodes.map((n) => n.memory_count)),
    modified: cluster.modified,
    nodes: nodes.map((n) => ({ id: n.id, verbose_name: n.verbose_name })),
    fencing_type: "",
    heartbeat_type: "",
    permissions: clusterPermissions,
    status: cluster.status,
    verbose_name: cluster.verbose_name,
    built_in: false,
    hints: 0,
    tags: tagsOf(ctx.state, cluster.id),
    entity_type: "cluster",
    quorum: false,
    ha_autoselect: false,
    ha_enabled: false,
    ha_nodepolicy: [],
    ha_retrycount: 5,
    ha_timeout: 60,
    drs_check_timeout: 180,
    drs_enabled: false,
    drs_metrics_strategy: "MEMORY",
    drs_mode: "SOFT",
    drs_node_settings: { cpu_hh_level: 85, cpu_hi_level: 80, mem_hh_level: 85, mem_hi_level: 80 },
    drs_strategy: "AVERAGE",
    drs_deviation_limit: 2.0,
    tag_enabled: false,
    anti_affinity_enabled: false,
    vdi: false
  }
}

const usage = (ctx: RenderContext, nodeIds: ReadonlyArray<string>, cpu: number, memory: number): JsonObject => {
  const running = ctx.state.domains.filter((d) => nodeIds.includes(d.nodeId) && d.user_power_state === 3)
  const cpuUsed = sum(running.map((d) => d.cpu_count))
  const memUsed = sum(running.map((d) => d.memory_count))
  const percent = (used: number, total: number): number => (total === 0 ? 0 : Math.round((used / total) * 10000) / 100)
  return {
    cpu_count: cpu,
    memory_count: memory,
    domains_count: ctx.state.domains.filter((d) => nodeIds.includes(d.nodeId)).length,
    domains_on_count: running.length,
    cpu_used: cpuUsed,
    mem_used: memUsed,
    cpu_used_percent_user: percent(cpuUsed, cpu),
    mem_used_percent_user: percent(memUsed, memory),
    created: isoAt(ctx.now)
  }
}

/**
 * `GET clusters/{id}/usage/` (shape not documented by any source: resource totals and usage of running domains).
 *
 * @since 0.1.0
 */
export const clusterUsage = (ctx: RenderContext, cluster: ClusterRecord): JsonObject => {
  const nodes = clusterNodes(ctx.state, cluster)
  return usage(ctx, nodes.map((n) => n.id), sum(nodes.map((n) => n.cpu_count)), sum(nodes.map((n) => n.memory_count)))
}

/**
 * `GET nodes/{id}/usage/` (same shape as the cluster usage).
 *
 * @since 0.1.0
 */
export const nodeUsage = (ctx: RenderContext, node: NodeRecord): JsonObject =>
  usage(ctx, [node.id], node.cpu_count, node.memory_count)

// nodes

const nodeResourcePools = (state: SimState, node: NodeRecord): ReadonlyArray<JsonObject> =>
  state.resourcePools
    .filter((rp) => rp.clusterId === node.clusterId)
    .map((rp) => ({ id: rp.id, verbose_name: rp.verbose_name }))

/**
 * Node list row.
 *
 * @since 0.1.0
 */
export const nodeRow = (ctx: RenderContext, node: NodeRecord): JsonObject => {
  const { state } = ctx
  const domains = state.domains.filter((d) => d.nodeId === node.id)
  return {
    cpu_count: node.cpu_count,
    id: node.id,
    memory_count: node.memory_count,
    verbose_name: node.verbose_name,
    status: node.status,
    management_ip: node.management_ip,
    domains_count: domains.length,
    domains_on_count: domains.filter((d) => d.user_power_state === 3).length,
    cluster: nameRef(findById(state.clusters, node.clusterId)),
    built_in: false,
    tags: tagsOf(state, node.id),
    hints: node.hints,
    datacenter_name: state.datacenter.verbose_name,
    datacenter_id: state.datacenter.id,
    resource_pools: nodeResourcePools(state, node)
  }
}

const cpuNumaNode = (cpus: ReadonlyArray<number>, free: number, size: number, distances: string): JsonObject => ({
  cpus,
  free: String(free),
  size: String(size),
  distances
})

const processor: JsonObject = {
  id: "F2 06 03 00 FF FB EB BF",
  family: "Xeon",
  status: ["Populated", "Enabled"],
  version: "Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz",
  max_speed: "4000 MHz",
  manufacturer: "Intel",
  thread_count: 12
}

/**
 * Node detail.
 *
 * @since 0.1.0
 */
export const nodeDetail = (ctx: RenderContext, node: NodeRecord): JsonObject => {
  const { state, now } = ctx
  const cluster = findById(state.clusters, node.clusterId)
  return {
    id: node.id,
    verbose_name: node.verbose_name,
    description: node.description,
    locked_by: null,
    permissions: nodePermissions,
    status: node.status,
    created: node.created,
    modified: node.modified,
    management_ip: node.management_ip,
    built_in: false,
    memory_count: node.memory_count,
    cpu_topology: {
      cpu_map: {
        "0": cpuNumaNode([0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17], 13182, 15916, "10,21"),
        "1": cpuNumaNode([6, 7, 8, 9, 10, 11, 18, 19, 20, 21, 22, 23], 10920, 16105, "21,10"),
        all: {}
      },
      cpu_type: "Intel",
      cpu_cores: 6,
      cpu_count: node.cpu_count,
      cpu_model: "Haswell-noTSX",
      proc_info: [processor, processor],
      cpu_mhz_all: 96000,
      cpu_sockets: 2,
      cpu_threads: 2,
      cpu_features: ["aes", "avx", "avx2", "lm", "nx", "sse4.2", "vmx", "x2apic"],
      cpu_numa_nodes: 2,
      cpu_architecture: "x86_64"
    },
    domains_cpu_map: {},
    ipmi_ip: node.ipmi_ip,
    ipmi_username: "admin",
    fencing_type: "VIRTUAL",
    heartbeat_type: "KERNEL",
    node_plus_controller_installation: false,
    uptime: {
      uptime: 175914 + Math.floor(now / 1000),
      start_time: "2023-06-01T09:38:08.000000Z",
      system_time: isoAt(now),
      timezone: "Europe/Moscow"
    },
    drs_settings: {
      cpu_hh_level: 85,
      cpu_hi_level: 80,
      mem_hh_level: 85,
      mem_hi_level: 80,
      net_hh_level: 85,
      net_hi_level: 80,
      disk_hh_level: 85,
      disk_hi_level: 80
    },
    cluster: node.clusterId,
    cluster_name: cluster?.verbose_name ?? "",
    datacenter_name: state.datacenter.verbose_name,
    datacenter_id: state.datacenter.id,
    ksm_enable: 0,
    ksm_sleep_time: 20,
    ksm_pages_to_scan: 100,
    ksm_merge_across_nodes: 1,
    hints: node.hints,
    tags: tagsOf(state, node.id),
    version: node.version,
    ballooning: true,
    entity_type: "node"
  }
}

// controllers

/**
 * Controller list row.
 *
 * @since 0.1.0
 */
export const controllerRow = (_ctx: RenderContext, controller: ControllerRecord): JsonObject => ({
  id: controller.id,
  verbose_name: controller.verbose_name,
  description: controller.description,
  address: controller.address,
  version: controller.version,
  status: controller.status,
  hints: 0,
  tags: []
})

/**
 * Controller detail.
 *
 * @since 0.1.0
 */
export const controllerDetail = (ctx: RenderContext, controller: ControllerRecord): JsonObject => ({
  ...controllerRow(ctx, controller),
  locked_by: null,
  created: controller.created,
  modified: controller.modified,
  entity_type: "controller",
  permissions: simplePermissions
})
