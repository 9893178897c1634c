/**
 * The OpenStack simulator: Keystone, Nova, Glance, Neutron, Swift and Cinder in memory, every service on ONE origin
 * under a path prefix (`/identity`, `/compute`, `/image`, `/network`, `/object-store`, `/block-storage`) routed by core's router, on core's
 * simulator shell (journal → faults, in the shape of the service the path names → service); usable in-process
 * (`layer`) or on 127.0.0.1 (`serve`).
 *
 * @since 0.1.0
 */
import { type HttpClient, type HttpServerError, HttpServerRequest } from "@effect/platform"
import { pathnameOf } from "../../core/testing/Faults.js"
import { Clock, Context, Effect, type Layer, type Scope } from "effect"
import * as Router from "../../core/testing/Router.js"
import * as Shell from "../../core/testing/Shell.js"
import * as Store from "../../core/testing/Store.js"
import { cinder } from "./Cinder.js"
import { authUrlOf, credentials, envOf, levers, type MakeOptions, settingsOf, type SimulatorControl, type SimulatorCredentials, type SimulatorState, views } from "./Control.js"
import { faultWording, serviceAt, type ServiceName, serviceNames, unexpectedError } from "./Errors.js"
import { glance } from "./Glance.js"
import { type Env, type Handler, serviceApp, serviceRoute } from "./Http.js"
import { keystone } from "./Keystone.js"
import { neutron } from "./Neutron.js"
import { nova } from "./Nova.js"
import { seed } from "./Seed.js"
import { settle } from "./State.js"
import { swift } from "./Swift.js"

/**
 * Options of {@link make} (see `Control.MakeOptions`).
 *
 * @since 0.1.0
 */
export type { MakeOptions } from "./Control.js"

/**
 * A running simulator: the wired `app`, its `faults` (error bodies in the shape of the service the path names) and
 * `journal`, views of its state, levers and the seeded credentials.
 *
 * @since 0.1.0
 */
export interface OpenStackSimulator extends Shell.Wired {
  readonly state: SimulatorState
  readonly control: SimulatorControl
  readonly credentials: SimulatorCredentials
}

/**
 * The service tag under which {@link layer} provides the simulator.
 *
 * @since 0.1.0
 */
export const OpenStackSimulator = Context.GenericTag<OpenStackSimulator>("effect-cloud-clients/openstack/testing/OpenStackSimulator")

const handlers: Record<ServiceName, (env: Env) => Handler> = { identity: keystone, compute: nova, image: glance, network: neutron, "object-store": swift, "block-storage": cinder }

/** Every service at its prefix and below; the services' own routes (`serviceRoute`) take precedence. */
const services: Router.Routes<Env> = (env) =>
  serviceNames.flatMap((service) => (["", "/*"] as const).map((below) => serviceRoute(env, service, "*", `/${service}${below}`, handlers[service](env))))

const routes: ReadonlyArray<Router.Routes<Env>> = [services]

/**
 * Creates a fresh simulator with the devstack-like seed (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<OpenStackSimulator> =>
  Effect.gen(function*() {
    const password = options?.password ?? "secret"
    const appCredentialSecret = options?.appCredentialSecret ?? password
    const store = yield* Store.make(seed({ password, appCredentialSecret, now: yield* Clock.currentTimeMillis, settings: settingsOf(options) }), settle)
    const env: Env = { state: store.ref }
    // What the router does not match (a malformed path, say) goes by prefix as well, Keystone answering the rest.
    const byPrefix = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const service = serviceAt(pathnameOf(request.url))
      return serviceApp(env, service, handlers[service](env))
    })
    const routed = yield* Router.make(routes, env, { notFound: byPrefix, failure: Effect.succeed(unexpectedError), config: { caseSensitive: true } })
    const wired = yield* Shell.wire(routed, faultWording)
    return { ...wired, state: views(store), control: levers(store), credentials: credentials(password, appCredentialSecret) }
  })

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator under {@link OpenStackSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | OpenStackSimulator> => Shell.layer(OpenStackSimulator, make(options))

/**
 * Where a served simulator listens: `url` (`http://127.0.0.1:PORT`), `authUrl` (`<url>/identity/v3`), `env` (the
 * OS_* variables for the `demo` user) and the simulator.
 *
 * @since 0.1.0
 */
export interface ServedSimulator extends Shell.Served<OpenStackSimulator> {
  readonly authUrl: string
  readonly env: Record<string, string>
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port) for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (options?: { readonly port?: number } & MakeOptions): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.map(Shell.serve(make(options), options), (served) => {
    const authUrl = authUrlOf(served.url)
    return { ...served, authUrl, env: envOf(served.simulator.credentials, authUrl) }
  })
