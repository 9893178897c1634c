/**
 * Enable burst on every dedicated server in `sbg1` (the seed's example), as an Effect program: the servers are read
 * four at a time, and burst is switched on where it is not.
 *
 *   npx tsx examples/ovh-burst.ts [datacenter]
 */
import { Dedicated } from "effect-cloud-clients/ovh"
import { Console, Effect } from "effect"
import { clientLayer, runExample } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Switches burst on for the servers of `datacenter`. */
export const enableBurst = (datacenter: string) =>
  Effect.gen(function*() {
    const servers = yield* Effect.forEach(yield* Dedicated.list, Dedicated.get, { concurrency: 4 })
    const here = servers.filter((server) => server.datacenter === datacenter)
    yield* Effect.forEach(here, (server) =>
      Effect.gen(function*() {
        const before = yield* Dedicated.burst(server.name)
        if (before.status === "active") return yield* Console.log(`  ${server.name}: burst already active`)
        yield* Dedicated.setBurst(server.name, "active")
        yield* Console.log(`  ${server.name}: burst ${before.status} → active`)
      }), { concurrency: 4, discard: true })
    yield* Console.log(`${here.length} of ${servers.length} servers are in ${datacenter}`)
  })

if (isMain(import.meta.url)) runExample((target) => Effect.provide(enableBurst(process.argv[2] ?? "sbg1"), clientLayer(target)))
