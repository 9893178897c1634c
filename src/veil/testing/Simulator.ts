/**
 * The VeiL ECP simulator: an in-memory ECP answering the REST API under `/api/` (veil.md) on core's simulator shell
 * (one router, journal → faults → ECP), usable in-process (`layer`) or on 127.0.0.1 (`serve`).
 *
 * @since 0.1.0
 */
import { type HttpClient, HttpServerRequest, type HttpServerError } from "@effect/platform"
import { Context, Duration, Effect, type Layer, type Scope } from "effect"
import { pathnameOf } from "../../core/testing/Faults.js"
import * as Router from "../../core/testing/Router.js"
import type { ServeOptions } from "../../core/testing/Serve.js"
import * as Shell from "../../core/testing/Shell.js"
import * as Store from "../../core/testing/Store.js"
import { defaultToken, normaliseToken } from "./Auth.js"
import { levers, type SimulatorControl, type SimulatorState, views } from "./Control.js"
import { faultBodies, internalError, toResponse, urlNotFound } from "./Errors.js"
import type { SimEnv } from "./Http.js"
import { makeIdempotency } from "./Idempotency.js"
import { domainActionRoutes } from "./RoutesDomainActions.js"
import { domainRoutes } from "./RoutesDomains.js"
import { inventoryRoutes } from "./RoutesInventory.js"
import { isoRoutes } from "./RoutesIso.js"
import { tagRoutes } from "./RoutesTags.js"
import { taskRoutes } from "./RoutesTasks.js"
import { seed } from "./Seed.js"
import { settle } from "./Tasks.js"

/**
 * Options of {@link make}: `token`, the accepted `Authorization` value (the `jwt ` prefix is added when missing;
 * default {@link defaultToken}); `taskDuration`, how long every task takes on the Effect clock (default 3 seconds);
 * `domains`, how many ordinary domains to seed (default 12), besides the two templates.
 *
 * @since 0.1.0
 */
export interface MakeOptions {
  readonly token?: string
  readonly taskDuration?: Duration.DurationInput
  readonly domains?: number
}

/**
 * A running simulator: the wired `app` (journal → faults → idempotency → router), its `faults` and `journal`, the
 * accepted `Authorization` header value, views of its state and levers.
 *
 * @since 0.1.0
 */
export interface VeilSimulator extends Shell.Wired {
  readonly token: string
  readonly state: SimulatorState
  readonly control: SimulatorControl
}

/**
 * The service tag under which {@link layer} provides the simulator.
 *
 * @since 0.1.0
 */
export const VeilSimulator = Context.GenericTag<VeilSimulator>("effect-cloud-clients/veil/testing/VeilSimulator")

const routes: ReadonlyArray<Router.Routes<SimEnv>> = [inventoryRoutes, domainRoutes, domainActionRoutes, taskRoutes, tagRoutes, isoRoutes]

/**
 * Creates a fresh simulator with seeded state (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<VeilSimulator> =>
  Effect.gen(function*() {
    const token = normaliseToken(options?.token ?? defaultToken)
    const taskDurationMs = Duration.toMillis(Duration.decode(options?.taskDuration ?? "3 seconds"))
    const store = yield* Store.make(seed({ domains: options?.domains ?? 12, taskDurationMs }), settle)
    const idempotency = yield* makeIdempotency(token)
    const notFound = Effect.succeed(toResponse(urlNotFound))
    const routed = yield* Router.make(routes, { state: store.ref, token }, { notFound, failure: Effect.succeed(toResponse(internalError)) })
    // ECP routes all end with "/" (veil.md §1.1); the router would forgive a missing slash, ECP does not.
    const ecp = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => (pathnameOf(request.url).endsWith("/") ? routed : notFound))
    const wired = yield* Shell.wire(idempotency.middleware(ecp), faultBodies)
    return { ...wired, token, state: views(store, idempotency.keys), control: levers(store) }
  })

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator under {@link VeilSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | VeilSimulator> => Shell.layer(VeilSimulator, make(options))

/**
 * The base URL `Raw.rawClient` uses by default for the in-process simulator (echoed in `next`/`previous` links).
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "http://ecp.simulator"

/**
 * Where a served simulator listens: `url` (`http://127.0.0.1:PORT`), `address` (`127.0.0.1:PORT`, the form VeiL
 * clients take as server address), `port`, the token and the simulator.
 *
 * @since 0.1.0
 */
export interface ServedSimulator extends Shell.Served<VeilSimulator> {
  readonly address: string
  readonly token: string
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port; `tls` for HTTPS) for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (options?: ServeOptions & MakeOptions): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.map(Shell.serve(make(options), options), (served) => ({ ...served, address: `127.0.0.1:${served.port}`, token: served.simulator.token }))
