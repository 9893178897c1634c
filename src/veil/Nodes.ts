/**
 * Nodes (hypervisor servers): listing, detail, usage, USB devices.
 *
 * @since 0.1.0
 */
import { Effect, Schema, type Scope } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Collection from "./Collection.js"
import { Node, NodeRow } from "./Infrastructure.js"
import * as Rest from "./Rest.js"

const nodeFilters = { cluster: "cluster", resourcePool: "resource_pool" } as const

/** Node operations. */
export interface Nodes extends Collection.Collection<NodeRow, Node, Collection.Filters<typeof nodeFilters>> {
  /** Resource usage of a node. */
  readonly usage: (id: string) => Effect.Effect<unknown, ApiError>
  /** USB devices plugged into a node. */
  readonly usbDevices: (id: string) => Effect.Effect<unknown, ApiError>
}

/** Builds the node operations of a session. */
export const make = (veil: Rest.VeilRest): Effect.Effect<Nodes, never, Scope.Scope> =>
  Effect.map(
    Collection.make(veil, { prefix: "nodes/", entityClass: "node", row: NodeRow, detail: Node, filters: nodeFilters }),
    (collection) => ({
      ...collection,
      usage: (id) => veil.rest.json({ method: "GET", path: Rest.path("nodes/{id}/usage/", { id }), cache: false }, Schema.Unknown),
      usbDevices: (id) =>
        veil.rest.json({ method: "GET", path: Rest.path("nodes/{id}/usb-devices/", { id }), cache: false }, Schema.Unknown)
    })
  )
