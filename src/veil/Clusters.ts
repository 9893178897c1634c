/**
 * Clusters: listing, detail, usage.
 *
 * @since 0.1.0
 */
import { Effect, Schema, type Scope } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Collection from "./Collection.js"
import { Cluster, ClusterRow } from "./Infrastructure.js"
import * as Rest from "./Rest.js"

/** Cluster operations. */
export interface Clusters extends Collection.Collection<ClusterRow, Cluster, {}> {
  /** Resource usage of a cluster. */
  readonly usage: (id: string) => Effect.Effect<unknown, ApiError>
}

/** Builds the cluster operations of a session. */
export const make = (veil: Rest.VeilRest): Effect.Effect<Clusters, never, Scope.Scope> =>
  Effect.map(
    Collection.make(veil, { prefix: "clusters/", entityClass: "cluster", row: ClusterRow, detail: Cluster, filters: {} }),
    (collection) => ({
      ...collection,
      usage: (id) => veil.rest.json({ method: "GET", path: Rest.path("clusters/{id}/usage/", { id }), cache: false }, Schema.Unknown)
    })
  )
