/**
 * Many controllers at once (the Python client's `VeilClientSingleton`): one session per controller address,
 * opened on first use, shared by every caller, closed together when the layer's scope closes.
 *
 * Each controller keeps its own settings (token, retry, timeout, TLS). Asking again for an open address with the
 * same settings returns the open session; with a different token (or other settings) the old session is closed
 * and a new one opened, so a replaced token is never used again.
 *
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import { Context, Duration, Effect, Either, Layer, Option, RcMap, Ref, type Scope } from "effect"
import type { ApiError, ConfigurationError } from "../core/Errors.js"
import * as Identity from "../core/Identity.js"
import * as NodeTransport from "../core/NodeTransport.js"
import * as ResponseCache from "../core/ResponseCache.js"
import { fromConfig, type VeilClientService } from "./Client.js"
import { resolve, type VeilConfig, type VeilOptions } from "./Config.js"

/** The sessions service. */
export interface VeilSessionsService {
  /** The session of `options.address`, opened on first use (see the module doc for changed settings). */
  readonly get: (options: VeilOptions) => Effect.Effect<VeilClientService, ConfigurationError | ApiError>
  /** Closes and forgets the session of an address. */
  readonly remove: (address: string) => Effect.Effect<void>
  /** Base URLs of the sessions currently open. */
  readonly open: Effect.Effect<ReadonlyArray<string>>
}

/** Sessions with many controllers: `VeilSessions.layer` (ambient transport) or `VeilSessions.layerNode`. */
export class VeilSessions extends Context.Tag("effect-cloud-clients/VeilSessions")<VeilSessions, VeilSessionsService>() {
  /** Sessions that all use the ambient `HttpClient` (and `ResponseCache`, when provided). */
  static get layer(): Layer.Layer<VeilSessions, never, HttpClient.HttpClient> {
    return layer
  }
  /** Sessions that each get their own Node connection pool (with their own TLS verification), closed with them. */
  static get layerNode(): Layer.Layer<VeilSessions> {
    return layerNode
  }
}

/** Everything that makes two settings of one address differ (secrets only as a digest). */
const fingerprint = (config: VeilConfig): string =>
  Identity.digest(
    config.baseUrl,
    config.token,
    JSON.stringify([
      Duration.toMillis(config.timeout),
      config.verifyTls,
      config.language,
      config.urlMaxLength,
      config.check,
      config.retry.attempts,
      Duration.toMillis(config.retry.baseDelay),
      config.retry.factor,
      Duration.toMillis(config.retry.maxDelay),
      config.retry.jitter,
      [...config.retry.statuses],
      [...config.retry.kinds]
    ])
  )

interface Registered {
  readonly config: VeilConfig
  readonly fingerprint: string
}

/** Builds the sessions service; `transport` gives each session its `HttpClient`. */
const makeWith = (
  transport: (config: VeilConfig) => Effect.Effect<HttpClient.HttpClient, never, Scope.Scope>
): Effect.Effect<VeilSessionsService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const cache = yield* Effect.serviceOption(ResponseCache.ResponseCache)
    const registry = yield* Ref.make(new Map<string, Registered>())
    const sessions = yield* RcMap.make({
      lookup: (baseUrl: string) =>
        Effect.gen(function*() {
          const entry = (yield* Ref.get(registry)).get(baseUrl)
          if (entry === undefined) return yield* Effect.dieMessage(`no settings registered for ${baseUrl}`)
          const http = yield* transport(entry.config)
          const open = fromConfig(entry.config).pipe(Effect.provideService(HttpClient.HttpClient, http))
          return yield* Option.match(cache, {
            onNone: () => open,
            onSome: (c) => Effect.provideService(open, ResponseCache.ResponseCache, c)
          })
        }),
      idleTimeToLive: Duration.infinity
    })

    const get = (options: VeilOptions): Effect.Effect<VeilClientService, ConfigurationError | ApiError> =>
      Effect.gen(function*() {
        const config = yield* Either.match(resolve(options), { onLeft: Effect.fail, onRight: Effect.succeed })
        const print = fingerprint(config)
        const previous = yield* Ref.modify(registry, (map) => {
          const before = map.get(config.baseUrl)
          const next = new Map(map)
          next.set(config.baseUrl, { config, fingerprint: print })
          return [before, next] as const
        })
        if (previous !== undefined && previous.fingerprint !== print) {
          yield* RcMap.invalidate(sessions, config.baseUrl)
        }
        return yield* Effect.scoped(RcMap.get(sessions, config.baseUrl)).pipe(
          Effect.tapError(() => RcMap.invalidate(sessions, config.baseUrl))
        )
      })

    const remove = (address: string) =>
      Effect.gen(function*() {
        const keys = yield* RcMap.keys(sessions)
        const matching = keys.filter((baseUrl) => baseUrl === address || new URL(baseUrl).host === address)
        yield* Effect.forEach(matching, (baseUrl) => RcMap.invalidate(sessions, baseUrl), { discard: true })
        yield* Ref.update(registry, (map) => new Map([...map].filter(([baseUrl]) => !matching.includes(baseUrl))))
      })

    return { get, remove, open: RcMap.keys(sessions) }
  })

/** Sessions that all use the ambient `HttpClient` (and `ResponseCache`, when provided). */
export const make: Effect.Effect<VeilSessionsService, never, Scope.Scope | HttpClient.HttpClient> = Effect.flatMap(
  HttpClient.HttpClient,
  (http) => makeWith(() => Effect.succeed(http))
)

/** Sessions that all use the ambient `HttpClient` (and `ResponseCache`, when provided). */
export const layer: Layer.Layer<VeilSessions, never, HttpClient.HttpClient> = Layer.scoped(VeilSessions, make)

/** Sessions that each get their own Node connection pool (with their own TLS verification), closed with them. */
export const layerNode: Layer.Layer<VeilSessions> = Layer.scoped(
  VeilSessions,
  makeWith((config) =>
    Effect.map(Layer.build(NodeTransport.layer({ verifyTls: config.verifyTls })), (context) =>
      Context.get(context, HttpClient.HttpClient))
  )
)
