/**
 * The simulator's Nova under `/compute`: version documents, flavors (list, detail, get), servers (create with
 * Nova's validation and instance quota, list/detail with `name`/`status`/`image`/`flavor` filters and marker
 * paging, get, delete, `os-start`/`os-stop`/`reboot`). Servers go BUILD → ACTIVE on the Effect `Clock`.
 *
 * @since 0.1.0
 */
import { HttpServerResponse } from "@effect/platform"
import { Effect, Either, Fiber } from "effect"
import { ServerStatuses } from "../Server.js"
import { type SimError, simError, toResponse } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { field, stringField, stringMap } from "../../core/testing/Json.js"
import { type Ctx, current, type Env, type Handler, hexId, limitOf, transact, uuid } from "./Http.js"
import { atLeast, flavorView, microversionHeaders, requestedMicroversion, row, serverView, versionV21 } from "./NovaViews.js"
import { pageOf } from "./Paging.js"
import { type AddressRecord, isAdmin, type PendingTransition, serverStatus, type ServerRecord, type SimState, type TokenRecord } from "./State.js"

const maxLimit = 1000

const lastSegment = (ref: string): string => ref.split("/").filter((s) => s !== "").pop() ?? ref

const invalidInput = (body: unknown, problem: string): SimError =>
  simError(400, `Invalid input for field/attribute server. Value: ${JSON.stringify(body)}. ${problem}`)

const ipIn = (cidr: string, offset: number): string => {
  const base = (cidr.split("/")[0] ?? "10.0.0.0").split(".").map(Number)
  const value = (((base[0] ?? 10) << 24) >>> 0) + ((base[1] ?? 0) << 16) + ((base[2] ?? 0) << 8) + (base[3] ?? 0) + offset
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".")
}

const macOf = (n: number): string =>
  `fa:16:3e:${[(n >> 16) & 255, (n >> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, "0")).join(":")}`

const addressesFor = (
  state: SimState,
  projectId: string,
  networks: unknown
): Either.Either<ReadonlyArray<{ readonly networkId: string; readonly networkName: string }>, SimError> => {
  if (networks === "none") return Either.right([])
  if (networks === "auto" || networks === undefined) {
    const usable = state.networks.find((n) => !n.external && (n.projectId === projectId || n.shared))
    return Either.right(usable === undefined ? [] : [{ networkId: usable.id, networkName: usable.name }])
  }
  if (!Array.isArray(networks)) return Either.left(simError(400, "Invalid input for field/attribute networks."))
  const out: Array<{ networkId: string; networkName: string }> = []
  for (const item of networks) {
    const port = stringField(item, "port")
    if (port !== undefined) return Either.left(simError(400, `Port id ${port} could not be found.`))
    const id = stringField(item, "uuid")
    const network = state.networks.find((n) => n.id === id)
    if (network === undefined) return Either.left(simError(400, `Network ${id ?? ""} could not be found.`))
    out.push({ networkId: network.id, networkName: network.name })
  }
  return Either.right(out)
}

const create = (env: Env, ctx: Ctx, token: TokenRecord, mv: string) =>
  Effect.gen(function*() {
    const body = yield* ctx.json
    const id = yield* uuid
    const adminPass = (yield* hexId).slice(0, 12)
    const projectId = token.projectId ?? ""
    const delayMs = (yield* current(env)).settings.createDelayMs
    const make = transact(env, (state): Either.Either<readonly [ServerRecord, SimState], SimError> => {
      const spec = field(body, "server")
      if (spec === undefined) return Either.left(invalidInput(body, "'server' is a required property"))
      const name = stringField(spec, "name")
      if (name === undefined || name === "") return Either.left(invalidInput(spec, "'name' is a required property"))
      const networks = field(spec, "networks")
      if (networks === undefined && atLeast(mv, "2.37")) {
        return Either.left(invalidInput(spec, "'networks' is a required property"))
      }
      const imageRef = stringField(spec, "imageRef") ?? ""
      const image = state.images.find((i) => i.id === lastSegment(imageRef))
      if (image === undefined) return Either.left(simError(400, "Can not find requested image"))
      if (image.status !== "active") return Either.left(simError(400, `Image ${image.id} is not active.`))
      const flavorRef = stringField(spec, "flavorRef") ?? ""
      const flavor = state.flavors.find((f) => f.id === lastSegment(flavorRef))
      if (flavor === undefined) return Either.left(simError(400, `Flavor ${flavorRef} could not be found.`))
      const metadata = field(spec, "metadata") === undefined ? {} : stringMap(field(spec, "metadata"))
      if (metadata === undefined) return Either.left(invalidInput(spec, "'metadata' must be a map of strings"))
      const used = state.servers.filter((s) => s.projectId === projectId).length
      const max = state.settings.maxInstances
      if (used + 1 > max) {
        return Either.left(
          simError(403, `Quota exceeded for instances: Requested 1, but already used ${used} of ${max} instances`)
        )
      }
      return Either.map(addressesFor(state, projectId, networks), (nets) => {
        const counter = state.counter + 1
        const addresses: ReadonlyArray<AddressRecord> = nets.map((n, i) => {
          const subnet = state.subnets.find((s) => s.networkId === n.networkId)
          return {
            ...n,
            addr: ipIn(subnet?.cidr ?? "10.0.0.0/24", 2 + counter + i),
            mac: macOf(counter * 8 + i)
          }
        })
        const groups = field(spec, "security_groups")
        const failWith = state.armedServerFaults[0] ?? null
        const made: ServerRecord = {
          id,
          name,
          projectId,
          userId: token.userId,
          imageId: image.id,
          flavorId: flavor.id,
          addresses,
          metadata,
          keyName: stringField(spec, "key_name") ?? null,
          securityGroups: Array.isArray(groups)
            ? groups.flatMap((g) => {
              const n = stringField(g, "name")
              return n === undefined ? [] : [n]
            })
            : ["default"],
          tags: stringList(field(spec, "tags")),
          availabilityZone: stringField(spec, "availability_zone") ?? "nova",
          adminPass,
          vmState: "building",
          taskState: "spawning",
          powerState: 0,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          launchedAt: null,
          fault: null,
          pending: { at: ctx.now + state.settings.buildMs, kind: "build" },
          failWith,
          seq: counter
        }
        return [made, {
          ...state,
          counter,
          servers: [...state.servers, made],
          armedServerFaults: state.armedServerFaults.slice(failWith === null ? 0 : 1)
        }] as const
      })
    })
    // A slow nova-api makes the server at the end of its delay even if the client hung up meanwhile.
    const server = delayMs === 0 ? yield* make : yield* Effect.flatMap(Effect.forkDaemon(Effect.zipRight(Effect.sleep(delayMs), make)), Fiber.join)
    const location = `${ctx.origin}/compute/v2.1/servers/${server.id}`
    return json(
      {
        server: {
          id: server.id,
          links: row(ctx.origin, "servers", server).links,
          "OS-DCF:diskConfig": "MANUAL",
          security_groups: server.securityGroups.map((name) => ({ name })),
          adminPass: server.adminPass
        }
      },
      202,
      { location }
    )
  })

const statuses: ReadonlySet<string> = new Set(ServerStatuses)

const list = (env: Env, ctx: Ctx, token: TokenRecord, mv: string, detail: boolean) =>
  Effect.gen(function*() {
    const state = yield* current(env)
    const name = ctx.query.get("name")
    const status = ctx.query.get("status")?.toUpperCase()
    if (status !== undefined && !statuses.has(status)) return yield* Effect.fail(simError(400, "Invalid status value"))
    let pattern: RegExp | undefined
    if (name !== null) {
      try {
        pattern = new RegExp(name)
      } catch {
        return yield* Effect.fail(simError(400, `Invalid regular expression: ${name}`))
      }
    }
    const image = ctx.query.get("image")
    const flavor = ctx.query.get("flavor")
    const matching = state.servers
      .filter((s) => s.projectId === token.projectId)
      .filter((s) => pattern === undefined || pattern.test(s.name))
      .filter((s) => status === undefined || serverStatus(s) === status)
      .filter((s) => image === null || s.imageId === lastSegment(image))
      .filter((s) => flavor === null || s.flavorId === lastSegment(flavor))
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
    const asked = yield* limitOf(ctx)
    const limit = Math.min(asked ?? maxLimit, maxLimit)
    const page = yield* Either.mapLeft(
      pageOf(matching, ctx.query.get("marker"), limit),
      (marker) => simError(400, `marker [${marker}] not found`)
    )
    const path = detail ? "servers/detail" : "servers"
    const nextQuery = new URLSearchParams(ctx.query)
    nextQuery.set("limit", String(limit))
    if (page.nextMarker !== undefined) nextQuery.set("marker", page.nextMarker)
    return json({
      servers: page.items.map((s) => (detail ? serverView(state, s, ctx.origin, mv, isAdmin(state, token)) : row(ctx.origin, "servers", s))),
      ...(page.nextMarker === undefined
        ? {}
        : { servers_links: [{ rel: "next", href: `${ctx.origin}/compute/v2.1/${path}?${nextQuery.toString()}` }] })
    })
  })

const notFound = (id: string) => simError(404, `Instance ${id} could not be found.`)

const find = (state: SimState, token: TokenRecord, id: string): Either.Either<ServerRecord, SimError> => {
  const server = state.servers.find((s) => s.id === id && s.projectId === token.projectId)
  return server === undefined ? Either.left(notFound(id)) : Either.right(server)
}

const updateServer = (state: SimState, server: ServerRecord): SimState => ({
  ...state,
  servers: state.servers.map((s) => (s.id === server.id ? server : s))
})

const remove = (env: Env, ctx: Ctx, token: TokenRecord, id: string) =>
  Effect.as(
    transact(env, (state) =>
      Either.map(find(state, token, id), (server): readonly [undefined, SimState] => {
        if (state.settings.deleteMs <= 0) {
          return [undefined, { ...state, servers: state.servers.filter((s) => s.id !== id) }]
        }
        if (server.pending?.kind === "delete") return [undefined, state]
        return [undefined, updateServer(state, {
          ...server,
          taskState: "deleting",
          updatedAt: ctx.now,
          pending: { at: ctx.now + state.settings.deleteMs, kind: "delete" }
        })]
      })),
    empty(204)
  )

const conflict = (action: string, server: ServerRecord): SimError =>
  simError(
    409,
    server.taskState !== null
      ? `Cannot '${action}' instance ${server.id} while it is in task_state ${server.taskState}`
      : `Cannot '${action}' instance ${server.id} while it is in vm_state ${server.vmState}`
  )

const act = (env: Env, ctx: Ctx, token: TokenRecord, id: string) =>
  Effect.gen(function*() {
    const body = yield* ctx.json
    const key = Object.keys(typeof body === "object" && body !== null ? body : {})[0] ?? ""
    const plan = (server: ServerRecord): Either.Either<{ task: string; kind: PendingTransition["kind"] }, SimError> => {
      switch (key) {
        case "os-start":
          return server.taskState === null && server.vmState === "stopped"
            ? Either.right({ task: "powering-on", kind: "start" })
            : Either.left(conflict("start", server))
        case "os-stop":
          return server.taskState === null && (server.vmState === "active" || server.vmState === "error")
            ? Either.right({ task: "powering-off", kind: "stop" })
            : Either.left(conflict("stop", server))
        case "reboot": {
          const hard = stringField(field(body, "reboot"), "type")?.toUpperCase() === "HARD"
          const allowed = hard ? server.vmState !== "building" : server.vmState === "active"
          return server.taskState === null && allowed
            ? Either.right({ task: hard ? "rebooting_hard" : "rebooting", kind: "reboot" })
            : Either.left(conflict("reboot", server))
        }
      }
      return Either.left(simError(400, `There is no such action: ${key}`))
    }
    yield* transact(env, (state) =>
      Either.flatMap(find(state, token, id), (server) =>
        Either.map(plan(server), ({ kind, task }): readonly [undefined, SimState] => [undefined, updateServer(state, {
          ...server,
          taskState: task,
          updatedAt: ctx.now,
          pending: { at: ctx.now + state.settings.actionMs, kind }
        })])))
    return empty(202)
  })

const flavors = (env: Env, ctx: Ctx, mv: string, rest: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const state = yield* current(env)
    const [first] = rest
    if (first !== undefined && first !== "detail") {
      const flavor = state.flavors.find((f) => f.id === first)
      // `os-extra_specs` is what the openstack CLI reads for every flavor it lists; the seeded flavors have none.
      const extraSpecs = rest.length === 2 && rest[1] === "os-extra_specs"
      if (flavor === undefined || (rest.length > 1 && !extraSpecs)) {
        return yield* Effect.fail(simError(404, `Flavor ${first} could not be found.`))
      }
      return extraSpecs ? json({ extra_specs: {} }) : json({ flavor: flavorView(ctx.origin, flavor, mv) })
    }
    const minRam = Number(ctx.query.get("minRam") ?? "0")
    const minDisk = Number(ctx.query.get("minDisk") ?? "0")
    const isPublic = ctx.query.get("is_public")?.toLowerCase()
    const matching = state.flavors
      .filter((f) => f.ram >= minRam && f.disk >= minDisk)
      .filter((f) =>
        isPublic === undefined || isPublic === "none" || f.isPublic === (isPublic === "true" || isPublic === "1")
      )
    const asked = yield* limitOf(ctx)
    const limit = Math.min(asked ?? maxLimit, maxLimit)
    const page = yield* Either.mapLeft(
      pageOf(matching, ctx.query.get("marker"), limit),
      (marker) => simError(400, `marker [${marker}] not found`)
    )
    return json({
      flavors: page.items.map((f) => (first === "detail" ? flavorView(ctx.origin, f, mv) : row(ctx.origin, "flavors", f))),
      ...(page.nextMarker === undefined ? {} : {
        flavors_links: [{
          rel: "next",
          href: `${ctx.origin}/compute/v2.1/flavors${first === "detail" ? "/detail" : ""}?limit=${limit}&marker=${page.nextMarker}`
        }]
      })
    })
  })

const routeV21 = (
  env: Env,
  ctx: Ctx,
  mv: string,
  rest: ReadonlyArray<string>
): Effect.Effect<HttpServerResponse.HttpServerResponse, SimError> =>
  Effect.gen(function*() {
    const [collection, id, sub] = rest
    if (collection === undefined) return json({ version: versionV21(ctx.origin) })
    const token = yield* ctx.token
    if (token.projectId === null) {
      return yield* Effect.fail(simError(403, "Policy doesn't allow this request: a project-scoped token is required."))
    }
    if (collection === "flavors" && ctx.method === "GET") return yield* flavors(env, ctx, mv, rest.slice(1))
    if (collection !== "servers") return yield* Effect.fail(simError(404, "The resource could not be found."))
    if (id === undefined) {
      if (ctx.method === "GET") return yield* list(env, ctx, token, mv, false)
      if (ctx.method === "POST") return yield* create(env, ctx, token, mv)
    } else if (id === "detail" && sub === undefined && ctx.method === "GET") {
      return yield* list(env, ctx, token, mv, true)
    } else if (sub === undefined) {
      if (ctx.method === "GET") {
        const state = yield* current(env)
        const server = yield* find(state, token, id)
        return json({ server: serverView(state, server, ctx.origin, mv, isAdmin(state, token)) })
      }
      if (ctx.method === "DELETE") return yield* remove(env, ctx, token, id)
    } else if (sub === "action" && ctx.method === "POST" && rest.length === 3) {
      return yield* act(env, ctx, token, id)
    }
    return yield* Effect.fail(simError(405, "The method is not allowed for the requested URL."))
  })

/**
 * Nova's handler (paths under `/compute`). Every answer of `/compute/v2.1` echoes the microversion asked for.
 *
 * @since 0.1.0
 */
export const nova = (env: Env): Handler => (ctx) => {
  const [version, ...rest] = ctx.segments
  if (version === undefined) {
    const v2 = { id: "v2.0", status: "SUPPORTED", version: "", min_version: "", updated: "2011-01-21T11:33:21Z", links: [{ rel: "self", href: `${ctx.origin}/compute/v2/` }] }
    const { "media-types": _, ...v21 } = versionV21(ctx.origin)
    return Effect.succeed(json({ versions: [v2, { ...v21, links: [{ rel: "self", href: `${ctx.origin}/compute/v2.1/` }] }] }))
  }
  if (version !== "v2.1") return Effect.fail(simError(404, "The resource could not be found."))
  return Either.match(requestedMicroversion(ctx.headers), {
    onLeft: (error) => Effect.fail(error),
    onRight: (mv) => {
      const headers = microversionHeaders(mv)
      const context = { accept: "", identityUrl: `${ctx.origin}/identity/v3`, account: "" }
      return routeV21(env, ctx, mv, rest).pipe(
        Effect.catchTag("SimError", (error) => Effect.succeed(toResponse("compute", error, context))),
        Effect.map((response) => withHeaders(response, headers))
      )
    }
  })
}

const withHeaders = (
  response: HttpServerResponse.HttpServerResponse,
  headers: Record<string, string>
): HttpServerResponse.HttpServerResponse => HttpServerResponse.setHeaders(response, headers)

const stringList = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
