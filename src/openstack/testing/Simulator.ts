/**
 * The OpenStack simulator: Keystone, Nova, Glance, Neutron and Swift in memory, every service on ONE origin under a
 * path prefix (`/identity`, `/compute`, `/image`, `/network`, `/object-store`) mounted on core's router, on core's
 * simulator shell (journal → faults, in the shape of the service the path names → service); usable in-process
 * (`layer`) or on 127.0.0.1 (`serve`).
 *
 * @since 0.1.0
 */
import { type HttpClient, HttpRouter, type HttpServerError } from "@effect/platform"
import { Clock, Context, type Duration, Effect, type Layer, Redacted, type Scope } from "effect"
import { pathnameOf } from "../../core/testing/Faults.js"
import { json } from "../../core/testing/Http.js"
import * as Router from "../../core/testing/Router.js"
import * as Shell from "../../core/testing/Shell.js"
import * as Store from "../../core/testing/Store.js"
import { millis } from "../../core/testing/Transitions.js"
import type { OpenStackOptions } from "../Config.js"
import { credentials, levers, type SimulatorControl, type SimulatorCredentials, type SimulatorState, views } from "./Control.js"
import { faultBodiesFor, keystoneBody, serviceAt, type ServiceName } from "./Errors.js"
import { glance } from "./Glance.js"
import { type Env, type Handler, serviceApp } from "./Http.js"
import { keystone } from "./Keystone.js"
import { neutron } from "./Neutron.js"
import { nova } from "./Nova.js"
import { seed } from "./Seed.js"
import { settle } from "./State.js"
import { swift } from "./Swift.js"

/**
 * Options of {@link make}: `password`, every seeded user's (default `"secret"`); `appCredentialSecret`, the seeded
 * application credential's (default: the password); `tokenLifetime` on the Effect `Clock` (default 1 hour);
 * `buildDuration`, BUILD → ACTIVE (default 2 seconds); `actionDuration`, start/stop/reboot (default 1 second);
 * `deleteDuration`, how long a deleted server lingers in `deleting` (default 0); `maxInstances`, each project's
 * instance quota (default 10).
 *
 * @since 0.1.0
 */
export interface MakeOptions {
  readonly password?: string
  readonly appCredentialSecret?: string
  readonly tokenLifetime?: Duration.DurationInput
  readonly buildDuration?: Duration.DurationInput
  readonly actionDuration?: Duration.DurationInput
  readonly deleteDuration?: Duration.DurationInput
  readonly maxInstances?: number
}

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

/**
 * The origin the in-process simulator is usually addressed at (any origin works in-process; catalog URLs follow the
 * request's origin).
 *
 * @since 0.1.0
 */
export const defaultOrigin = "http://openstack.simulator"

/**
 * The auth URL of a simulator at `origin` (default {@link defaultOrigin}): `<origin>/identity/v3`.
 *
 * @since 0.1.0
 */
export const authUrlOf = (origin: string = defaultOrigin): string => `${origin}/identity/v3`

const services: ReadonlyArray<readonly [ServiceName, (env: Env) => Handler]> = [["identity", keystone], ["compute", nova], ["image", glance], ["network", neutron], ["object-store", swift]]

/**
 * Creates a fresh simulator with the devstack-like seed (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<OpenStackSimulator> =>
  Effect.gen(function*() {
    const password = options?.password ?? "secret"
    const appCredentialSecret = options?.appCredentialSecret ?? password
    const settings = {
      tokenLifetimeMs: millis(options?.tokenLifetime ?? "1 hour"),
      buildMs: millis(options?.buildDuration ?? "2 seconds"),
      createDelayMs: 0,
      actionMs: millis(options?.actionDuration ?? "1 second"),
      deleteMs: millis(options?.deleteDuration ?? 0),
      maxInstances: options?.maxInstances ?? 10
    }
    const store = yield* Store.make(seed({ password, appCredentialSecret, now: yield* Clock.currentTimeMillis, settings }), settle)
    const env: Env = { state: store.ref }
    const mounted = (service: ServiceName, handler: (env: Env) => Handler) => serviceApp(env, service, `/${service}`, handler(env))
    const router = services.reduce((r, [service, handler]) => HttpRouter.mountApp(r, `/${service}`, mounted(service, handler), { includePrefix: true }), HttpRouter.empty)
    const failure = Effect.succeed(json(keystoneBody(500, "Unexpected API Error."), 500))
    const routed = yield* Router.fromRouter(router, { notFound: mounted("identity", keystone), failure })
    const wired = yield* Shell.wire(routed, (request) => faultBodiesFor(serviceAt(pathnameOf(request.url))))
    return { ...wired, state: views(store), control: levers(store), credentials: credentials(password, appCredentialSecret) }
  })

/**
 * Client options for the seeded `demo` user on project `demo` (password auth by name in domain `Default`), at
 * `authUrl` (default {@link authUrlOf}()).
 *
 * @since 0.1.0
 */
export const clientOptions = (credentials: SimulatorCredentials, authUrl: string = authUrlOf()): OpenStackOptions => ({
  authUrl,
  auth: {
    type: "password",
    user: { name: credentials.username, domain: { name: credentials.userDomainName } },
    password: Redacted.make(credentials.password),
    scope: { project: { name: credentials.projectName, domain: { name: credentials.projectDomainName } } }
  }
})

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator under {@link OpenStackSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | OpenStackSimulator> => Shell.layer(OpenStackSimulator, make(options))

/**
 * The OS_* environment variables of the seeded `demo` user for a simulator at `authUrl`.
 *
 * @since 0.1.0
 */
export const envOf = (credentials: SimulatorCredentials, authUrl: string): Record<string, string> => ({
  OS_AUTH_URL: authUrl,
  OS_AUTH_TYPE: "password",
  OS_USERNAME: credentials.username,
  OS_PASSWORD: credentials.password,
  OS_PROJECT_NAME: credentials.projectName,
  OS_USER_DOMAIN_NAME: credentials.userDomainName,
  OS_PROJECT_DOMAIN_NAME: credentials.projectDomainName,
  OS_REGION_NAME: credentials.regionName,
  OS_INTERFACE: "public",
  OS_IDENTITY_API_VERSION: "3"
})

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
