/**
 * The OpenStack simulator: Keystone, Nova, Glance, Neutron and Swift in memory, every service on ONE origin under a
 * path prefix (`/identity`, `/compute`, `/image`, `/network`, `/object-store`), with the core kit's journal and
 * fault injection wired in; usable in-process (`layer`) or on 127.0.0.1 (`serve`).
 *
 * @since 0.1.0
 */
import { HttpClient, HttpServerRequest, type HttpApp, type HttpServerError } from "@effect/platform"
import { Clock, Context, Duration, Effect, Layer, Redacted, Ref, type Scope } from "effect"
import * as Faults from "../../core/testing/Faults.js"
import * as InProcess from "../../core/testing/InProcess.js"
import * as Journal from "../../core/testing/Journal.js"
import * as Serve from "../../core/testing/Serve.js"
import type { OpenStackOptions } from "../Config.js"
import { faultBodiesFor, type ServiceName } from "./Errors.js"
import { glance } from "./Glance.js"
import { type Env, type Handler, serviceApp } from "./Http.js"
import { keystone } from "./Keystone.js"
import { neutron } from "./Neutron.js"
import { nova } from "./Nova.js"
import { SeedIds, seed } from "./Seed.js"
import {
  type ContainerRecord,
  type ImageRecord,
  type NetworkRecord,
  type ServerRecord,
  settle,
  type SimState,
  type SubnetRecord,
  type TokenRecord
} from "./State.js"
import { swift } from "./Swift.js"

/**
 * Options of {@link make}.
 *
 * - `password`: every seeded user's password (default `"secret"`).
 * - `appCredentialSecret`: the seeded application credential's secret (default: the password).
 * - `tokenLifetime`: how long a token lives on the Effect `Clock` (default 1 hour).
 * - `buildDuration`: BUILD → ACTIVE (default 2 seconds); `actionDuration`: start/stop/reboot (default 1 second);
 *   `deleteDuration`: how long a deleted server lingers in `deleting` (default 0: it goes at once).
 * - `maxInstances`: the instance quota of each project (default 10).
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
 * The seeded credentials, as a fresh devstack has them.
 *
 * @since 0.1.0
 */
export interface SimulatorCredentials {
  readonly username: string
  readonly userId: string
  readonly adminUsername: string
  readonly adminUserId: string
  readonly password: string
  readonly projectName: string
  readonly projectId: string
  readonly adminProjectName: string
  readonly adminProjectId: string
  readonly userDomainName: string
  readonly projectDomainName: string
  readonly domainId: string
  readonly regionName: string
  readonly applicationCredentialId: string
  readonly applicationCredentialName: string
  readonly applicationCredentialSecret: string
}

/**
 * Read-only views of the state for tests; each first settles the transitions due at the current `Clock` time.
 *
 * @since 0.1.0
 */
export interface SimulatorState {
  readonly snapshot: Effect.Effect<SimState>
  readonly servers: Effect.Effect<ReadonlyArray<ServerRecord>>
  readonly images: Effect.Effect<ReadonlyArray<ImageRecord>>
  readonly networks: Effect.Effect<ReadonlyArray<NetworkRecord>>
  readonly subnets: Effect.Effect<ReadonlyArray<SubnetRecord>>
  readonly containers: Effect.Effect<ReadonlyArray<ContainerRecord>>
  readonly tokens: Effect.Effect<ReadonlyArray<TokenRecord>>
}

/**
 * Levers for tests.
 *
 * - `failNextServer`: the next server created (`count` servers, default 1) ends its build in `ERROR` with a
 *   `fault` carrying `message` (default "No valid host was found. ").
 * - `setBuildDuration`, `setMaxInstances`, `setTokenLifetime`: change timings and quota from now on.
 * - `setCreateDelay`: nova-api takes that long to answer a create, and makes the server at the end of it even when
 *   the client has hung up (as a slow nova-api does).
 * - `revokeTokens`: revokes every token issued so far (the next call with one gets 401).
 * - `settle`: settles the transitions due now (views and requests already do this).
 *
 * @since 0.1.0
 */
export interface SimulatorControl {
  readonly failNextServer: (options?: { readonly message?: string; readonly count?: number }) => Effect.Effect<void>
  readonly setBuildDuration: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly setCreateDelay: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly setMaxInstances: (max: number) => Effect.Effect<void>
  readonly setTokenLifetime: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly revokeTokens: Effect.Effect<void>
  readonly settle: Effect.Effect<void>
}

/**
 * A running simulator.
 *
 * - `app`: every service (journal → faults → service), for `InProcess.layer` or `Serve.serve`.
 * - `faults`, `journal`: the core kit's injector (error bodies in the shape of the service the path names) and
 *   journal.
 *
 * @since 0.1.0
 */
export interface OpenStackSimulator {
  readonly app: HttpApp.Default<never, never>
  readonly faults: Faults.FaultInjector
  readonly journal: Journal.Journal
  readonly state: SimulatorState
  readonly control: SimulatorControl
  readonly credentials: SimulatorCredentials
}

/**
 * The service tag under which {@link layer} provides the simulator.
 *
 * @since 0.1.0
 */
export const OpenStackSimulator = Context.GenericTag<OpenStackSimulator>(
  "effect-cloud-clients/openstack/testing/OpenStackSimulator"
)

/**
 * The origin the in-process simulator is usually addressed at (any origin works in-process; catalog URLs follow
 * the request's origin).
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

const millis = (d: Duration.DurationInput): number => Duration.toMillis(Duration.decode(d))

const prefixes: ReadonlyArray<readonly [ServiceName, string]> = [
  ["identity", "/identity"],
  ["compute", "/compute"],
  ["image", "/image"],
  ["network", "/network"],
  ["object-store", "/object-store"]
]

const serviceOf = (pathname: string): readonly [ServiceName, string] =>
  prefixes.find(([, prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`)) ?? ["identity", "/identity"]

/**
 * Creates a fresh simulator with the devstack-like seed (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<OpenStackSimulator> =>
  Effect.gen(function*() {
    const password = options?.password ?? "secret"
    const appCredentialSecret = options?.appCredentialSecret ?? password
    const now = yield* Clock.currentTimeMillis
    const state = yield* Ref.make(seed({
      password,
      appCredentialSecret,
      now,
      settings: {
        tokenLifetimeMs: millis(options?.tokenLifetime ?? "1 hour"),
        buildMs: millis(options?.buildDuration ?? "2 seconds"),
        createDelayMs: 0,
        actionMs: millis(options?.actionDuration ?? "1 second"),
        deleteMs: millis(options?.deleteDuration ?? 0),
        maxInstances: options?.maxInstances ?? 10
      }
    }))
    const env: Env = { state }
    const faults = yield* Faults.makeInjector
    const journal = yield* Journal.make
    const handlers: Record<ServiceName, Handler> = {
      identity: keystone(env),
      compute: nova(env),
      image: glance(env),
      network: neutron(env),
      "object-store": swift(env)
    }
    const apps = new Map(prefixes.map(([service, prefix]) => [
      service,
      Faults.middleware(faults, faultBodiesFor(service))(
        serviceApp(env, service, prefix, handlers[service])
      )
    ]))
    const dispatch: HttpApp.Default<never, never> = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const [service, prefix] = serviceOf(Faults.pathnameOf(request.url))
      return apps.get(service) ?? serviceApp(env, service, prefix, handlers[service])
    })
    const settled = Effect.flatMap(Clock.currentTimeMillis, (at) => Ref.updateAndGet(state, settle(at)))
    const update = (f: (s: SimState) => SimState) => Ref.update(state, f)
    return {
      app: journal.record(dispatch),
      faults,
      journal,
      state: {
        snapshot: settled,
        servers: Effect.map(settled, (s) => s.servers),
        images: Effect.map(settled, (s) => s.images),
        networks: Effect.map(settled, (s) => s.networks),
        subnets: Effect.map(settled, (s) => s.subnets),
        containers: Effect.map(settled, (s) => s.containers),
        tokens: Effect.map(settled, (s) => s.tokens)
      },
      control: {
        failNextServer: (o) =>
          update((s) => ({
            ...s,
            armedServerFaults: [
              ...s.armedServerFaults,
              ...Array.from({ length: o?.count ?? 1 }, () => o?.message ?? "No valid host was found. ")
            ]
          })),
        setBuildDuration: (d) => update((s) => ({ ...s, settings: { ...s.settings, buildMs: millis(d) } })),
        setCreateDelay: (d) => update((s) => ({ ...s, settings: { ...s.settings, createDelayMs: millis(d) } })),
        setMaxInstances: (max) => update((s) => ({ ...s, settings: { ...s.settings, maxInstances: max } })),
        setTokenLifetime: (d) => update((s) => ({ ...s, settings: { ...s.settings, tokenLifetimeMs: millis(d) } })),
        revokeTokens: update((s) => ({ ...s, tokens: s.tokens.map((t) => ({ ...t, revoked: true })) })),
        settle: Effect.asVoid(settled)
      },
      credentials: {
        username: "demo",
        userId: SeedIds.demoUserId,
        adminUsername: "admin",
        adminUserId: SeedIds.adminUserId,
        password,
        projectName: "demo",
        projectId: SeedIds.demoProjectId,
        adminProjectName: "admin",
        adminProjectId: SeedIds.adminProjectId,
        userDomainName: SeedIds.domainName,
        projectDomainName: SeedIds.domainName,
        domainId: SeedIds.domainId,
        regionName: SeedIds.regionId,
        applicationCredentialId: SeedIds.appCredentialId,
        applicationCredentialName: SeedIds.appCredentialName,
        applicationCredentialSecret: appCredentialSecret
      }
    }
  })

/**
 * Client options for the seeded `demo` user on project `demo` (password auth by name in domain `Default`), at
 * `authUrl` (default {@link authUrlOf}()).
 *
 * @since 0.1.0
 */
export const clientOptions = (
  credentials: SimulatorCredentials,
  authUrl: string = authUrlOf()
): OpenStackOptions => ({
  authUrl,
  auth: {
    type: "password",
    user: { name: credentials.username, domain: { name: credentials.userDomainName } },
    password: Redacted.make(credentials.password),
    scope: { project: { name: credentials.projectName, domain: { name: credentials.projectDomainName } } }
  }
})

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator itself under
 * {@link OpenStackSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | OpenStackSimulator> =>
  Layer.unwrapEffect(
    Effect.map(make(options), (simulator) =>
      Layer.merge(InProcess.layer(simulator.app), Layer.succeed(OpenStackSimulator, simulator)))
  )

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
export interface ServedSimulator {
  readonly url: string
  readonly authUrl: string
  readonly env: Record<string, string>
  readonly simulator: OpenStackSimulator
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port) for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (
  options?: { readonly port?: number } & MakeOptions
): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const simulator = yield* make(options)
    const served = yield* Serve.serve(simulator.app, options?.port !== undefined ? { port: options.port } : {})
    const authUrl = authUrlOf(served.url)
    return { url: served.url, authUrl, env: envOf(simulator.credentials, authUrl), simulator }
  })

