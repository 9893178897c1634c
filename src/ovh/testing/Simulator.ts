/**
 * The OVH simulator: the API under `/1.0` (and `/v1`), the OAuth2 token endpoint and the consumer-key validation
 * page, with OVH's signature, time-window and access-rule checks, the seed's resources in memory, the core kit's
 * journal and fault injection; usable in-process (`layer`) or on 127.0.0.1 (`serve`, HTTP or HTTPS).
 *
 * @since 0.1.0
 */
import { Headers, type HttpApp, type HttpClient, HttpServerRequest, HttpServerResponse, type HttpServerError } from "@effect/platform"
import { Clock, Context, Duration, Effect, Layer, Option, Redacted, Ref, type Scope } from "effect"
import { randomUUID } from "node:crypto"
import * as Faults from "../../core/testing/Faults.js"
import * as Kit from "../../core/testing/Http.js"
import * as InProcess from "../../core/testing/InProcess.js"
import * as Journal from "../../core/testing/Journal.js"
import * as Serve from "../../core/testing/Serve.js"
import type { OvhOptions } from "../Config.js"
import type { AccessRule } from "../ConsumerKey.js"
import { addCredential, authenticate, authRoutes, decide, namedApplication } from "./Auth.js"
import { Refusal, renderError, type SimError } from "./Errors.js"
import { type Caller, type Ctx, type Env, json, match, type Route } from "./Http.js"
import { token, validationPage } from "./Login.js"
import { accountRoutes } from "./RoutesAccount.js"
import { applicationRoutes } from "./RoutesApplications.js"
import { dedicatedRoutes } from "./RoutesDedicated.js"
import { emailRoutes } from "./RoutesEmail.js"
import { seed, SeedKeys } from "./Seed.js"
import type { CredentialRecord, SimState } from "./State.js"

/**
 * Options of {@link make}.
 *
 * - `timeWindow`: how far `X-Ovh-Timestamp` may be from the server's clock (default 3 minutes; OVH does not publish
 *   its own).
 * - `ipmiDelay`: how long an IPMI access takes to prepare (default 5 seconds).
 * - `tokenLifetime`: OAuth2 bearer tokens (default 3,599 seconds, as OVH hands them out).
 * - `bills`: how many monthly bills the account has (default 24).
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
 * A running simulator: `app` (journal → faults → OVH) for `InProcess.layer` or `Serve.serve`, the fault injector
 * (error bodies in OVH's `class` family), the journal, the state, the levers and the seeded keys.
 *
 * @since 0.1.0
 */
export interface OvhSimulator {
  readonly app: HttpApp.Default<never, never>
  readonly faults: Faults.FaultInjector
  readonly journal: Journal.Journal
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

/**
 * The origin the in-process simulator is usually addressed at; its API is at `<origin>/1.0`.
 *
 * @since 0.1.0
 */
export const defaultOrigin = "http://ovh.simulator"

const millis = (d: Duration.DurationInput): number => Duration.toMillis(Duration.decode(d))

const routes: ReadonlyArray<Route> = [...authRoutes, ...accountRoutes, ...dedicatedRoutes, ...emailRoutes, ...applicationRoutes]

/** The request line's path and query exactly as received (in-process requests carry the whole URL). */
const receivedPathAndQuery = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "")

/** OVH's app, before journal and faults. */
const ovh = (env: Env): HttpApp.Default<never, never> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = Kit.absoluteUrl(request)
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    const now = yield* Clock.currentTimeMillis
    const base = {
      method: request.method.toUpperCase(),
      origin: url.origin,
      signedUrl: receivedPathAndQuery(request.url),
      params: {},
      query: url.searchParams,
      headers: request.headers,
      now,
      text
    }
    const anonymous: Caller = { _tag: "Anonymous", application: undefined }
    const outside: Ctx = { ...base, path: url.pathname, caller: anonymous }
    if (url.pathname === "/auth/oauth2/token" && base.method === "POST") return yield* token(outside, env)
    if (url.pathname === "/auth/" || url.pathname === "/auth") return yield* validationPage(outside, env)
    const versioned = /^\/(?:1\.0|v1)(\/.*)$/.exec(url.pathname)?.[1]
    if (versioned === undefined) return yield* Refusal.noRoute
    const found = match(routes, base.method, versioned)
    if (Option.isNone(found)) return yield* Refusal.noRoute
    const ctx: Ctx = { ...base, path: versioned, params: found.value.params, caller: anonymous }
    const caller: Caller = found.value.route.open
      ? { _tag: "Anonymous", application: yield* namedApplication(ctx, env) }
      : yield* authenticate(ctx, env)
    return yield* found.value.route.handle({ ...ctx, caller }, env)
  }).pipe(
    Effect.catchAll((error: SimError) => Effect.succeed(json(error.body, error.status))),
    Effect.map(HttpServerResponse.setHeaders(Headers.fromInput({ "x-ovh-queryid": `EU.sim.${randomUUID()}` })))
  )

/**
 * Creates a fresh simulator with the seed (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<OvhSimulator> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const state = yield* Ref.make(seed({
      now,
      ...(options?.bills === undefined ? {} : { bills: options.bills }),
      settings: {
        timeWindowSeconds: Math.floor(millis(options?.timeWindow ?? "3 minutes") / 1000),
        clockSkewSeconds: 0,
        ipmiDelayMs: millis(options?.ipmiDelay ?? "5 seconds"),
        tokenLifetimeSeconds: Math.floor(millis(options?.tokenLifetime ?? "3599 seconds") / 1000)
      }
    }))
    const env: Env = { state }
    const faults = yield* Faults.makeInjector
    const journal = yield* Journal.makeJournal
    const update = (f: (s: SimState) => SimState) => Ref.update(state, f)
    const settleKey = (consumerKey: string, accept: boolean, expiresIn: Duration.DurationInput | undefined) =>
      Effect.flatMap(Clock.currentTimeMillis, (at) =>
        Effect.asVoid(decide(env, (c) => c.consumerKey === consumerKey, {
          accept,
          expiration: expiresIn === undefined ? null : at + millis(expiresIn)
        })))
    return {
      app: journal.record(Faults.middleware(faults, { renderError })(ovh(env))),
      faults,
      journal,
      state: Ref.get(state),
      control: {
        setClockSkew: (seconds) => update((s) => ({ ...s, settings: { ...s.settings, clockSkewSeconds: seconds } })),
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
        expireTokens: update((s) => ({ ...s, tokens: [] })),
        setBurstLocked: (serviceName) =>
          update((s) => ({
            ...s,
            servers: s.servers.map((r) => (r.detail.name === serviceName ? { ...r, burst: { ...r.burst, status: "inactiveLocked" } } : r))
          }))
      },
      keys: {
        applicationKey: SeedKeys.applicationKey,
        applicationSecret: SeedKeys.applicationSecret,
        consumerKey: SeedKeys.consumerKey,
        clientId: SeedKeys.oauth2ClientId,
        clientSecret: SeedKeys.oauth2ClientSecret
      }
    }
  })

/**
 * Client options for the seeded full-access key at `endpoint` (default `<defaultOrigin>/1.0`); `oauth2` gives the
 * service account's client id and secret instead.
 *
 * @since 0.1.0
 */
export const clientOptions = (
  keys: SimulatorKeys,
  endpoint = `${defaultOrigin}/1.0`,
  mode: "signature" | "oauth2" = "signature"
): OvhOptions =>
  mode === "oauth2"
    ? { endpoint, clientId: keys.clientId, clientSecret: Redacted.make(keys.clientSecret) }
    : {
      endpoint,
      applicationKey: keys.applicationKey,
      applicationSecret: Redacted.make(keys.applicationSecret),
      consumerKey: Redacted.make(keys.consumerKey)
    }

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator under
 * {@link OvhSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | OvhSimulator> =>
  Layer.unwrapEffect(
    Effect.map(make(options), (simulator) => Layer.merge(InProcess.layer(simulator.app), Layer.succeed(OvhSimulator, simulator)))
  )

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
 * A served simulator: `url` (`http(s)://127.0.0.1:PORT`), `endpoint` (`<url>/1.0`), `env` (the `OVH_*` variables),
 * `port` and the simulator.
 *
 * @since 0.1.0
 */
export interface ServedSimulator {
  readonly url: string
  readonly endpoint: string
  readonly port: number
  readonly env: Record<string, string>
  readonly simulator: OvhSimulator
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port; `tls` = HTTPS with that key and certificate) for the
 * lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (
  options?: MakeOptions & Serve.ServeOptions
): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const simulator = yield* make(options)
    const served = yield* Serve.serve(simulator.app, {
      ...(options?.port === undefined ? {} : { port: options.port }),
      ...(options?.tls === undefined ? {} : { tls: options.tls })
    })
    const endpoint = `${served.url}/1.0`
    return { url: served.url, endpoint, port: served.port, env: envOf(simulator.keys, endpoint), simulator }
  })

