/**
 * The simulator's Neutron ports (`/network/v2.0/ports`): list with attribute filters and marker paging, get, create
 * on a visible network (its first subnet gives the fixed IP), update of name and admin state, delete. Bodies have
 * the fields of the api-ref samples.
 *
 * @since 0.1.0
 */
import type { HttpServerResponse } from "@effect/platform"
import { Effect, Either } from "effect"
import { type SimError, simError } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { booleanField, stringField } from "../../core/testing/Json.js"
import { type Ctx, current, type Env, resourceBody, transact, uuid } from "./Http.js"
import { isoSeconds, type PortRecord, type SimState, type TokenRecord } from "./State.js"

/**
 * A port as Neutron writes it.
 *
 * @since 0.1.0
 */
export const portView = (p: PortRecord) => ({
  admin_state_up: p.adminStateUp,
  allowed_address_pairs: [],
  created_at: isoSeconds(p.createdAt),
  data_plane_status: null,
  description: "",
  device_id: p.deviceId,
  device_owner: p.deviceOwner,
  extra_dhcp_opts: [],
  fixed_ips: p.fixedIps,
  id: p.id,
  ip_allocation: "immediate",
  mac_address: p.mac,
  name: p.name,
  network_id: p.networkId,
  port_security_enabled: true,
  project_id: p.projectId,
  revision_number: p.revision,
  security_groups: [],
  status: p.adminStateUp ? "ACTIVE" : "DOWN",
  tags: [],
  tenant_id: p.projectId,
  updated_at: isoSeconds(p.updatedAt)
})

const portNotFound = (id: string) => simError(404, `Port ${id} could not be found.`, "PortNotFound")

const change = (env: Env, f: (state: SimState, ports: ReadonlyArray<PortRecord>) => Either.Either<readonly [PortRecord | undefined, ReadonlyArray<PortRecord>], SimError>) =>
  transact(env, (state) => Either.map(f(state, state.ports ?? []), ([port, ports]) => [port, { ...state, ports }] as const))

const create = (env: Env, ctx: Ctx, token: TokenRecord, visible: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const body = yield* resourceBody(ctx, "port")
    const networkId = stringField(body, "network_id") ?? ""
    if (!visible.has(networkId)) return yield* Effect.fail(simError(404, `Network ${networkId} could not be found.`, "NetworkNotFound"))
    const id = yield* uuid
    const made = yield* change(env, (state, ports) => {
      const subnet = state.subnets.find((s) => s.networkId === networkId)
      const port: PortRecord = {
        id,
        name: stringField(body, "name") ?? "",
        networkId,
        projectId: token.projectId ?? "",
        adminStateUp: booleanField(body, "admin_state_up") ?? true,
        mac: `fa:16:3e:00:00:${(ports.length % 256).toString(16).padStart(2, "0")}`,
        fixedIps: subnet === undefined ? [] : [{ subnet_id: subnet.id, ip_address: subnet.cidr.replace(/\.\d+\/\d+$/, `.${10 + ports.length}`) }],
        deviceId: "",
        deviceOwner: "",
        createdAt: ctx.now,
        updatedAt: ctx.now,
        revision: 1
      }
      return Either.right([port, [...ports, port]])
    })
    return json({ port: made === undefined ? {} : portView(made) }, 201)
  })

const update = (env: Env, ctx: Ctx, id: string, mine: (p: PortRecord) => boolean) =>
  Effect.gen(function*() {
    const body = yield* resourceBody(ctx, "port")
    const updated = yield* change(env, (_state, ports) => {
      const port = ports.find((p) => p.id === id && mine(p))
      if (port === undefined) return Either.left(portNotFound(id))
      const next: PortRecord = {
        ...port,
        name: stringField(body, "name") ?? port.name,
        adminStateUp: booleanField(body, "admin_state_up") ?? port.adminStateUp,
        updatedAt: ctx.now,
        revision: port.revision + 1
      }
      return Either.right([next, ports.map((p) => (p.id === id ? next : p))])
    })
    return json({ port: updated === undefined ? {} : portView(updated) })
  })

/**
 * Neutron's port routes (`collection === "ports"`), given the caller's token, the networks it sees, and how the
 * service lists (filters, paging, links).
 *
 * @since 0.1.0
 */
export const ports = (
  env: Env,
  ctx: Ctx,
  token: TokenRecord,
  visible: ReadonlySet<string>,
  id: string | undefined,
  listing: (rows: ReadonlyArray<ReturnType<typeof portView>>) => Effect.Effect<HttpServerResponse.HttpServerResponse, SimError>
): Effect.Effect<HttpServerResponse.HttpServerResponse, SimError> =>
  Effect.gen(function*() {
    const mine = (p: PortRecord) => visible.has(p.networkId)
    const all = ((yield* current(env)).ports ?? []).filter(mine)
    if (id === undefined && ctx.method === "GET") return yield* listing(all.map(portView))
    if (id === undefined && ctx.method === "POST") return yield* create(env, ctx, token, visible)
    const port = all.find((p) => p.id === id)
    if (id === undefined || port === undefined) return yield* Effect.fail(portNotFound(id ?? ""))
    if (ctx.method === "GET") return json({ port: portView(port) })
    if (ctx.method === "PUT") return yield* update(env, ctx, id, mine)
    if (ctx.method === "DELETE") {
      yield* change(env, (_state, list) => Either.right([undefined, list.filter((p) => p.id !== id)]))
      return empty(204)
    }
    return yield* Effect.fail(simError(405, "The method is not allowed for this resource."))
  })
