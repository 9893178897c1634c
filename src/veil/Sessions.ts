/**
 * Many controllers at once (the Python client's `VeilClientSingleton`): one session per controller address,
 * opened on first use, shared by every caller, closed together when the layer's scope closes.
 *
 * Each controller keeps its own settings (token, retry, timeout, TLS). Asking again for an open address with the
 * same settings returns the open session; with a different token (or other settings) the old session is closed
 * and a new one opened, so a replaced token is never used again.
 *
 * Opening is bounded by the controller's per-attempt timeout and retry policy, and a caller may give up sooner (its
 * own `Effect.timeout`): the opening then goes on for whoever else waits for it, and if it fails, the next caller
 * opens afresh rather than being handed that old failure.
 *
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import { Context, Duration, Effect, Either, Exit, Layer, Option, RcMap, Ref, type Scope } from "effect"
import type { ApiError, ConfigurationError } from "../core/Errors.js"
import * as Caller from "../core/Caller.js"
import * as NodeTransport from "../node/NodeTransport.js"
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
  Caller.digest(
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

/** How one opening ended, and its rank among the openings finished so far. */
interface Opening {
  readonly exit: Exit.Exit<VeilClientService, ApiError>
  readonly finished: number
}

/** Builds the sessions service; `transport` gives each session its `HttpClient`. */
const makeWith = (
  transport: (config: VeilConfig) => Effect.Effect<HttpClient.HttpClient, never, Scope.Scope>
): Effect.Effect<VeilSessionsService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const cache = yield* Effect.serviceOption(ResponseCache.ResponseCache)
    const registry = yield* Ref.make(new Map<string, Registered>())
    // How many openings have finished: tells an opening that failed before a caller asked from one it waited for.
    const finished = yield* Ref.make(0)
    const sessions = yield* RcMap.make({
      lookup: (baseUrl: string): Effect.Effect<Opening, never, Scope.Scope> =>
        Effect.gen(function*() {
          const entry = (yield* Ref.get(registry)).get(baseUrl)
          if (entry === undefined) return yield* Effect.dieMessage(`no settings registered for ${baseUrl}`)
          const http = yield* transport(entry.config)
          const open = fromConfig(entry.config).pipe(Effect.provideService(HttpClient.HttpClient, http))
          const exit = yield* Effect.exit(Option.match(cache, {
            onNone: () => open,
            onSome: (c) => Effect.provideService(open, ResponseCache.ResponseCache, c)
          }))
          return { exit, finished: yield* Ref.updateAndGet(finished, (n) => n + 1) }
        }),
      idleTimeToLive: Duration.infinity
    })

    /** The opening of `baseUrl` (shared with concurrent callers); a failed one is forgotten, so the next get opens anew. */
    const opening = (baseUrl: string) =>
      Effect.tap(Effect.scoped(RcMap.get(sessions, baseUrl)), (o) =>
        Exit.isFailure(o.exit) ? RcMap.invalidate(sessions, baseUrl) : Effect.void)

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
        const asked = yield* Ref.get(finished)
        const first = yield* opening(config.baseUrl)
        // A failure that was over before this call began belongs to a caller who gave up waiting: open afresh.
        const outcome = Exit.isFailure(first.exit) && first.finished <= asked ? yield* opening(config.baseUrl) : first
        return yield* outcome.exit
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
