/**
 * Read-only inventory routes: clusters, controllers, data pools, nodes, resource pools (both spellings), vdisks,
 * events and library files, plus the usage and controller endpoints.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import {
  clusterDetail,
  clusterRow,
  clusterUsage,
  controllerDetail,
  controllerRow,
  nodeDetail,
  nodeRow,
  nodeUsage
} from "./BodiesHosts.js"
import { eventRow } from "./BodiesRecords.js"
import {
  datapoolDetail,
  datapoolRow,
  libraryDetail,
  libraryRow,
  resourcePoolDetail,
  resourcePoolRow,
  vdiskDetail,
  vdiskRow
} from "./BodiesStorage.js"
import { json } from "../../core/testing/Http.js"
import { route, type SimEnv } from "./Http.js"
import { itemHandler, listHandler, type Listing } from "./Listing.js"
import {
  findById,
  isoAt,
  type ClusterRecord,
  type ControllerRecord,
  type DatapoolRecord,
  type EventRecord,
  type LibraryRecord,
  type NodeRecord,
  type ResourcePoolRecord,
  type SimState,
  type VdiskRecord
} from "./State.js"

const clusterOfResourcePool = (state: SimState, id: string): string | undefined =>
  findById(state.resourcePools, id)?.clusterId

const clusters: Listing<ClusterRecord> = {
  items: (s) => s.clusters,
  filters: {},
  name: (c) => c.verbose_name,
  row: clusterRow,
  detail: clusterDetail
}

const controllers: Listing<ControllerRecord> = {
  items: (s) => s.controllers,
  filters: {},
  name: (c) => c.verbose_name,
  row: controllerRow,
  detail: controllerDetail
}

const datapools: Listing<DatapoolRecord> = {
  items: (s) => s.datapools,
  filters: {
    node: { uuid: true, test: (p, v) => p.nodeIds.includes(v) },
    cluster: { uuid: true, test: (p, v) => p.clusterId === v },
    resource_pool: { uuid: true, test: (p, v, s) => clusterOfResourcePool(s, v) === p.clusterId }
  },
  name: (p) => p.verbose_name,
  row: datapoolRow,
  detail: datapoolDetail
}

const nodes: Listing<NodeRecord> = {
  items: (s) => s.nodes,
  filters: {
    cluster: { uuid: true, test: (n, v) => n.clusterId === v },
    resource_pool: { uuid: true, test: (n, v, s) => clusterOfResourcePool(s, v) === n.clusterId }
  },
  name: (n) => n.verbose_name,
  row: nodeRow,
  detail: nodeDetail
}

const resourcePools: Listing<ResourcePoolRecord> = {
  items: (s) => s.resourcePools,
  filters: {
    node: { uuid: true, test: (rp, v, s) => findById(s.nodes, v)?.clusterId === rp.clusterId },
    cluster: { uuid: true, test: (rp, v) => rp.clusterId === v }
  },
  name: (rp) => rp.verbose_name,
  row: resourcePoolRow,
  detail: resourcePoolDetail
}

const vdisks: Listing<VdiskRecord> = {
  items: (s) => s.vdisks,
  filters: {
    datapool: { uuid: true, test: (v, value) => v.datapoolId === value },
    domain: { uuid: true, test: (v, value) => v.domainId === value }
  },
  name: (v) => v.verbose_name,
  row: vdiskRow,
  detail: vdiskDetail
}

const events: Listing<EventRecord> = {
  items: (s) => s.events,
  filters: {
    user: { test: (e, v) => e.user === v },
    type: { test: (e, v) => e.type === v },
    task: { uuid: true, test: (e, v) => e.taskId === v }
  },
  name: (e) => e.message,
  row: eventRow,
  detail: eventRow
}

const library: Listing<LibraryRecord> = {
  items: (s) => s.library,
  filters: {
    domain: { uuid: true, test: (f, v) => f.domainId === v },
    datapool: { uuid: true, test: (f, v) => f.datapoolId === v }
  },
  name: (f) => f.filename,
  row: libraryRow,
  detail: libraryDetail
}

/**
 * The inventory routes.
 *
 * @since 0.1.0
 */
export const inventoryRoutes = (env: SimEnv) => [
  route(env, "GET", "/api/clusters/", listHandler(env, clusters)),
  route(env, "GET", "/api/clusters/:id/", itemHandler(env, "Cluster", (s) => s.clusters, clusterDetail)),
  route(env, "GET", "/api/clusters/:id/usage/", itemHandler(env, "Cluster", (s) => s.clusters, clusterUsage)),
  route(env, "GET", "/api/controllers/", listHandler(env, controllers)),
  route(env, "GET", "/api/controllers/check/", () => Effect.succeed(json({}))),
  route(env, "GET", "/api/controllers/base-version/", () => Effect.succeed(json({ version: "4.6.0" }))),
  route(env, "GET", "/api/controllers/system-time/", (req) =>
    Effect.succeed(json({ system_time: isoAt(req.now), timezone: "UTC", ntp_enabled: false }))),
  route(env, "GET", "/api/controllers/:id/", itemHandler(env, "Controller", (s) => s.controllers, controllerDetail)),
  route(env, "GET", "/api/data-pools/", listHandler(env, datapools)),
  route(env, "GET", "/api/data-pools/:id/", itemHandler(env, "Data pool", (s) => s.datapools, datapoolDetail)),
  route(env, "GET", "/api/nodes/", listHandler(env, nodes)),
  route(env, "GET", "/api/nodes/:id/", itemHandler(env, "Node", (s) => s.nodes, nodeDetail)),
  route(env, "GET", "/api/nodes/:id/usage/", itemHandler(env, "Node", (s) => s.nodes, nodeUsage)),
  route(env, "GET", "/api/resource-pools/", listHandler(env, resourcePools)),
  route(
    env,
    "GET",
    "/api/resource-pools/:id/",
    itemHandler(env, "Resource pool", (s) => s.resourcePools, resourcePoolDetail)
  ),
  route(env, "GET", "/api/resource_pools/", listHandler(env, resourcePools)),
  route(
    env,
    "GET",
    "/api/resource_pools/:id/",
    itemHandler(env, "Resource pool", (s) => s.resourcePools, resourcePoolDetail)
  ),
  route(env, "GET", "/api/vdisks/", listHandler(env, vdisks)),
  route(env, "GET", "/api/vdisks/:id/", itemHandler(env, "Vdisk", (s) => s.vdisks, vdiskDetail)),
  route(env, "GET", "/api/events/", listHandler(env, events)),
  route(env, "GET", "/api/events/:id/", itemHandler(env, "Event", (s) => s.events, eventRow)),
  route(env, "GET", "/api/library/", listHandler(env, library)),
  route(env, "GET", "/api/library/:id/", itemHandler(env, "File", (s) => s.library, libraryDetail))
]
