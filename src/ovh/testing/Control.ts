/**
 * What tests have of the OVH simulator's state: the seeded keys and the client options and `OVH_*` variables made
 * of them, and levers (clock skew, consumer keys and their validation, OAuth2 token expiry, burst locks).
 *
 * @since 0.1.0
 */
import { Clock, type Duration, Effect, Redacted } from "effect"
import type * as Store from "../../core/testing/Store.js"
import { millis } from "../../core/testing/Transitions.js"
import type { OvhOptions } from "../Config.js"
import type { AccessRule } from "../ConsumerKey.js"
import { addCredential, decide } from "./Auth.js"
import type { SimError } from "./Errors.js"
import { SeedKeys } from "./Seed.js"
import type { CredentialRecord, SimState } from "./State.js"

/**
 * The seeded keys: an application key and secret with a validated full-access consumer key, and an OAuth2 service
 * account.
 *
 * @since 0.1.0
 */
export interface SimulatorKeys {
  readonly applicationKey: string
  readonly applicationSecret: string
  readonly consumerKey: string
  readonly clientId: string
  readonly clientSecret: string
}

/**
 * The seeded keys of every simulator.
 *
 * @since 0.1.0
 */
export const keys: SimulatorKeys = {
  applicationKey: SeedKeys.applicationKey,
  applicationSecret: SeedKeys.applicationSecret,
  consumerKey: SeedKeys.consumerKey,
  clientId: SeedKeys.oauth2ClientId,
  clientSecret: SeedKeys.oauth2ClientSecret
}

/**
 * The origin the in-process simulator is usually addressed at; its API is at `<origin>/1.0`.
 *
 * @since 0.1.0
 */
export const defaultOrigin = "http://ovh.simulator"

/**
 * Client options for the seeded full-access key at `endpoint` (default `<defaultOrigin>/1.0`); `oauth2` gives the
 * service account's client id and secret instead.
 *
 * @since 0.1.0
 */
export const clientOptions = (keys: SimulatorKeys, endpoint = `${defaultOrigin}/1.0`, mode: "signature" | "oauth2" = "signature"): OvhOptions =>
  mode === "oauth2"
    ? { endpoint, clientId: keys.clientId, clientSecret: Redacted.make(keys.clientSecret) }
    : { endpoint, applicationKey: keys.applicationKey, applicationSecret: Redacted.make(keys.applicationSecret), consumerKey: Redacted.make(keys.consumerKey) }

/**
 * The `OVH_*` variables of the seeded full-access key for a simulator whose API is at `endpoint`.
 *
 * @since 0.1.0
 */
export const envOf = (keys: SimulatorKeys, endpoint: string): Record<string, string> => ({
  OVH_ENDPOINT: endpoint,
  OVH_APPLICATION_KEY: keys.applicationKey,
  OVH_APPLICATION_SECRET: keys.applicationSecret,
  OVH_CONSUMER_KEY: keys.consumerKey
})

/**
 * Levers for tests.
 *
 * - `setClockSkew`: the server's clock runs `seconds` ahead of the Effect `Clock` (negative: behind).
 * - `addConsumerKey`: a key of the seeded application with these rules (validated unless `status` says otherwise).
 * - `validate` / `refuse`: what the user does on the validation page of a pending key (`expiresIn`: its lifetime).
 * - `expireTokens`: every OAuth2 token handed out so far stops working.
 * - `setBurstLocked`: a server's burst becomes `inactiveLocked` (changes are refused).
 *
 * @since 0.1.0
 */
export interface SimulatorControl {
  readonly setClockSkew: (seconds: number) => Effect.Effect<void>
  readonly addConsumerKey: (
    rules: ReadonlyArray<AccessRule>,
    options?: { readonly status?: CredentialRecord["status"]; readonly expiresIn?: Duration.DurationInput }
  ) => Effect.Effect<string>
  readonly validate: (consumerKey: string, options?: { readonly expiresIn?: Duration.DurationInput }) => Effect.Effect<void, SimError>
  readonly refuse: (consumerKey: string) => Effect.Effect<void, SimError>
  readonly expireTokens: Effect.Effect<void>
  readonly setBurstLocked: (serviceName: string) => Effect.Effect<void>
}

/**
 * The levers on a store.
 *
 * @since 0.1.0
 */
export const levers = (store: Store.Store<SimState>): SimulatorControl => {
  const env = { state: store.ref }
  const settleKey = (consumerKey: string, accept: boolean, expiresIn: Duration.DurationInput | undefined) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) =>
      Effect.asVoid(decide(env, (c) => c.consumerKey === consumerKey, {
        accept,
        expiration: expiresIn === undefined ? null : at + millis(expiresIn)
      })))
  return {
    setClockSkew: (seconds) => store.update((s) => ({ ...s, settings: { ...s.settings, clockSkewSeconds: seconds } })),
    addConsumerKey: (rules, o) =>
      Effect.flatMap(Clock.currentTimeMillis, (at) =>
        Effect.map(
          addCredential(env, {
            applicationId: SeedKeys.applicationId,
            status: o?.status ?? "validated",
            rules,
            allowedIPs: null,
            now: at,
            expiration: o?.expiresIn === undefined ? null : at + millis(o.expiresIn),
            redirection: null
          }),
          (added) => added.consumerKey
        )),
    validate: (consumerKey, o) => settleKey(consumerKey, true, o?.expiresIn),
    refuse: (consumerKey) => settleKey(consumerKey, false, undefined),
    expireTokens: store.update((s) => ({ ...s, tokens: [] })),
    setBurstLocked: (serviceName) =>
      store.update((s) => ({
        ...s,
        servers: s.servers.map((r) => (r.detail.name === serviceName ? { ...r, burst: { ...r.burst, status: "inactiveLocked" } } : r))
      }))
  }
}
