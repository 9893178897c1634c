/**
 * The one router of every simulator: `@effect/platform`'s `HttpRouter` over the routes an API declares, with the
 * API's own answers for a path it does not serve and for an unexpected failure.
 *
 * @since 0.1.0
 */
import { HttpRouter, type HttpApp } from "@effect/platform"
import { Effect, Predicate } from "effect"

/**
 * A group of routes over what the routes share (`env`: the state and settings of one simulator). A simulator lists
 * its groups; adding one is adding it to the list.
 *
 * @since 0.1.0
 */
export type Routes<Env, E = never> = (env: Env) => Iterable<HttpRouter.Route<E, never>>

/**
 * The router's matching rules (`find-my-way` options: trailing slash, case sensitivity…).
 *
 * @since 0.1.0
 */
export type RouterConfig = Parameters<typeof HttpRouter.setRouterConfig>[0]

/**
 * Options of {@link make}.
 *
 * - `notFound`: the answer (an app, so it may look at the request) when no route matches.
 * - `failure`: the answer when a route fails or dies unexpectedly (routes render their own API errors).
 * - `config`: the router's matching rules (`find-my-way` options: trailing slash, case sensitivity…).
 *
 * @since 0.1.0
 */
export interface Options {
  readonly notFound: HttpApp.Default<never, never>
  readonly failure: HttpApp.Default<never, never>
  readonly config?: RouterConfig
}

/**
 * The groups' routes, each given `env`, as one app that always answers.
 *
 * @since 0.1.0
 */
export const make = <Env, E>(
  groups: ReadonlyArray<Routes<Env, E>>,
  env: Env,
  options: Options
): Effect.Effect<HttpApp.Default<never, never>> =>
  fromRouter(HttpRouter.fromIterable(groups.flatMap((group) => [...group(env)])), options)

/**
 * A router (routes, mounted apps) as one app that always answers.
 *
 * @since 0.1.0
 */
export const fromRouter = <E>(
  router: HttpRouter.HttpRouter<E, never>,
  options: Options
): Effect.Effect<HttpApp.Default<never, never>> =>
  Effect.map(
    HttpRouter.withRouterConfig(HttpRouter.toHttpApp(router), options.config ?? {}),
    (app): HttpApp.Default<never, never> =>
      app.pipe(
        Effect.catchAll((error) => (Predicate.isTagged(error, "RouteNotFound") ? options.notFound : options.failure)),
        Effect.catchAllCause(() => options.failure)
      )
  )
