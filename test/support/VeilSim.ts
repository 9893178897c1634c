/**
 * A VeiL client wired in-process to a fresh simulator (no socket; TestClock drives both sides).
 */
import { type Duration, Effect, Layer } from "effect"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { VeilClient } from "../../src/veil/Client.js"
import type { VeilOptions } from "../../src/veil/Config.js"
import * as Simulator from "../../src/veil/testing/Simulator.js"

/** Exact retries for timing tests: 3 attempts, 1 s then 2 s, no jitter. */
export const exactRetry: RetryPolicy.RetryPolicy = RetryPolicy.make({ attempts: 3, baseDelay: "1 second", factor: 2, jitter: 0 })

/** Options of {@link layer}. */
export interface Options {
  /** Client options (address and token come from the simulator). Default retry: {@link exactRetry}. */
  readonly client?: Partial<VeilOptions>
  readonly simulator?: Simulator.MakeOptions
  /** Serve reads from an in-memory cache with this TTL. */
  readonly cacheTtl?: Duration.DurationInput
}

/** The client and a fresh simulator behind it. */
export const layer = (options: Options = {}): Layer.Layer<VeilClient | Simulator.VeilSimulator, unknown> =>
  Layer.unwrapEffect(Effect.map(Simulator.make(options.simulator), (simulator) => layerWith(simulator, options)))

/** The client in front of a given simulator. */
export const layerWith = (
  simulator: Simulator.VeilSimulator,
  options: Options = {}
): Layer.Layer<VeilClient | Simulator.VeilSimulator, unknown> => {
  const cache = options.cacheTtl === undefined
    ? ResponseCache.layerNone
    : ResponseCache.layerMemory({ timeToLive: options.cacheTtl })
  const client = VeilClient.layer({
    address: Simulator.defaultBaseUrl,
    token: simulator.token,
    retry: exactRetry,
    ...options.client
  })
  return client.pipe(
    Layer.provideMerge(Layer.mergeAll(InProcess.layer(simulator.app), cache, Layer.succeed(Simulator.VeilSimulator, simulator)))
  )
}

/** The journal's requests to paths containing `fragment` (method + path + query). */
export const requestsTo = (fragment: string) =>
  Effect.map(
    Effect.flatMap(Simulator.VeilSimulator, (s) => s.journal.entries),
    (entries) => entries.filter((e) => e.path.includes(fragment))
  )
