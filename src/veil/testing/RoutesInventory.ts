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
import { byName, itemHandler, listHandler, type Listing } from "./Listing.js"
import { findById, isoAt, type EventRecord, type LibraryRecord, type SimState } from "./State.js"

const clusterOfResourcePool = (state: SimState, id: string): string | undefined =>
  findById(state.resourcePools, id)?.clusterId

const clusters = byName((s) => s.clusters, clusterRow, clusterDetail)

const controllers = byName((s) => s.controllers, controllerRow, controllerDetail)

const datapools = byName((s) => s.datapools, datapoolRow, datapoolDetail, {
  node: { uuid: true, test: (p, v) => p.nodeIds.includes(v) },
  cluster: { uuid: true, test: (p, v) => p.clusterId === v },
  resource_pool: { uuid: true, test: (p, v, s) => clusterOfResourcePool(s, v) === p.clusterId }
})

const nodes = byName((s) => s.nodes, nodeRow, nodeDetail, {
  cluster: { uuid: true, test: (n, v) => n.clusterId === v },
  resource_pool: { uuid: true, test: (n, v, s) => clusterOfResourcePool(s, v) === n.clusterId }
})

const resourcePools = byName((s) => s.resourcePools, resourcePoolRow, resourcePoolDetail, {
  node: { uuid: true, test: (rp, v, s) => findById(s.nodes, v)?.clusterId === rp.clusterId },
  cluster: { uuid: true, test: (rp, v) => rp.clusterId === v }
})

const vdisks = byName((s) => s.vdisks, vdiskRow, vdiskDetail, {
  datapool: { uuid: true, test: (v, value) => v.datapoolId === value },
  domain: { uuid: true, test: (v, value) => v.domainId === value }
})

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

/** `GET /api/<path>/` (the filtered listing) and `GET /api/<path>/:id/` (one detail body, or a 404 naming `what`). */
const collection = <A extends { readonly id: string }>(env: SimEnv, path: string, what: string, listing: Listing<A>) => [
  route(env, "GET", `/api/${path}/`, listHandler(env, listing)),
  route(env, "GET", `/api/${path}/:id/`, itemHandler(env, what, listing.items, listing.detail))
]

/**
 * The inventory routes.
 *
 * @since 0.1.0
 */
export const inventoryRoutes = (env: SimEnv) => [
  ...collection(env, "clusters", "Cluster", clusters),
  route(env, "GET", "/api/clusters/:id/usage/", itemHandler(env, "Cluster", clusters.items, clusterUsage)),
  route(env, "GET", "/api/controllers/check/", () => Effect.succeed(json({}))),
  route(env, "GET", "/api/controllers/base-version/", () => Effect.succeed(json({ version: "4.6.0" }))),
  route(env, "GET", "/api/controllers/system-time/", (req) =>
    Effect.succeed(json({ system_time: isoAt(req.now), timezone: "UTC", ntp_enabled: false }))),
  ...collection(env, "controllers", "Controller", controllers),
  ...collection(env, "data-pools", "Data pool", datapools),
  ...collection(env, "nodes", "Node", nodes),
  route(env, "GET", "/api/nodes/:id/usage/", itemHandler(env, "Node", nodes.items, nodeUsage)),
  ...collection(env, "resource-pools", "Resource pool", resourcePools),
  ...collection(env, "resource_pools", "Resource pool", resourcePools),
  ...collection(env, "vdisks", "Vdisk", vdisks),
  ...collection(env, "events", "Event", events),
  ...collection(env, "library", "File", library)
]
