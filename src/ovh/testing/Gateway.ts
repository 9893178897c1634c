/**
 * OVH's gateway in front of the simulator's routes: each declared route served under `/1.0` and `/v1` on core's
 * router (case-sensitive, no trailing slash forgiven), the request read into a route's `Ctx`, the signature or
 * token checked before a signed route runs, OVH's error answers, and the OAuth2 token endpoint and consumer-key
 * validation page outside the versioned API.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { Clock, Effect } from "effect"
import { randomUUID } from "node:crypto"
import * as Http from "../../core/testing/Http.js"
import type * as Router from "../../core/testing/Router.js"
import { authenticate, namedApplication } from "./Auth.js"
import { apiError, Refusal, type SimError } from "./Errors.js"
import { type Caller, type Ctx, type Env, json, type Route } from "./Http.js"
import { token, validationPage } from "./Login.js"

const anonymous: Caller = { _tag: "Anonymous", application: undefined }

/** The request line's path and query exactly as received (in-process requests carry the whole URL). */
const receivedPathAndQuery = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "")

const contextOf: Effect.Effect<Ctx, never, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const url = Http.absoluteUrl(request)
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  const now = yield* Clock.currentTimeMillis
  return {
    method: request.method.toUpperCase(),
    origin: url.origin,
    path: url.pathname,
    signedUrl: receivedPathAndQuery(request.url),
    params: {},
    query: url.searchParams,
    headers: request.headers,
    now,
    text,
    caller: anonymous
  }
})

const answered = <R>(
  handled: Effect.Effect<HttpServerResponse.HttpServerResponse, SimError, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
  Effect.catchAll(handled, (error) => Effect.succeed(json(error.body, error.status)))

const served = (route: Route, env: Env) =>
  Effect.gen(function*() {
    const base = yield* contextOf
    const params = yield* HttpRouter.params
    // The router reads an empty segment as none (`/me/bill//details` as `/me/bill/details`); OVH has no route there.
    if (base.path.includes("//")) return yield* Refusal.noRoute
    const ctx: Ctx = {
      ...base,
      path: base.path.replace(/^\/(?:1\.0|v1)/, ""),
      params: Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])))
    }
    const caller: Caller = route.open
      ? { _tag: "Anonymous", application: yield* namedApplication(ctx, env) }
      : yield* authenticate(ctx, env)
    return yield* route.handle({ ...ctx, caller }, env)
  })

/**
 * The routes as core router routes: each under `/1.0` and `/v1` (`{name}` templates become path parameters), and
 * the endpoints outside the versioned API.
 *
 * @since 0.1.0
 */
export const gateway = (routes: ReadonlyArray<Route>): Router.Routes<Env> => (env) => [
  HttpRouter.makeRoute("POST", "/auth/oauth2/token", answered(Effect.flatMap(contextOf, (ctx) => token(ctx, env)))),
  ...(["/auth", "/auth/"] as const).map((path) =>
    HttpRouter.makeRoute("*", path, answered(Effect.flatMap(contextOf, (ctx) => validationPage(ctx, env))))
  ),
  ...routes.flatMap((route) =>
    (["/1.0", "/v1"] as const).map((version) =>
      HttpRouter.makeRoute(route.method, `${version}${route.template.replace(/\{([^}]+)\}/g, ":$1")}`, answered(served(route, env)))
    )
  )
]

/**
 * How the router matches and answers what it does not serve: OVH's paths are case-sensitive and a trailing slash
 * is another path; no route is OVH's "invalid URL" 404; an unexpected failure a `Server::InternalServerError`.
 *
 * @since 0.1.0
 */
export const routerOptions: Router.Options = {
  notFound: Effect.succeed(json(Refusal.noRoute.body, Refusal.noRoute.status)),
  failure: Effect.succeed(json(apiError(500, "Server::InternalServerError", "Internal server error").body, 500)),
  config: { caseSensitive: true, ignoreTrailingSlash: false }
}

/**
 * Adds the query id OVH puts on every answer.
 *
 * @since 0.1.0
 */
export const withQueryId = (app: HttpApp.Default<never, never>): HttpApp.Default<never, never> =>
  Effect.map(app, (response) => HttpServerResponse.setHeader(response, "x-ovh-queryid", `EU.sim.${randomUUID()}`))
