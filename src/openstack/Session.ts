/**
 * An OpenStack session, opened for composition: an {@link Identity} (a token and a service catalog) and a registry
 * of services ({@link ServiceSpec}: the path of each API under its catalog URL, and an optional negotiation) give
 * every service an engine, built on first use from its catalog URL and the identity's credentials.
 *
 * Keystone v3 with Nova, Glance, Neutron, Swift and Cinder is one such composition (`Client`); a cloud that speaks
 * the same service APIs behind another identity service supplies its own identity and registry, and reuses the
 * resource modules, which need nothing but their service's {@link Engine}.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Record } from "effect"
import type * as Credentials from "../core/Credentials.js"
import type { ApiError } from "../core/Errors.js"
import * as RestClient from "../core/RestClient.js"
import type { EndpointNotFound } from "./KeystoneV3.js"

/** Any failure of an OpenStack call: an API error, or no endpoint in the catalog for the service. */
export type OpenStackError = ApiError | EndpointNotFound

/** What an identity service gives a session: who is calling, the credentials of every call, the service catalog. */
export interface Identity {
  /** A digest of who is calling (never a secret): part of cache keys. */
  readonly caller: string
  /** The headers that authenticate every service call, renewed as needed. */
  readonly credentials: Credentials.Credentials
  /** The URL of a service (by catalog type) from the catalog; it ends with `/`. */
  readonly endpoint: (serviceType: string) => Effect.Effect<string, OpenStackError>
}

/** What a service's negotiation chose: headers sent on every call, and the microversion they name. */
export interface Negotiated {
  readonly headers: Readonly<Record<string, string>>
  readonly microversion: string | undefined
}

/** How one service is reached below its catalog URL. */
export interface ServiceSpec {
  /** The path of the API under the catalog URL (`v2/` for Glance, whose catalog URL has no version); default none. */
  readonly versionPath?: string | undefined
  /** Asks the service once, on first use, what every call should send (a microversion). */
  readonly negotiate?: ((engine: RestClient.RestClient) => Effect.Effect<Negotiated, ApiError>) | undefined
}

/** A service's engine, and the microversion it sends (`undefined` when none was negotiated). */
export interface Service {
  readonly rest: RestClient.RestClient
  readonly microversion: string | undefined
}

/** The engine of one service, built on first use: all a resource module needs. */
export type Engine = Effect.Effect<RestClient.RestClient, OpenStackError>

/** What every engine of a session shares: the request settings but the URL, the caller and the credentials. */
export type EngineSettings = Omit<RestClient.RestClientOptions, "baseUrl" | "caller" | "credentials">

/** The services of a session, by catalog type. */
export interface Session<Type extends string> {
  /** A service's engine and negotiated microversion, built on first use. */
  readonly service: (type: Type) => Effect.Effect<Service, OpenStackError>
  /** A service's engine, for a resource module. */
  readonly engine: (type: Type) => Engine
}

/** Opens the services of `registry` over `identity`; nothing is sent until a service is first used. */
export const make = <Type extends string>(
  identity: Identity,
  registry: Readonly<Record<Type, ServiceSpec>>,
  settings: EngineSettings
): Effect.Effect<Session<Type>, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* Effect.context<HttpClient.HttpClient>()
    const engine = (baseUrl: string, headers: Readonly<Record<string, string>>) =>
      RestClient.make({ ...settings, baseUrl, caller: identity.caller, credentials: identity.credentials, headers: { ...settings.headers, ...headers } })
    const build = (type: Type, spec: ServiceSpec): Effect.Effect<Service, OpenStackError> =>
      Effect.gen(function*() {
        const url = `${yield* identity.endpoint(type)}${spec.versionPath ?? ""}`
        const plain = yield* engine(url, {})
        if (spec.negotiate === undefined) return { rest: plain, microversion: undefined }
        const negotiated = yield* spec.negotiate(plain)
        return { rest: yield* engine(url, negotiated.headers), microversion: negotiated.microversion }
      }).pipe(Effect.provide(http), Effect.withSpan(`${settings.api} service`, { attributes: { "service.type": type } }))
    // Each service is built once, on first use: concurrent first calls share one build, and its outcome is kept. The
    // memoized effects are made here, once, so a request only reads its service's (no per-request lookup structure).
    const services = new Map<Type, Effect.Effect<Service, OpenStackError>>()
    for (const [type, spec] of Record.toEntries(registry)) services.set(type, yield* Effect.cached(build(type, spec)))
    // Every registered type is in the map; the fallback only satisfies the types.
    const service = (type: Type): Effect.Effect<Service, OpenStackError> => services.get(type) ?? build(type, registry[type])
    return { service, engine: (type) => Effect.map(service(type), (s) => s.rest) }
  })
