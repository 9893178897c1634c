/**
 * Neutron networks and subnets: list (filters, marker paging), get by id or name, create and delete.
 *
 * Neutron has no idempotency key either: a create is sent once (never resent by the engine), and a delete of
 * something already gone counts as done.
 *
 * @since 0.1.0
 */
import { Effect, type Stream } from "effect"
import * as Envelope from "../core/Envelope.js"
import type * as Paging from "../core/Paging.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import type { Engine, OpenStackError } from "./Session.js"
import type { EndpointNotFound } from "./KeystoneV3.js"
import { byIdOrName } from "./Lookup.js"
import { Network, Subnet } from "./Network.js"
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
  readonly list: (query?: NetworkQuery) => Effect.Effect<Paging.Page<Network, string>, OpenStackError>
  readonly listAll: (query?: NetworkQuery) => Stream.Stream<Network, OpenStackError>
  /** A network by id or, failing that, by exact name. */
  readonly get: (idOrName: string) => Effect.Effect<Network, OpenStackError>
  readonly create: (options: CreateNetwork) => Effect.Effect<Network, OpenStackError>
  /** Deletes a network; one already gone counts as deleted. */
  readonly delete: (id: string) => Effect.Effect<void, OpenStackError>
  readonly subnets: (query?: NetworkQuery & { readonly networkId?: string }) => Effect.Effect<Paging.Page<Subnet, string>, OpenStackError>
  readonly createSubnet: (options: CreateSubnet) => Effect.Effect<Subnet, OpenStackError>
  /** Deletes a subnet; one already gone counts as deleted. */
  readonly deleteSubnet: (id: string) => Effect.Effect<void, OpenStackError>
}

const filters = {
  name: Query.string("name"),
  status: Query.string("status"),
  shared: Query.boolean("shared"),
  projectId: Query.string("project_id"),
  networkId: Query.string("network_id")
}

/** The description of Neutron's networks. */
export const networks = {
  name: "network",
  path: "networks",
  list: Envelope.keyed("networks", Network),
  one: Envelope.wrapped("network", Network),
  query: filters,
  paging: Resource.marker,
  cacheDetail: false,
  create: {
    body: (o: CreateNetwork) => ({ network: { name: o.name, admin_state_up: o.adminStateUp, shared: o.shared, description: o.description } })
  },
  delete: { goneIsDone: true }
} as const

/** The description of Neutron's subnets. */
export const subnets = {
  name: "subnet",
  path: "subnets",
  list: Envelope.keyed("subnets", Subnet),
  one: Envelope.wrapped("subnet", Subnet),
  query: filters,
  paging: Resource.marker,
  create: {
    body: (o: CreateSubnet) => ({
      subnet: {
        network_id: o.networkId,
        cidr: o.cidr,
        ip_version: o.ipVersion ?? 4,
        name: o.name,
        gateway_ip: o.gatewayIp,
        enable_dhcp: o.enableDhcp
      }
    })
  },
  delete: { goneIsDone: true }
} as const

/** Builds the network operations of a client. */
export const make = (engine: Engine): Networks => {
  const neutron = Resource.deferred(api, engine)
  const network = Resource.direct(neutron, networks)
  const subnet = Resource.direct(neutron, subnets)
  return {
    list: network.list,
    listAll: network.listAll,
    get: byIdOrName<Network, EndpointNotFound>("network", network.get, (name) => Effect.map(network.list({ name }), (page) => page.items)),
    create: network.create,
    delete: network.delete,
    subnets: subnet.list,
    createSubnet: subnet.create,
    deleteSubnet: subnet.delete
  }
}
