/**
 * Neutron ports, declared with core's `Resource`: list (attribute filters, marker paging), get, create, update and
 * delete (a port already gone counts as deleted).
 *
 * @since 0.1.0
 */
import * as Envelope from "../core/Envelope.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import type { Engine } from "./Session.js"
import { api } from "./Keystone.js"
import { Port } from "./Network.js"

/** What creating a port takes (`POST /v2.0/ports`); updating takes the same fields but `networkId`. */
export interface CreatePort {
  readonly networkId: string
  readonly name?: string | undefined
  readonly adminStateUp?: boolean | undefined
  readonly fixedIps?: ReadonlyArray<{ readonly subnet_id?: string; readonly ip_address?: string }> | undefined
  readonly securityGroups?: ReadonlyArray<string> | undefined
}

const body = (p: Partial<CreatePort>) => ({
  port: { network_id: p.networkId, name: p.name, admin_state_up: p.adminStateUp, fixed_ips: p.fixedIps, security_groups: p.securityGroups }
})

/** The description of Neutron's ports. */
export const ports = {
  name: "port",
  path: "ports",
  list: Envelope.keyed("ports", Port),
  one: Envelope.wrapped("port", Port),
  query: {
    name: Query.string("name"), networkId: Query.string("network_id"), deviceId: Query.string("device_id"),
    status: Query.string("status"), adminStateUp: Query.boolean("admin_state_up"), ids: Query.list("id")
  },
  paging: Resource.marker,
  cacheDetail: false,
  create: { body: (input: CreatePort) => body(input), accept: [201] },
  update: { body: (input: Omit<CreatePort, "networkId">) => body(input) },
  delete: { goneIsDone: true }
} as const

/** Builds the port operations of a client (Neutron's engine is built on first use). */
export const make = (network: Engine) => Resource.direct(Resource.deferred(api, network), ports)

/** Port operations. */
export type Ports = ReturnType<typeof make>
