/**
 * How the simulator's routes are written: the request context, body decoding, authenticated routes that settle due
 * tasks first, and atomic state steps.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect, type Either, Option, Ref, Schema } from "effect"
import { absoluteUrl } from "../../core/testing/Http.js"
import * as Json from "../../core/testing/Json.js"
import * as Store from "../../core/testing/Store.js"
import { authorize } from "./Auth.js"
import type { RenderContext } from "./BodiesCommon.js"
import { badRequest, fromParseError, toResponse, type VeilError } from "./Errors.js"
import { isTrue } from "./Paging.js"
import type { SimState } from "./State.js"
import { settle } from "./Tasks.js"

/**
 * What every route of one simulator shares.
 *
 * @since 0.1.0
 */
export interface SimEnv {
  readonly state: Ref.Ref<SimState>
  readonly token: string
}

/**
 * The request as a handler sees it: method, absolute URL on the request's own origin (used for `next`/`previous`
 * and console URLs), query, path parameters and the virtual time of arrival.
 *
 * @since 0.1.0
 */
export interface Req {
  readonly method: string
  readonly url: URL
  readonly query: URLSearchParams
  readonly params: Readonly<Record<string, string | undefined>>
  readonly now: number
}

/**
 * Whether the request asks for an asynchronous answer (`async=1`; `async=0` or no `async` means synchronous).
 *
 * @since 0.1.0
 */
export const isAsync = (req: Req): boolean => isTrue(req.query.get("async"))

/**
 * The parsed JSON body; `{}` when the body is empty; 400 when it is not JSON.
 *
 * @since 0.1.0
 */
export const jsonBody: Effect.Effect<unknown, VeilError, HttpServerRequest.HttpServerRequest> = Json.readBody(
  (problem) =>
    problem._tag === "Unreadable"
      ? badRequest("Could not read the request body.")
      : badRequest(`JSON parse error - ${problem.message}`)
)

/**
 * The body decoded with a schema; every problem becomes a 400 entry naming its field.
 *
 * @since 0.1.0
 */
export const decodeBody = <A, I>(
  schema: Schema.Schema<A, I, never>
): Effect.Effect<A, VeilError, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(
    jsonBody,
    (body) => Effect.mapError(Schema.decodeUnknown(schema, { errors: "all" })(body), fromParseError)
  )

/**
 * Runs a pure step against the latest state atomically: on Right the new state is stored and the value returned,
 * on Left nothing changes and the error is raised.
 *
 * @since 0.1.0
 */
export const transact = <A>(
  env: SimEnv,
  f: (state: SimState) => Either.Either<readonly [A, SimState], VeilError>
): Effect.Effect<A, VeilError> => Store.transact(env.state, f)

/**
 * A response paired with the state to store (the value of a {@link transact} step).
 *
 * @since 0.1.0
 */
export const reply = (
  response: HttpServerResponse.HttpServerResponse,
  state: SimState
): readonly [HttpServerResponse.HttpServerResponse, SimState] => [response, state]

/**
 * The current state and virtual time, for rendering.
 *
 * @since 0.1.0
 */
export const renderContext = (env: SimEnv, req: Req): Effect.Effect<RenderContext> =>
  Effect.map(Ref.get(env.state), (state) => ({ state, now: req.now }))

/**
 * Settles every task due at the current `Clock` time.
 *
 * @since 0.1.0
 */
export const settleNow = (env: SimEnv): Effect.Effect<number> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.as(Ref.update(env.state, settle(now)), now))

/**
 * A route handler: gets the request context, may fail with an ECP error.
 *
 * @since 0.1.0
 */
export type Handler = (
  req: Req
) => Effect.Effect<HttpServerResponse.HttpServerResponse, VeilError, HttpServerRequest.HttpServerRequest>

/**
 * The methods the ECP API uses (veil.md §1.7: no DELETE).
 *
 * @since 0.1.0
 */
export type Method = "GET" | "POST" | "PUT"

/**
 * An authenticated route: checks the token (401 otherwise), settles due tasks, runs the handler and renders an
 * ECP error body for its failures.
 *
 * @since 0.1.0
 */
export const route = (env: SimEnv, method: Method, path: `/${string}`, handler: Handler) =>
  HttpRouter.makeRoute(
    method,
    path,
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const denied = authorize(request.headers.authorization, env.token)
      if (Option.isSome(denied)) return toResponse(denied.value)
      const now = yield* settleNow(env)
      const context = yield* HttpRouter.RouteContext
      const url = absoluteUrl(request)
      return yield* Effect.catchTag(
        handler({ method: request.method, url, query: url.searchParams, params: context.params, now }),
        "VeilError",
        (error) => Effect.succeed(toResponse(error))
      )
    })
  )

/**
 * A path parameter (always present for the routes that declare it).
 *
 * @since 0.1.0
 */
export const param = (req: Req, name: string): string => req.params[name] ?? ""
