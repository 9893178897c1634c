/**
 * IPMI/KVM access: ask for an HTML5 KVM console for 15 minutes, then poll until OVH has prepared it (the seed's loop
 * with a sleep, on a `Schedule`), as an Effect program.
 *
 *   npx tsx examples/ovh-ipmi.ts [server] [your public IPv4]
 */
import { Dedicated } from "effect-cloud-clients/ovh"
import { Console, Effect, Redacted } from "effect"
import { clientLayer, runExample } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Requests KVM access to `server` (the first server when not given) from `ip` and prints where to open it. */
export const ipmi = (server: string | undefined, ip: string) =>
  Effect.gen(function*() {
    const name = server ?? (yield* Dedicated.list)[0]
    if (name === undefined) return yield* Console.log("no dedicated server on this account")
    yield* Console.log(`asking for KVM access to ${name} from ${ip}; waiting until it is ready…`)
    const started = Date.now()
    const access = yield* Dedicated.waitForIpmiAccess(name, { type: "kvmipHtml5URL", ttl: "15", ipToAllow: ip })
    yield* Console.log(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s, until ${access.expiration?.toISOString() ?? "?"}:`)
    // The console's URL is the point of this example; it is printed on purpose.
    yield* Console.log(`  ${Redacted.value(access.value)}`)
  })

if (isMain(import.meta.url)) runExample((target) => Effect.provide(ipmi(process.argv[2], process.argv[3] ?? "192.0.2.1"), clientLayer(target)))
