/**
 * A cache of decoded responses to safe reads, provided as a Layer: {@link layerNone} (the default when no cache
 * is provided) or {@link layerMemory} (TTL + capacity). A shared, cross-process store plugs in behind the same
 * interface: every region knows the `Schema` of its values, so a store can encode them.
 *
 * Keys are built by {@link key}: base URL, path and query first (so a mutation can invalidate every cached view of a
 * path by prefix, whoever fetched it), then the caller — a digest of the credentials, never the secret —
 * and the method.
 * Concurrent identical reads share one request. A region lives as long as whoever opened it holds it (a session's
 * request engine): the cache keeps no region alive by itself.
 *
 * @since 0.1.0
 */
import { Cache, Context, Duration, Effect, Equal, Exit, Hash, Layer, type Schema } from "effect"

/** Hit/miss counters of a cache. */
export interface CacheStats {
  readonly hits: number
  readonly misses: number
  readonly size: number
}

/** A part of the cache holding values of one schema; created once, when a client is built. */
export interface CacheRegion<A, E> {
  /** The cached value under `key`, or the result of `fetch` (run once however many callers ask at the same time). */
  readonly get: (key: string, fetch: Effect.Effect<A, E>) => Effect.Effect<A, E>
  /** What the cache needs to reach the region while it lives (its entries, its counters). */
  readonly control?: RegionControl | undefined
}

/** The response cache service. */
export interface ResponseCacheService {
  /** Opens a region for values of `schema`; it is dropped with the last reference to it. */
  readonly region: <A, I, E>(name: string, schema: Schema.Schema<A, I>) => Effect.Effect<CacheRegion<A, E>>
  /** Drops every entry whose key starts with `prefix` (see {@link key}). */
  readonly invalidate: (prefix: string) => Effect.Effect<void>
  /** Counters summed over every region. */
  readonly stats: Effect.Effect<CacheStats>
}

/** The response cache. */
export class ResponseCache extends Context.Tag("effect-cloud-clients/ResponseCache")<
  ResponseCache,
  ResponseCacheService
>() {}

/**
 * The cache key of a read: `<base URL><path>?<sorted query> @<caller> <method>`. Base URL and path come first so
 * that a mutation can drop every view of a path by prefix, whoever fetched it.
 */
export const key = (baseUrl: string, pathAndQuery: string, caller: string, method = "GET"): string =>
  `${baseUrl}${pathAndQuery} @${caller} ${method}`

/** The prefix that covers every cached read under `path` (any query, any caller). */
export const prefix = (baseUrl: string, path: string): string => `${baseUrl}${path}`

/** No caching: every read goes to the server. */
export const none: ResponseCacheService = {
  region: () => Effect.succeed({ get: (_key, fetch) => fetch }),
  invalidate: () => Effect.void,
  stats: Effect.succeed({ hits: 0, misses: 0, size: 0 })
}

/** No caching: every read goes to the server. */
export const layerNone: Layer.Layer<ResponseCache> = Layer.succeed(ResponseCache, none)

/** Options of the in-memory cache. */
export interface MemoryOptions {
  /** How long a successful read is served from the cache. */
  readonly timeToLive: Duration.DurationInput
  /** Entries kept per region; the least recently used go first. Default 1000. */
  readonly capacity?: number
}

/** A cache key that carries the request to run on a miss; equal by key text only. */
class Pending<A, E> implements Equal.Equal {
  constructor(readonly key: string, readonly fetch: Effect.Effect<A, E>) {}
  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof Pending && that.key === this.key
  }
  [Hash.symbol](): number {
    return Hash.cached(this, Hash.string(this.key))
  }
}

/** How a cache reaches one of its regions: to drop entries by prefix, and to count. */
export interface RegionControl {
  readonly invalidate: (prefix: string) => Effect.Effect<void>
  readonly stats: Effect.Effect<CacheStats>
}

/**
 * Builds an in-memory cache (Effect's `Cache`: TTL on the Effect clock, LRU capacity, one lookup per key). The cache
 * reaches its regions through weak references, so the regions of a closed session go with it.
 */
export const makeMemory = (options: MemoryOptions): Effect.Effect<ResponseCacheService> =>
  Effect.sync(() => {
    const timeToLive = Duration.decode(options.timeToLive)
    const capacity = options.capacity ?? 1000
    const regions = new Set<WeakRef<RegionControl>>()

    /** The regions still alive (forgetting the others). */
    const live = (): ReadonlyArray<RegionControl> => {
      const out: Array<RegionControl> = []
      for (const ref of regions) {
        const control = ref.deref()
        if (control === undefined) regions.delete(ref)
        else out.push(control)
      }
      return out
    }

    const region = <A, I, E>(_name: string, _schema: Schema.Schema<A, I>): Effect.Effect<CacheRegion<A, E>> =>
      Effect.map(
        Cache.makeWith<Pending<A, E>, A, E>({
          capacity,
          lookup: (pending) => pending.fetch,
          timeToLive: (exit) => (Exit.isSuccess(exit) ? timeToLive : Duration.zero)
        }),
        (cache) => {
          const control: RegionControl = {
            invalidate: (prefix) =>
              Effect.flatMap(cache.keys, (keys) =>
                Effect.forEach(keys, (pending) => pending.key.startsWith(prefix) ? cache.invalidate(pending) : Effect.void, {
                  discard: true
                })),
            stats: Effect.map(cache.cacheStats, ({ hits, misses, size }) => ({ hits, misses, size }))
          }
          live()
          regions.add(new WeakRef(control))
          const get = (key: string, fetch: Effect.Effect<A, E>): Effect.Effect<A, E> => {
            const pending = new Pending(key, fetch)
            // A failure must not be served to later callers: drop it as soon as it is seen.
            return Effect.tapError(cache.get(pending), () => cache.invalidate(pending))
          }
          // The region holds its control: the weak reference lives exactly as long as the region.
          return { get, control }
        }
      )

    const invalidate = (prefix: string) => Effect.forEach(live(), (c) => c.invalidate(prefix), { discard: true })

    const stats = Effect.map(
      Effect.suspend(() => Effect.forEach(live(), (c) => c.stats)),
      (all) =>
        all.reduce((sum, s) => ({ hits: sum.hits + s.hits, misses: sum.misses + s.misses, size: sum.size + s.size }), {
          hits: 0,
          misses: 0,
          size: 0
        })
    )

    return { region, invalidate, stats }
  })

/** An in-memory cache of safe reads with a time to live and a capacity. */
export const layerMemory = (options: MemoryOptions): Layer.Layer<ResponseCache> =>
  Layer.effect(ResponseCache, makeMemory(options))
