/**
 * The OVH simulator: the API under `/1.0` (and `/v1`), the OAuth2 token endpoint and the consumer-key validation
 * page, with OVH's signature, time-window and access-rule checks, on core's simulator shell (one router, journal →
 * faults → OVH); usable in-process (`layer`) or on 127.0.0.1 (`serve`, HTTP or HTTPS).
 *
 * @since 0.1.0
 */
import type { HttpClient, HttpServerError } from "@effect/platform"
import { Clock, Context, type Duration, Effect, type Layer, type Scope } from "effect"
import * as Router from "../../core/testing/Router.js"
import type { ServeOptions } from "../../core/testing/Serve.js"
import * as Shell from "../../core/testing/Shell.js"
import * as Store from "../../core/testing/Store.js"
import { millis } from "../../core/testing/Transitions.js"
import { authRoutes } from "./Auth.js"
import { envOf, keys, levers, type SimulatorControl, type SimulatorKeys } from "./Control.js"
import { faultBodies } from "./Errors.js"
import { gateway, routerOptions, withQueryId } from "./Gateway.js"
import { accountRoutes } from "./RoutesAccount.js"
import { applicationRoutes } from "./RoutesApplications.js"
import { dedicatedRoutes } from "./RoutesDedicated.js"
import { emailRoutes } from "./RoutesEmail.js"
import { seed } from "./Seed.js"
import type { SimState } from "./State.js"

/**
 * Options of {@link make}: `timeWindow`, how far `X-Ovh-Timestamp` may be from the server's clock (default 3
 * minutes; OVH does not publish its own); `ipmiDelay`, how long an IPMI access takes to prepare (default 5 seconds);
 * `tokenLifetime`, of OAuth2 bearer tokens (default 3,599 seconds, as OVH hands them out); `bills`, how many monthly
 * bills the account has (default 24).
 *
 * @since 0.1.0
 */
export interface MakeOptions {
  readonly timeWindow?: Duration.DurationInput
  readonly ipmiDelay?: Duration.DurationInput
  readonly tokenLifetime?: Duration.DurationInput
  readonly bills?: number
}

/**
 * A running simulator: the wired `app` (journal → faults → OVH), its `faults` (error bodies in OVH's `class`
 * family) and `journal`, the state, the levers and the seeded keys.
 *
 * @since 0.1.0
 */
export interface OvhSimulator extends Shell.Wired {
  readonly state: Effect.Effect<SimState>
  readonly control: SimulatorControl
  readonly keys: SimulatorKeys
}

/**
 * The service tag under which {@link layer} provides the simulator.
 *
 * @since 0.1.0
 */
export const OvhSimulator = Context.GenericTag<OvhSimulator>("effect-cloud-clients/ovh/testing/OvhSimulator")

const routes = gateway([...authRoutes, ...accountRoutes, ...dedicatedRoutes, ...emailRoutes, ...applicationRoutes])

/**
 * Creates a fresh simulator with the seed (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<OvhSimulator> =>
  Effect.gen(function*() {
    const seconds = (d: Duration.DurationInput) => Math.floor(millis(d) / 1000)
    const store = yield* Store.make(seed({
      now: yield* Clock.currentTimeMillis,
      ...(options?.bills === undefined ? {} : { bills: options.bills }),
      settings: {
        timeWindowSeconds: seconds(options?.timeWindow ?? "3 minutes"),
        clockSkewSeconds: 0,
        ipmiDelayMs: millis(options?.ipmiDelay ?? "5 seconds"),
        tokenLifetimeSeconds: seconds(options?.tokenLifetime ?? "3599 seconds")
      }
    }))
    const ovh = yield* Router.make([routes], { state: store.ref }, routerOptions)
    const wired = yield* Shell.wire(withQueryId(ovh), faultBodies)
    return { ...wired, state: store.view((s) => s), control: levers(store), keys }
  })

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator under {@link OvhSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | OvhSimulator> => Shell.layer(OvhSimulator, make(options))

/**
 * A served simulator: `url` (`http(s)://127.0.0.1:PORT`), `endpoint` (`<url>/1.0`), `env` (the `OVH_*` variables),
 * `port` and the simulator.
 *
 * @since 0.1.0
 */
export interface ServedSimulator extends Shell.Served<OvhSimulator> {
  readonly endpoint: string
  readonly env: Record<string, string>
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port; `tls` = HTTPS with that key and certificate) for
 * the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (options?: MakeOptions & ServeOptions): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.map(Shell.serve(make(options), options), (served) => {
    const endpoint = `${served.url}/1.0`
    return { ...served, endpoint, env: envOf(served.simulator.keys, endpoint) }
  })
