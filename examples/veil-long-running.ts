/**
 * The "long-running application" scenario of the VeiL client's README, in Effect style:
 * sessions with two controllers shared through `VeilSessions` (one per address), a retry policy that retries a
 * 404 three times with growing waits (the README's `VeilRetryOptions(status_codes={404}, timeout_increase_step=5,
 * num_of_attempts=3)`), repeated `info` served from the cache, and every session closed at the end.
 *
 *   npx tsx examples/veil-long-running.ts                   # against two simulators on 127.0.0.1
 */
import { HttpClient } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { ResponseCache } from "effect-cloud-clients/core"
import { fromVeilRetryOptions, VeilSessions } from "effect-cloud-clients/veil"
import { Clock, Console, Duration, Effect, Layer, Metric } from "effect"
import { randomUUID } from "node:crypto"
import { type Controller, controllers } from "./veil-target.js"
import { isMain } from "./script.js"

/** Requests that left this process, per controller. */
const requests = (address: string) => Metric.counter("veil_requests").pipe(Metric.tagged("controller", address))

/** The scenario: needs `VeilSessions` (and uses the `ResponseCache` the sessions were built with). */
export const longRunning = (a: Controller, b: Controller) =>
  Effect.gen(function*() {
    const sessions = yield* VeilSessions
    const retry = fromVeilRetryOptions({ status_codes: [404], timeout_increase_step: 5, num_of_attempts: 3 })
    const settings = (c: Controller) => ({
      ...c,
      retry,
      timeout: Duration.seconds(10),
      transformClient: HttpClient.tapRequest(() => Metric.increment(requests(c.address)))
    })

    const session1 = yield* sessions.get(settings(a))
    const [first] = (yield* session1.domains.list({ ordering: "verbose_name", limit: 1 })).items
    if (first === undefined) return yield* Console.log("no domains on the first controller")

    const before = (yield* Metric.value(requests(a.address))).count
    for (let i = 0; i < 5; i++) yield* session1.domains.get(first.id)
    const after = (yield* Metric.value(requests(a.address))).count
    const stats = yield* Effect.flatMap(ResponseCache.ResponseCache, (cache) => cache.stats)
    yield* Console.log(`info() of ${first.verbose_name} five times: ${after - before} request to the controller, ` +
      `${stats.hits} answers from the cache`)

    const again = yield* sessions.get(settings(a))
    yield* Console.log(`asking again for ${a.address} gives the same session: ${again === session1}`)

    const session2 = yield* sessions.get(settings(b))
    const nodes = yield* session2.nodes.list()
    yield* Console.log(`second controller ${b.address}: ${nodes.count} nodes (${nodes.items.map((n) => n.verbose_name).join(", ")})`)

    const start = yield* Clock.currentTimeMillis
    const missing = yield* Effect.flip(session1.domains.get(randomUUID()))
    const waited = ((yield* Clock.currentTimeMillis) - start) / 1000
    yield* Console.log(`a missing VM: ${missing._tag} after 3 attempts and ${waited.toFixed(1)} s of retries ` +
      `(waits of 1 s, then 5 s): ${missing.message}`)

    yield* Console.log(`open sessions: ${(yield* sessions.open).join(", ")}`)
  })

/** The layers the scenario runs on: sessions with their own Node connection pools, sharing one memory cache. */
export const live = VeilSessions.layerNode.pipe(
  Layer.provideMerge(ResponseCache.layerMemory({ timeToLive: "10 seconds", capacity: 1000 }))
)

if (isMain(import.meta.url)) {
  NodeRuntime.runMain(Effect.scoped(Effect.gen(function*() {
    const [a, b] = yield* controllers(2)
    if (a === undefined || b === undefined) return
    yield* longRunning(a, b).pipe(Effect.provide(live))
    yield* Console.log("all sessions closed.")
  })))
}
