/**
 * The demo: two VeiL ECP simulators on 127.0.0.1 and the VeiL client README's two scenarios against them; then the
 * devstack gateway on a simulated OpenStack cloud; then the OVH examples against the OVH simulator. Each part says
 * which failures it shows on purpose (refused starts, a failed task, a missing VM, an exhausted quota).
 *
 *   npm run demo
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { oneShot } from "./veil-one-shot.js"
import { live, longRunning } from "./veil-long-running.js"
import { tour } from "./devstack-gateway/tour.js"
import { controllers } from "./veil-target.js"
import { applications } from "./ovh-applications.js"
import { bills } from "./ovh-bills.js"
import { enableBurst } from "./ovh-burst.js"
import { consumerKey } from "./ovh-consumer-key.js"
import { ipmi } from "./ovh-ipmi.js"
import { mailRedirection } from "./ovh-mail-redirection.js"
import { clientLayer, simulated } from "./ovh-target.js"
import { welcome } from "./ovh-welcome.js"

const rule = (title: string) => Console.log(`\n── ${title} ${"─".repeat(Math.max(0, 72 - title.length))}`)

/** Says which failures below are injected on purpose, so that none is mistaken for a fault of the demo. */
const onPurpose = (...lines: ReadonlyArray<string>) => Console.log(`(failures on purpose: ${lines.join("\n ")})`)

const demo = Effect.scoped(Effect.gen(function*() {
  const [a, b] = yield* controllers(2)
  if (a === undefined || b === undefined) return
  yield* Console.log(`VeiL ECP simulators listening on ${a.address} and ${b.address} (tasks take 3 s)`)

  // Make one start fail on the controller, as a node short of memory would.
  if (a.simulator !== undefined) {
    yield* a.simulator.control.failNextTask({ errorMessage: "Not enough free memory on the node to start the domain." })
  }

  yield* rule("1. one-shot: start 10 domains ordered by name, wait for the tasks")
  yield* onPurpose(
    "the simulated controller holds a template, running and suspended domains, which ECP refuses to start,",
    "and the first start task is made to fail as on a node short of memory."
  )
  yield* Effect.promise(() => oneShot(a))

  yield* rule("2. long-running: two controllers, retries on 404, cached info()")
  yield* onPurpose("a VM that does not exist is asked for, with 404 retried as the Python client's options say.")
  yield* longRunning(a, b).pipe(Effect.provide(live))
  yield* Console.log("all sessions closed.")

  yield* rule("3. OpenStack: the devstack gateway on a simulated cloud")
  yield* onPurpose("the project's quota is 2 instances, so the third create is refused; an empty create body is sent too.")
  yield* tour

  yield* rule("4. OVH: signed calls, a consumer key, bills, burst, IPMI")
  const ovh = yield* simulated()
  yield* Console.log(`(${ovh.description}; every call signed and checked)`)
  yield* Effect.promise(() => welcome(ovh))
  yield* Effect.promise(() => consumerKey(ovh))
  yield* Effect.promise(() => mailRedirection(ovh, { domain: "example.com", from: "sales@example.com", to: "contact@example.com" }))
  yield* Effect.provide(Effect.all([bills, enableBurst("sbg1"), applications, ipmi(undefined, "192.0.2.1")], { discard: true }), clientLayer(ovh))
}))

NodeRuntime.runMain(demo)
