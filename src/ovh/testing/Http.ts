/**
 * Plumbing shared by the simulator's routes: the request as a route sees it, the route table and its matching,
 * JSON answers.
 *
 * @since 0.1.0
 */
import { Headers, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Option, type Ref } from "effect"
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
 * One route: a method on a path template (`/me/bill/{billId}`), served signed unless `open` (OVH's
 * `noAuthentication` routes).
 *
 * @since 0.1.0
 */
export interface Route {
  readonly method: string
  readonly segments: ReadonlyArray<string>
  readonly open: boolean
  readonly handle: Handler
}

/**
 * Declares a route.
 *
 * @since 0.1.0
 */
export const route = (method: string, template: string, handle: Handler, options?: { readonly open?: boolean }): Route => ({
  method,
  segments: template.split("/").slice(1),
  open: options?.open === true,
  handle
})

/**
 * The route answering `method` on `path`, and the path's parameters.
 *
 * @since 0.1.0
 */
export const match = (
  routes: ReadonlyArray<Route>,
  method: string,
  path: string
): Option.Option<{ readonly route: Route; readonly params: Readonly<Record<string, string>> }> => {
  const parts = path.split("/").slice(1)
  for (const candidate of routes) {
    if (candidate.method !== method || candidate.segments.length !== parts.length) continue
    const params: Record<string, string> = {}
    const fits = candidate.segments.every((segment, i) => {
      const part = parts[i] ?? ""
      if (segment.startsWith("{") && segment.endsWith("}")) {
        params[segment.slice(1, -1)] = safeDecode(part)
        return part !== ""
      }
      return segment === part
    })
    if (fits) return Option.some({ route: candidate, params })
  }
  return Option.none()
}

const safeDecode = (part: string): string => {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/**
 * A JSON answer.
 *
 * @since 0.1.0
 */
export const json = (body: unknown, status = 200): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body, { status, headers: Headers.fromInput({ "cache-control": "no-cache, no-store" }) })

/**
 * The body as a JSON object; a body that is not one is refused naming the problem.
 *
 * @since 0.1.0
 */
export const bodyObject = (ctx: Ctx): Effect.Effect<Readonly<Record<string, unknown>>, SimError> => {
  if (ctx.text.trim() === "") return Effect.succeed({})
  try {
    const parsed: unknown = JSON.parse(ctx.text)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? Effect.succeed(Object.fromEntries(Object.entries(parsed)))
      : Effect.fail(badRequest("The request body must be a JSON object"))
  } catch {
    return Effect.fail(badRequest("The request body is not valid JSON"))
  }
}

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
