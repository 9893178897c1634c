/**
 * How the simulator's routes are written: the request as a route sees it, route declarations (served by core's
 * router, see `Gateway`), JSON answers and body readers.
 *
 * @since 0.1.0
 */
import type { HttpServerResponse } from "@effect/platform"
import { Effect, Either, type Ref } from "effect"
import * as Http from "../../core/testing/Http.js"
import * as Json from "../../core/testing/Json.js"
import * as Store from "../../core/testing/Store.js"
import { badRequest, notFound, type SimError } from "./Errors.js"
import { type ApplicationRecord, type CredentialRecord, replaceAt, type SimState } from "./State.js"

/**
 * What every route of one simulator shares.
 *
 * @since 0.1.0
 */
export interface Env {
  readonly state: Ref.Ref<SimState>
}

/**
 * Who is calling: a consumer key of an application (signed call), an OAuth2 bearer token, or nobody (routes OVH
 * serves without authentication).
 *
 * @since 0.1.0
 */
export type Caller =
  | { readonly _tag: "Signed"; readonly application: ApplicationRecord; readonly credential: CredentialRecord }
  | { readonly _tag: "Bearer"; readonly clientId: string }
  | { readonly _tag: "Anonymous"; readonly application: ApplicationRecord | undefined }

/**
 * The request as a route sees it.
 *
 * - `origin`: `http(s)://host[:port]` of the request (validation URLs are built from it).
 * - `path`: the path under the API version (`/1.0/me/bill` and `/v1/me/bill` → `/me/bill`), decoded per segment in
 *   `params`.
 * - `signedUrl`: the path and query exactly as received, for signature checks.
 * - `now`: the Effect `Clock` in milliseconds; `text`: the body as received.
 *
 * @since 0.1.0
 */
export interface Ctx {
  readonly method: string
  readonly origin: string
  readonly path: string
  readonly signedUrl: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly now: number
  readonly text: string
  readonly caller: Caller
}

/**
 * A route's handler.
 *
 * @since 0.1.0
 */
export type Handler = (ctx: Ctx, env: Env) => Effect.Effect<HttpServerResponse.HttpServerResponse, SimError>

/**
 * One route: a method on a path template under the API version (`/me/bill/{billId}`), served signed unless `open`
 * (OVH's `noAuthentication` routes).
 *
 * @since 0.1.0
 */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly template: string
  readonly open: boolean
  readonly handle: Handler
}

/**
 * Declares a route.
 *
 * @since 0.1.0
 */
export const route = (
  method: Route["method"],
  template: string,
  handle: Handler,
  options?: { readonly open?: boolean }
): Route => ({
  method,
  template,
  open: options?.open === true,
  handle
})

/**
 * A JSON answer.
 *
 * @since 0.1.0
 */
export const json = (body: unknown, status = 200): HttpServerResponse.HttpServerResponse =>
  Http.json(body, status, { "cache-control": "no-cache, no-store" })

/**
 * The body as a JSON object; a body that is not one is refused naming the problem.
 *
 * @since 0.1.0
 */
export const bodyObject = (ctx: Ctx): Effect.Effect<Readonly<Record<string, unknown>>, SimError> =>
  Either.match(Json.parse(ctx.text), {
    onLeft: () => Effect.fail(badRequest("The request body is not valid JSON")),
    onRight: (parsed) =>
      Json.isObject(parsed)
        ? Effect.succeed(Object.fromEntries(Object.entries(parsed)))
        : Effect.fail(badRequest("The request body must be a JSON object"))
  })

/**
 * A required string field of a body, or a refusal naming it.
 *
 * @since 0.1.0
 */
export const requiredString = (body: Readonly<Record<string, unknown>>, name: string): Effect.Effect<string, SimError> => {
  const value = body[name]
  return typeof value === "string" && value !== ""
    ? Effect.succeed(value)
    : Effect.fail(badRequest(value === undefined ? `[${name}] Property is mandatory` : `[${name}] Invalid value: a string is expected`))
}

/**
 * The record `find` picks from the state, or OVH's 404.
 *
 * @since 0.1.0
 */
export const found = <A>(env: Env, find: (state: SimState) => A | undefined, what = "This service does not exist"): Effect.Effect<A, SimError> =>
  Effect.flatMap(env.state.get, (state) => {
    const record = find(state)
    return record === undefined ? Effect.fail(notFound(what)) : Effect.succeed(record)
  })

/**
 * Applies `f` atomically to the first record of a list of the state that `find` picks (404 when none), handing it a
 * fresh id from the state's counter; `f` answers the value and the record's new version, or a refusal.
 *
 * @since 0.1.0
 */
export const updateOne = <R, A>(
  env: Env,
  list: { readonly get: (state: SimState) => ReadonlyArray<R>; readonly set: (state: SimState, list: ReadonlyArray<R>) => SimState },
  find: (record: R) => boolean,
  f: (record: R, id: number, state: SimState) => Either.Either<readonly [A, R], SimError>
): Effect.Effect<A, SimError> =>
  Store.transact(env.state, (state) => {
    const records = list.get(state)
    const index = records.findIndex(find)
    const record = records[index]
    if (record === undefined) return Either.left(notFound())
    return Either.map(f(record, state.nextId, state), ([value, next]) =>
      [value, list.set({ ...state, nextId: state.nextId + 1 }, replaceAt(records, index, () => next))] as const)
  })
