/**
 * Storage and compute pools: data pools and resource pools.
 *
 * @since 0.1.0
 */
import type { Effect, Scope } from "effect"
import * as Collection from "./Collection.js"
import { DataPool, DataPoolRow, ResourcePool, ResourcePoolRow } from "./Infrastructure.js"
import type * as Rest from "./Rest.js"

const dataPoolFilters = { node: "node", cluster: "cluster", resourcePool: "resource_pool" } as const
const resourcePoolFilters = { node: "node", cluster: "cluster" } as const

/** Data pool operations. */
export type DataPools = Collection.Collection<DataPoolRow, DataPool, Collection.Filters<typeof dataPoolFilters>>

/** Resource pool operations. */
export type ResourcePools = Collection.Collection<
  ResourcePoolRow,
  ResourcePool,
  Collection.Filters<typeof resourcePoolFilters>
>

/** Builds the data pool operations of a session. */
export const makeDataPools = (veil: Rest.VeilRest): Effect.Effect<DataPools, never, Scope.Scope> =>
  Collection.make(veil, { prefix: "data-pools/", entityClass: "datapool", row: DataPoolRow, detail: DataPool, filters: dataPoolFilters })

/**
 * Builds the resource pool operations of a session. The prefix is `resource-pools/`, as the vendor's client calls
 * it (a mock of ECP spells it `resource_pools/`, most likely the mock's error).
 */
export const makeResourcePools = (veil: Rest.VeilRest): Effect.Effect<ResourcePools, never, Scope.Scope> =>
  Collection.make(veil, {
    prefix: "resource-pools/",
    entityClass: "resourcepool",
    row: ResourcePoolRow,
    detail: ResourcePool,
    filters: resourcePoolFilters
  })
