/**
 * How the simulator's services are written and mounted: the request as a handler sees it (origin, path segments
 * under the service prefix, query, virtual time, body, token check), request ids, atomic state steps, and each
 * service as an app that settles due transitions, renders its errors in the service's shape and adds its request-id
 * headers.
 *
 * @since 0.1.0
 */
import { type HttpMethod, HttpRouter, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { Clock, Effect, Either, Ref } from "effect"
import { absoluteUrl } from "../../core/testing/Http.js"
import * as Json from "../../core/testing/Json.js"
import * as Store from "../../core/testing/Store.js"
import { randomUUID } from "node:crypto"
import { type ServiceName, type SimError, simError, toResponse, unauthorized } from "./Errors.js"
import { settle, type SimState, type TokenRecord, usableToken } from "./State.js"

/**
 * What every service of one simulator shares.
 *
 * @since 0.1.0
 */
export interface Env {
  readonly state: Ref.Ref<SimState>
}

/**
 * The request as a handler sees it.
 *
 * - `origin`: `http(s)://host[:port]` of the request itself (catalog URLs and links are built from it).
 * - `segments`: the decoded path segments under the service prefix (`/compute/v2.1/servers/x` → `["servers","x"]`).
 * - `token`: the caller's `X-Auth-Token` checked (401 when missing, unknown, expired or revoked).
 *
 * @since 0.1.0
 */
export interface Ctx {
  readonly method: string
  readonly url: URL
  readonly origin: string
  readonly segments: ReadonlyArray<string>
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly now: number
  readonly text: Effect.Effect<string, SimError>
  readonly json: Effect.Effect<unknown, SimError>
  readonly token: Effect.Effect<TokenRecord, SimError>
}

/**
 * A service's handler.
 *
 * @since 0.1.0
 */
export type Handler = (ctx: Ctx) => Effect.Effect<HttpServerResponse.HttpServerResponse, SimError>

/**
 * A fresh UUID.
 *
 * @since 0.1.0
 */
export const uuid: Effect.Effect<string> = Effect.sync(() => randomUUID())

/**
 * A fresh Keystone-style id (32 hex digits).
 *
 * @since 0.1.0
 */
export const hexId: Effect.Effect<string> = Effect.map(uuid, (id) => id.replace(/-/g, ""))

/**
 * Runs a pure step against the latest state atomically: on Right the new state is stored and the value returned,
 * on Left nothing changes and the error is raised.
 *
 * @since 0.1.0
 */
export const transact = <A>(
  env: Env,
  f: (state: SimState) => Either.Either<readonly [A, SimState], SimError>
): Effect.Effect<A, SimError> => Store.transact(env.state, f)

/**
 * The resource object of a request body, `{"<key>": {...}}` (Neutron's, Cinder's); a body without it answers 400
 * `Resource body required`, as Neutron does.
 *
 * @since 0.1.0
 */
export const resourceBody = (ctx: Ctx, key: string): Effect.Effect<unknown, SimError> =>
  Effect.flatMap(ctx.json, (json) => {
    const body = Json.field(json, key)
    return body === undefined ? Effect.fail(simError(400, "Resource body required", "BadRequest")) : Effect.succeed(body)
  })

/**
 * The current state (already settled by the service wrapper).
 *
 * @since 0.1.0
 */
export const current = (env: Env): Effect.Effect<SimState> => Ref.get(env.state)

/**
 * A `limit` query parameter: a non-negative integer, or `undefined` when absent; 400 when malformed.
 *
 * @since 0.1.0
 */
export const limitOf = (ctx: Ctx): Either.Either<number | undefined, SimError> => {
  const raw = ctx.query.get("limit")
  if (raw === null) return Either.right(undefined)
  const limit = Number(raw)
  return Number.isInteger(limit) && limit >= 0
    ? Either.right(limit)
    : Either.left(simError(400, `limit param must be an integer`))
}

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const requestIdHeaders = (service: ServiceName, id: string, txId: string): Record<string, string> => {
  switch (service) {
    case "compute":
      return { "x-openstack-request-id": id, "x-compute-request-id": id }
    case "object-store":
      return { "x-trans-id": txId, "x-openstack-request-id": txId }
    default:
      return { "x-openstack-request-id": id }
  }
}

/**
 * One service as an app (under `/<service>`): reads the request into a {@link Ctx} (after settling the transitions due now), runs the
 * handler, renders its failures in the service's error shape and adds the service's request-id headers.
 *
 * @since 0.1.0
 */
export const serviceApp = (
  env: Env,
  service: ServiceName,
  handler: Handler
): HttpApp.Default<never, never> =>
  Effect.gen(function*() {
    const prefix = `/${service}`
    const request = yield* HttpServerRequest.HttpServerRequest
    const now = yield* Clock.currentTimeMillis
    yield* Ref.update(env.state, settle(now))
    const url = absoluteUrl(request)
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
    const segments = rest.split("/").filter((s) => s !== "").map(decode)
    const text = Effect.mapError(request.text, () => simError(400, "Could not read the request body."))
    const ctx: Ctx = {
      method: request.method,
      url,
      origin: url.origin,
      segments,
      query: url.searchParams,
      headers: request.headers,
      now,
      text,
      json: Effect.flatMap(text, (body) =>
        Either.match(Json.parse(body), {
          onLeft: () => Effect.fail(simError(400, "Malformed request body")),
          onRight: Effect.succeed
        })),
      token: Effect.flatMap(Ref.get(env.state), (state) => {
        const token = usableToken(state, request.headers["x-auth-token"], now)
        return token === undefined ? Effect.fail(unauthorized) : Effect.succeed(token)
      })
    }
    const errorContext = {
      accept: request.headers.accept ?? "",
      identityUrl: `${url.origin}/identity/v3`,
      account: service === "object-store" ? (segments[1] ?? "") : ""
    }
    const response = yield* handler(ctx).pipe(
      Effect.catchTag("SimError", (error) => Effect.succeed(toResponse(service, error, errorContext))),
      Effect.catchAllCause(() =>
        Effect.succeed(toResponse(service, simError(500, "Unexpected API Error."), errorContext))
      )
    )
    const id = `req-${yield* uuid}`
    const txId = `tx${(yield* hexId).slice(0, 21)}-${Math.floor(now / 1000).toString(16).padStart(10, "0")}`
    return HttpServerResponse.setHeaders(response, requestIdHeaders(service, id, txId))
  })

/**
 * A route of one service on core's router: `method` on `path` (the whole path, e.g. `/network/v2.0/ports/:id`),
 * answered the way the service answers (see {@link serviceApp}); the handler's `segments` are those under the
 * service's prefix.
 *
 * @since 0.1.0
 */
export const serviceRoute = (
  env: Env,
  service: ServiceName,
  method: HttpMethod.HttpMethod | "*",
  path: `/${string}`,
  handler: Handler
): HttpRouter.Route<never, never> => HttpRouter.makeRoute(method, path, serviceApp(env, service, handler))
