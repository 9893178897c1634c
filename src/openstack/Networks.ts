/**
 * Neutron networks and subnets: list (filters, marker paging), get by id or name, create and delete.
 *
 * Neutron has no idempotency key either: a create is sent once (never resent by the engine), and a delete of
 * something already gone counts as done.
 *
 * @since 0.1.0
 */
import { Effect, type Stream } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import type { Query, RestClient } from "../core/RestClient.js"
import type { ServiceAccess } from "./Client.js"
import type { EndpointNotFound } from "./Identity.js"
import { byIdOrName } from "./Lookup.js"
import { type Network, NetworkList, NetworkResponse, type Subnet, SubnetList, SubnetResponse } from "./Network.js"
import { nextMarker } from "./Paging.js"
import type { ServerError } from "./Servers.js"
import { api } from "./Keystone.js"

/** Filters and paging of `GET /v2.0/networks` (and subnets: `networkId`). */
export interface NetworkQuery {
  /** Exact name. */
  readonly name?: string | undefined
  readonly status?: string | undefined
  readonly shared?: boolean | undefined
  readonly projectId?: string | undefined
  readonly limit?: number | undefined
  readonly marker?: string | undefined
}

/** What `createNetwork` takes. */
export interface CreateNetwork {
  readonly name: string
  readonly adminStateUp?: boolean | undefined
  readonly shared?: boolean | undefined
  readonly description?: string | undefined
}

/** What `createSubnet` takes. */
export interface CreateSubnet {
  readonly networkId: string
  readonly cidr: string
  readonly ipVersion?: 4 | 6 | undefined
  readonly name?: string | undefined
  /** `null` for no gateway; absent lets Neutron pick the first address. */
  readonly gatewayIp?: string | null | undefined
  readonly enableDhcp?: boolean | undefined
}

/** Network and subnet operations. */
export interface Networks {
  readonly list: (query?: NetworkQuery) => Effect.Effect<Paging.Page<Network, string>, ServerError>
  readonly listAll: (query?: NetworkQuery) => Stream.Stream<Network, ServerError>
  /** A network by id or, failing that, by exact name. */
  readonly get: (idOrName: string) => Effect.Effect<Network, ServerError>
  readonly create: (options: CreateNetwork) => Effect.Effect<Network, ServerError>
  /** Deletes a network; one already gone counts as deleted. */
  readonly delete: (id: string) => Effect.Effect<void, ServerError>
  readonly subnets: (query?: NetworkQuery & { readonly networkId?: string }) => Effect.Effect<Paging.Page<Subnet, string>, ServerError>
  readonly createSubnet: (options: CreateSubnet) => Effect.Effect<Subnet, ServerError>
  /** Deletes a subnet; one already gone counts as deleted. */
  readonly deleteSubnet: (id: string) => Effect.Effect<void, ServerError>
}

const networkQuery = (q: NetworkQuery & { readonly networkId?: string }): Query => ({
  ...(q.name === undefined ? {} : { name: q.name }),
  ...(q.status === undefined ? {} : { status: q.status }),
  ...(q.shared === undefined ? {} : { shared: q.shared ? "true" : "false" }),
  ...(q.projectId === undefined ? {} : { project_id: q.projectId }),
  ...(q.networkId === undefined ? {} : { network_id: q.networkId }),
  ...(q.limit === undefined ? {} : { limit: String(q.limit) }),
  ...(q.marker === undefined ? {} : { marker: q.marker })
})

const deleting = (rest: RestClient, template: "networks/{id}" | "subnets/{id}", id: string): Effect.Effect<void, ApiError> =>
  rest.send({ method: "DELETE", path: Path.make(template, { id }) }).pipe(
    Effect.asVoid,
    Effect.catchIf((error) => error._tag === "NotFoundError", () => Effect.void)
  )

/** Builds the network operations of a client. */
export const make = (client: ServiceAccess): Networks => {
  const neutron = Effect.map(client.service("network"), (service) => service.rest)
  const list = (q: NetworkQuery = {}) =>
    Effect.flatMap(neutron, (rest) =>
      Effect.map(
        rest.json({ method: "GET", path: Path.literal("networks"), query: networkQuery(q) }, NetworkList),
        (body) => Paging.page(body.networks, nextMarker(body.networks_links))
      ))
  const listAll = (q: NetworkQuery = {}) =>
    Paging.stream(
      q.marker,
      (marker: string | undefined) => list({ ...q, ...(marker === undefined ? {} : { marker }) }),
      Paging.stalled(api, "GET", "networks")
    )
  return {
    list,
    listAll,
    get: byIdOrName<Network, EndpointNotFound>(
      "network",
      (id) =>
        Effect.flatMap(neutron, (rest) =>
          Effect.map(rest.json({ method: "GET", path: Path.make("networks/{id}", { id }), cache: false }, NetworkResponse), (b) => b.network)),
      (name) => Effect.map(list({ name }), (page) => page.items)
    ),
    create: (options) =>
      Effect.flatMap(neutron, (rest) =>
        Effect.map(
          rest.json({
            method: "POST",
            path: Path.literal("networks"),
            body: {
              network: {
                name: options.name,
                ...(options.adminStateUp === undefined ? {} : { admin_state_up: options.adminStateUp }),
                ...(options.shared === undefined ? {} : { shared: options.shared }),
                ...(options.description === undefined ? {} : { description: options.description })
              }
            }
          }, NetworkResponse),
          (b) => b.network
        )),
    delete: (id) => Effect.flatMap(neutron, (rest) => deleting(rest, "networks/{id}", id)),
    subnets: (q = {}) =>
      Effect.flatMap(neutron, (rest) =>
        Effect.map(
          rest.json({ method: "GET", path: Path.literal("subnets"), query: networkQuery(q) }, SubnetList),
          (body) => Paging.page(body.subnets, nextMarker(body.subnets_links))
        )),
    createSubnet: (options) =>
      Effect.flatMap(neutron, (rest) =>
        Effect.map(
          rest.json({
            method: "POST",
            path: Path.literal("subnets"),
            body: {
              subnet: {
                network_id: options.networkId,
                cidr: options.cidr,
                ip_version: options.ipVersion ?? 4,
                ...(options.name === undefined ? {} : { name: options.name }),
                ...(options.gatewayIp === undefined ? {} : { gateway_ip: options.gatewayIp }),
                ...(options.enableDhcp === undefined ? {} : { enable_dhcp: options.enableDhcp })
              }
            }
          }, SubnetResponse),
          (b) => b.subnet
        )),
    deleteSubnet: (id) => Effect.flatMap(neutron, (rest) => deleting(rest, "subnets/{id}", id))
  }
}
