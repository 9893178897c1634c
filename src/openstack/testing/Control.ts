/**
 * What tests have of the OpenStack simulator's state: the options and settings it is made with, the seeded
 * credentials and the client options and OS_* variables made of them, read-only views (settled at the current
 * `Clock` time) and levers (failing the next builds, timings, quota, token revocation).
 *
 * @since 0.1.0
 */
import { type Duration, Effect, Redacted } from "effect"
import type * as Store from "../../core/testing/Store.js"
import { millis } from "../../core/testing/Transitions.js"
import type { OpenStackOptions } from "../Config.js"
import { SeedIds } from "./Seed.js"
import type { SimState } from "./State.js"

/**
 * Options of the simulator's `make`: `password`, every seeded user's (default `"secret"`); `appCredentialSecret`, the seeded
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
 * The settings of a simulator made with `options`.
 *
 * @since 0.1.0
 */
export const settingsOf = (options: MakeOptions | undefined): SimState["settings"] => ({
  tokenLifetimeMs: millis(options?.tokenLifetime ?? "1 hour"),
  buildMs: millis(options?.buildDuration ?? "2 seconds"),
  createDelayMs: 0,
  actionMs: millis(options?.actionDuration ?? "1 second"),
  deleteMs: millis(options?.deleteDuration ?? 0),
  maxInstances: options?.maxInstances ?? 10
})

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
 * The seeded credentials with the password and application credential secret the simulator was made with.
 *
 * @since 0.1.0
 */
export const credentials = (password: string, applicationCredentialSecret: string): SimulatorCredentials => ({
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
  applicationCredentialSecret
})

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
 * Read-only views of the state for tests; each first settles the transitions due at the current `Clock` time.
 *
 * @since 0.1.0
 */
export interface SimulatorState
  extends Store.Views<SimState, "servers" | "images" | "networks" | "subnets" | "containers" | "tokens">
{
  readonly snapshot: Effect.Effect<SimState>
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
 * The views of a store.
 *
 * @since 0.1.0
 */
export const views = (store: Store.Store<SimState>): SimulatorState => ({
  snapshot: store.settled,
  servers: store.view((s) => s.servers),
  images: store.view((s) => s.images),
  networks: store.view((s) => s.networks),
  subnets: store.view((s) => s.subnets),
  containers: store.view((s) => s.containers),
  tokens: store.view((s) => s.tokens)
})

/**
 * The levers on a store.
 *
 * @since 0.1.0
 */
export const levers = (store: Store.Store<SimState>): SimulatorControl => {
  const setting = (change: (settings: SimState["settings"]) => SimState["settings"]) =>
    store.update((s) => ({ ...s, settings: change(s.settings) }))
  return {
    failNextServer: (o) =>
      store.update((s) => ({
        ...s,
        armedServerFaults: [
          ...s.armedServerFaults,
          ...Array.from({ length: o?.count ?? 1 }, () => o?.message ?? "No valid host was found. ")
        ]
      })),
    setBuildDuration: (d) => setting((s) => ({ ...s, buildMs: millis(d) })),
    setCreateDelay: (d) => setting((s) => ({ ...s, createDelayMs: millis(d) })),
    setMaxInstances: (max) => setting((s) => ({ ...s, maxInstances: max })),
    setTokenLifetime: (d) => setting((s) => ({ ...s, tokenLifetimeMs: millis(d) })),
    revokeTokens: store.update((s) => ({ ...s, tokens: s.tokens.map((t) => ({ ...t, revoked: true })) })),
    settle: Effect.asVoid(store.settled)
  }
}
