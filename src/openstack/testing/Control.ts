/**
 * What tests have of the OpenStack simulator's state: the seeded credentials, read-only views (settled at the
 * current `Clock` time) and levers (failing the next builds, timings, quota, token revocation).
 *
 * @since 0.1.0
 */
import { type Duration, Effect } from "effect"
import type * as Store from "../../core/testing/Store.js"
import { millis } from "../../core/testing/Transitions.js"
import { SeedIds } from "./Seed.js"
import type { SimState } from "./State.js"

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
