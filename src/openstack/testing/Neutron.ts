/**
 * The simulator's Neutron under `/network`: the version list, networks and subnets under `/v2.0` (list with
 * attribute filters and `limit`/`marker` paging with `*_links`, get, create, delete). Deleting a network in use by
 * a server answers 409 `NetworkInUse`; its subnets go with it otherwise.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { type SimError, simError } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { booleanField, field, stringField } from "../../core/testing/Json.js"
import { type Ctx, current, type Env, type Handler, limitOf, resourceBody, transact, uuid } from "./Http.js"
import { pageOf } from "./Paging.js"
import { ports } from "./RoutesPorts.js"
import { isAdmin, isoSeconds, type NetworkRecord, type SimState, type SubnetRecord, type TokenRecord } from "./State.js"

/**
 * A network as Neutron writes it.
 *
 * @since 0.1.0
 */
export const networkView = (state: SimState, n: NetworkRecord, admin = false) => ({
  // What Neutron shows an admin: the provider extension.
  ...(admin ? { "provider:network_type": "vxlan", "provider:physical_network": null, "provider:segmentation_id": 1000 + state.networks.indexOf(n) } : {}),
  id: n.id,
  name: n.name,
  tenant_id: n.projectId,
  project_id: n.projectId,
  admin_state_up: n.adminStateUp,
  mtu: n.mtu,
  status: "ACTIVE",
  subnets: state.subnets.filter((s) => s.networkId === n.id).map((s) => s.id),
  shared: n.shared,
  availability_zone_hints: [],
  availability_zones: ["nova"],
  ipv4_address_scope: null,
  ipv6_address_scope: null,
  "router:external": n.external,
  description: n.description,
  port_security_enabled: true,
  is_default: false,
  l2_adjacency: true,
  qos_policy_id: null,
  tags: [],
  created_at: isoSeconds(n.createdAt),
  updated_at: isoSeconds(n.updatedAt),
  revision_number: n.revision
})

/**
 * A subnet as Neutron writes it.
 *
 * @since 0.1.0
 */
export const subnetView = (s: SubnetRecord) => ({
  id: s.id,
  name: s.name,
  tenant_id: s.projectId,
  project_id: s.projectId,
  network_id: s.networkId,
  ip_version: s.ipVersion,
  subnetpool_id: null,
  enable_dhcp: s.enableDhcp,
  ipv6_ra_mode: null,
  ipv6_address_mode: null,
  gateway_ip: s.gatewayIp,
  cidr: s.cidr,
  allocation_pools: s.allocationPools,
  host_routes: [],
  dns_nameservers: [],
  description: s.description,
  service_types: [],
  tags: [],
  created_at: isoSeconds(s.createdAt),
  updated_at: isoSeconds(s.updatedAt),
  revision_number: s.revision,
  segment_id: null,
  dns_publish_fixed_ip: false
})

const pagingKeys = new Set(["limit", "marker", "page_reverse", "sort_key", "sort_dir", "fields"])

/** Filters by any attribute of the rendered record; an unknown attribute is a 400 as Neutron says it. */
const filtered = <A extends { readonly id: string }>(
  ctx: Ctx,
  rows: ReadonlyArray<A>
): Either.Either<ReadonlyArray<A>, SimError> => {
  const keys = [...new Set(ctx.query.keys())].filter((k) => !pagingKeys.has(k))
  const first = rows[0]
  const unknown = first === undefined ? [] : keys.filter((k) => !(k in first))
  if (unknown.length > 0) {
    return Either.left(simError(400, `[${unknown.map((k) => `'${k}'`).join(", ")}] is invalid attribute for filtering`))
  }
  const matches = (value: unknown, wanted: ReadonlyArray<string>) =>
    wanted.some((w) => (typeof value === "boolean" ? String(value) === w.toLowerCase() : String(value) === w))
  return Either.right(rows.filter((row) => keys.every((k) => matches(field(row, k), ctx.query.getAll(k)))))
}

const listing = <A extends { readonly id: string }>(ctx: Ctx, kind: "networks" | "subnets" | "ports", rows: ReadonlyArray<A>) =>
  Effect.gen(function*() {
    const matching = yield* filtered(ctx, rows)
    const limit = yield* limitOf(ctx)
    if (limit === undefined || limit === 0) return json({ [kind]: matching })
    const page = yield* Either.mapLeft(
      pageOf(matching, ctx.query.get("marker"), limit),
      (marker) => simError(404, `${{ networks: "Network", subnets: "Subnet", ports: "Port" }[kind]} ${marker} could not be found.`)
    )
    const base = `${ctx.origin}/network/v2.0/${kind}`
    const firstId = page.items[0]?.id
    return json({
      [kind]: page.items,
      [`${kind}_links`]: [
        ...(page.nextMarker === undefined ? [] : [{ rel: "next", href: `${base}?limit=${limit}&marker=${page.nextMarker}` }]),
        {
          rel: "previous",
          href: `${base}?limit=${limit}${firstId === undefined ? "" : `&marker=${firstId}`}&page_reverse=True`
        }
      ]
    })
  })

const networkNotFound = (id: string) => simError(404, `Network ${id} could not be found.`, "NetworkNotFound")
const subnetNotFound = (id: string) => simError(404, `Subnet ${id} could not be found.`, "SubnetNotFound")

const visible = (token: TokenRecord) => (item: { readonly projectId: string; readonly shared?: boolean }) =>
  item.projectId === token.projectId || item.shared === true

const createNetwork = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const body = yield* resourceBody(ctx, "network")
    const id = yield* uuid
    const network = yield* transact(env, (state): Either.Either<readonly [NetworkRecord, SimState], SimError> => {
      const adminStateUp = field(body, "admin_state_up")
      if (adminStateUp !== undefined && typeof adminStateUp !== "boolean") {
        return Either.left(
          simError(400, `Invalid input for operation: '${String(adminStateUp)}' cannot be converted to boolean.`, "InvalidInput")
        )
      }
      const made: NetworkRecord = {
        id,
        name: stringField(body, "name") ?? "",
        projectId: token.projectId ?? "",
        adminStateUp: adminStateUp ?? true,
        shared: booleanField(body, "shared") ?? false,
        external: booleanField(body, "router:external") ?? false,
        mtu: 1442,
        description: stringField(body, "description") ?? "",
        createdAt: ctx.now,
        updatedAt: ctx.now,
        revision: 1
      }
      return Either.right([made, { ...state, networks: [...state.networks, made] }])
    })
    const after = yield* current(env)
    return json({ network: networkView(after, network, isAdmin(after, token)) }, 201)
  })

const deleteNetwork = (env: Env, token: TokenRecord, id: string) =>
  Effect.as(
    transact(env, (state): Either.Either<readonly [undefined, SimState], SimError> => {
      const network = state.networks.find((n) => n.id === id && visible(token)(n))
      if (network === undefined) return Either.left(networkNotFound(id))
      if (state.servers.some((s) => s.addresses.some((a) => a.networkId === id))) {
        return Either.left(
          simError(409, `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`, "NetworkInUse")
        )
      }
      return Either.right([undefined, {
        ...state,
        networks: state.networks.filter((n) => n.id !== id),
        subnets: state.subnets.filter((s) => s.networkId !== id)
      }])
    }),
    empty(204)
  )

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/

const ipOf = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")

const createSubnet = (env: Env, ctx: Ctx, token: TokenRecord) =>
  Effect.gen(function*() {
    const body = yield* resourceBody(ctx, "subnet")
    const id = yield* uuid
    const subnet = yield* transact(env, (state): Either.Either<readonly [SubnetRecord, SimState], SimError> => {
      const networkId = stringField(body, "network_id") ?? ""
      if (!state.networks.some((n) => n.id === networkId && visible(token)(n))) return Either.left(networkNotFound(networkId))
      const cidr = stringField(body, "cidr") ?? ""
      const parsed = cidrPattern.exec(cidr)
      if (parsed === null) {
        return Either.left(simError(400, `Invalid input for cidr. Reason: '${cidr}' is not a valid IP subnet.`, "InvalidInput"))
      }
      const octets = parsed.slice(1, 5).map(Number)
      const prefix = Number(parsed[5])
      const base = (((octets[0] ?? 0) << 24) >>> 0) + ((octets[1] ?? 0) << 16) + ((octets[2] ?? 0) << 8) + (octets[3] ?? 0)
      const size = 2 ** (32 - prefix)
      const gateway = field(body, "gateway_ip")
      const made: SubnetRecord = {
        id,
        name: stringField(body, "name") ?? "",
        networkId,
        projectId: token.projectId ?? "",
        ipVersion: 4,
        cidr,
        gatewayIp: gateway === null ? null : typeof gateway === "string" ? gateway : ipOf(base + 1),
        enableDhcp: booleanField(body, "enable_dhcp") ?? true,
        allocationPools: size > 4 ? [{ start: ipOf(base + 2), end: ipOf(base + size - 2) }] : [],
        description: stringField(body, "description") ?? "",
        createdAt: ctx.now,
        updatedAt: ctx.now,
        revision: 0
      }
      return Either.right([made, { ...state, subnets: [...state.subnets, made] }])
    })
    return json({ subnet: subnetView(subnet) }, 201)
  })

/**
 * Neutron's handler (paths under `/network`).
 *
 * @since 0.1.0
 */
export const neutron = (env: Env): Handler => (ctx) =>
  Effect.gen(function*() {
    const [version, collection, id] = ctx.segments
    if (version === undefined) {
      return json({ versions: [{ id: "v2.0", status: "CURRENT", links: [{ rel: "self", href: `${ctx.origin}/network/v2.0/` }] }] })
    }
    const token = yield* ctx.token
    const state = yield* current(env)
    if (version !== "v2.0" || ctx.segments.length > 3) return yield* Effect.fail(simError(404, "The resource could not be found."))
    if (collection === "networks") {
      const mine = state.networks.filter(visible(token))
      if (id === undefined && ctx.method === "GET") return yield* listing(ctx, "networks", mine.map((n) => networkView(state, n, isAdmin(state, token))))
      if (id === undefined && ctx.method === "POST") return yield* createNetwork(env, ctx, token)
      if (id !== undefined && ctx.method === "GET") {
        const network = mine.find((n) => n.id === id)
        return network === undefined ? yield* Effect.fail(networkNotFound(id)) : json({ network: networkView(state, network, isAdmin(state, token)) })
      }
      if (id !== undefined && ctx.method === "DELETE") return yield* deleteNetwork(env, token, id)
    }
    if (collection === "subnets") {
      const networks = new Set(state.networks.filter(visible(token)).map((n) => n.id))
      const mine = state.subnets.filter((s) => networks.has(s.networkId))
      if (id === undefined && ctx.method === "GET") return yield* listing(ctx, "subnets", mine.map(subnetView))
      if (id === undefined && ctx.method === "POST") return yield* createSubnet(env, ctx, token)
      if (id !== undefined && ctx.method === "GET") {
        const subnet = mine.find((s) => s.id === id)
        return subnet === undefined ? yield* Effect.fail(subnetNotFound(id)) : json({ subnet: subnetView(subnet) })
      }
      if (id !== undefined && ctx.method === "DELETE") {
        if (!mine.some((s) => s.id === id)) return yield* Effect.fail(subnetNotFound(id))
        yield* transact(env, (s) => Either.right([undefined, { ...s, subnets: s.subnets.filter((x) => x.id !== id) }] as const))
        return empty(204)
      }
    }
    if (collection === "ports") return yield* ports(env, ctx, token, new Set(state.networks.filter(visible(token)).map((n) => n.id)), id, (rows) => listing(ctx, "ports", rows))
    return yield* Effect.fail(simError(404, "The resource could not be found."))
  })
