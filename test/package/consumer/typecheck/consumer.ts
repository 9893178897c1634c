/**
 * A consumer program over every entry point of the installed package, written the way a user's Effect code is:
 * type-checked under the consumer's own strict flags (no `exactOptionalPropertyTypes`, `skipLibCheck` off), then
 * compiled and run with plain node. Everything runs against the package's own simulators: in-process (no socket),
 * and served on 127.0.0.1 with the Node transport.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Chunk, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import * as Root from "effect-cloud-clients"
import { type ApiError, isApiError, NotFoundError, Path, ResponseCache, RetryPolicy } from "effect-cloud-clients/core"
import { NodeTransport } from "effect-cloud-clients/node"
import { Faults, InProcess, type Journal, Serve } from "effect-cloud-clients/core/testing"
import { OpenStackClient, type Server } from "effect-cloud-clients/openstack"
import * as OpenStackTesting from "effect-cloud-clients/openstack/testing"
import { Bills, Me, OvhClient } from "effect-cloud-clients/ovh"
import * as OvhTesting from "effect-cloud-clients/ovh/testing"
import { Domain, isPowered, VeilClient, type VeilOptions } from "effect-cloud-clients/veil"
import * as VeilTesting from "effect-cloud-clients/veil/testing"

const log = (line: string): Effect.Effect<void> => Effect.sync(() => console.log(line))

/** A core retry policy: quick, exact waits, so the faults below cost milliseconds. */
const retry: RetryPolicy.RetryPolicy = RetryPolicy.make({ attempts: 3, baseDelay: "10 millis", maxDelay: "50 millis", jitter: 0 })

/** The requests of a journal, as `METHOD /path` lines. */
const requestLines = (entries: ReadonlyArray<Journal.RecordedRequest>): ReadonlyArray<string> =>
  entries.map((entry) => `${entry.method} ${entry.path}`)

/** VeilClient.layer on the in-process simulator, with a memory cache; the simulator stays reachable. */
const veilOptions: VeilOptions = { address: VeilTesting.defaultBaseUrl, token: VeilTesting.defaultToken, retry }
const VeilLive = VeilClient.layer(veilOptions).pipe(
  Layer.provideMerge(Layer.merge(VeilTesting.layer({ taskDuration: "200 millis" }), ResponseCache.layerMemory({ timeToLive: "1 minute", capacity: 100 })))
)

const veilProgram = Effect.gen(function*() {
  const veil = yield* VeilClient
  const simulator = yield* VeilTesting.VeilSimulator
  yield* simulator.faults.inject({ path: "/api/domains/", fault: VeilTesting.Fault.status(503), times: 2 })
  const page = yield* veil.domains.list({ ordering: "verbose_name", limit: 5 })
  const first = page.items[0]
  if (first === undefined) return yield* Effect.dieMessage("the VeiL simulator lists no domain")
  const task = yield* veil.domains.start(first.id)
  const done = yield* task.waitForSuccess({ interval: "50 millis", timeout: "10 seconds" })
  const domain = yield* veil.domains.get(first.id)
  const missing = yield* veil.domains.get(VeilTesting.SeedIds.domain(999)).pipe(
    Effect.as("found"),
    Effect.catchTag("NotFoundError", (error) => Effect.succeed(`${error._tag} ${error.status ?? "-"}`))
  )
  const sent = requestLines(yield* simulator.journal.entries)
  yield* log(`veil (in-process): ${page.count} domains after 2 faults; ${first.verbose_name ?? first.id} → task ${done.status}, powered ${isPowered(domain)}`)
  yield* log(`veil (in-process): an unknown domain → ${missing}; ${sent.length} requests journaled`)
})

/** A VeilClient stubbed with VeilTesting.mock: only `domains.get` answers. */
const mockProgram = Effect.gen(function*() {
  const veil = yield* VeilClient
  const domain = yield* veil.domains.get("00000000-0000-4000-8000-000000000001")
  yield* log(`veil (mock): domains.get → ${domain.verbose_name ?? "unnamed"}`)
}).pipe(
  Effect.provide(VeilTesting.mock({ domains: { get: (id: string) => Effect.succeed(Domain.make({ id, verbose_name: "stubbed vm" })) } }))
)

/** The VeiL simulator served on 127.0.0.1 with core/testing's Serve, reached through the Node transport. */
const servedVeilProgram = Effect.scoped(Effect.gen(function*() {
  const simulator = yield* VeilTesting.make({ domains: 3 })
  const served = yield* Serve.serve(simulator.app)
  const count = yield* Effect.gen(function*() {
    const veil = yield* VeilClient
    return yield* veil.domains.listAll().pipe(Stream.runCount)
  }).pipe(Effect.provide(VeilClient.layer({ address: served.url, token: Redacted.make(simulator.token) }).pipe(Layer.provide(NodeTransport.layer()))))
  yield* log(`veil (served on ${served.url}): listAll → ${count} domains`)
}))

/** OpenStackClient.layer on the in-process simulator, with the seeded user's options. */
const OpenStackLive = Layer.unwrapEffect(
  Effect.map(OpenStackTesting.OpenStackSimulator, (simulator) =>
    OpenStackClient.layer(OpenStackTesting.clientOptions(simulator.credentials)))
).pipe(Layer.provideMerge(OpenStackTesting.layer({ buildDuration: "100 millis" })))

const openStackProgram = Effect.gen(function*() {
  const os = yield* OpenStackClient
  const flavors = yield* os.flavors.list()
  const image = yield* os.images.get("cirros-0.6.2-x86_64-disk")
  const flavor = flavors.items.find((f) => f.name === "m1.tiny")
  if (flavor === undefined) return yield* Effect.dieMessage("the OpenStack simulator has no m1.tiny")
  const created = yield* os.servers.create({ name: "typed-consumer", imageRef: image.id, flavorRef: flavor.id, networks: "none" })
  const statuses: Array<string> = []
  const active: Server = yield* os.servers.waitFor(created.id, "ACTIVE", {
    interval: "20 millis",
    timeout: "10 seconds",
    onProgress: (server) => Effect.sync(() => statuses.push(server.status))
  })
  const all = yield* os.servers.listAll().pipe(Stream.runCollect)
  yield* os.servers.delete(created.id)
  yield* log(`openstack (in-process): ${flavors.items.length} flavors; ${active.name} ${[...new Set(statuses)].join(" → ")}; ${Chunk.size(all)} servers; deleted`)
})

/** The OVH simulator served on 127.0.0.1 (its own serve helper), a signed client over the Node transport (the
 * configuration chain also reads `ovh.conf` files, hence the file system). */
const ovhProgram = Effect.scoped(Effect.gen(function*() {
  const served = yield* OvhTesting.serve()
  const result = yield* Effect.gen(function*() {
    const ovh = yield* OvhClient
    const me = yield* Me.get
    const bills = yield* Bills.list()
    const firstId = Option.fromNullable(bills[0])
    const bill = Option.isSome(firstId)
      ? Option.some(yield* ovh.get(Path.make("/me/bill/{billId}", { billId: firstId.value }), undefined, Bills.Bill))
      : Option.none()
    const nichandle = yield* ovh.get("/me", undefined, Schema.Struct({ nichandle: Schema.String }))
    return { me, bills, bill, nichandle }
  }).pipe(Effect.provide(OvhClient.layer(OvhTesting.clientOptions(served.simulator.keys, served.endpoint)).pipe(
    Layer.provide(Layer.merge(NodeTransport.layer(), NodeFileSystem.layer))
  )))
  const priced = Option.match(result.bill, { onNone: () => "no bill", onSome: (bill) => `${bill.billId} ${bill.priceWithTax.text}` })
  yield* log(`ovh (served on ${served.endpoint}): ${result.me.nichandle} = ${result.nichandle.nichandle}, ${result.bills.length} bills, ${priced}`)
}))

/** Raw requests to an app through core/testing's in-process client: the first one meets an injected 500. */
const inProcessProgram = Effect.gen(function*() {
  const simulator = yield* OvhTesting.make()
  const rule: Faults.FaultRule = { path: "/1.0/auth/time", fault: Faults.Fault.status(500), times: 1 }
  yield* simulator.faults.inject(rule)
  const client = InProcess.make(simulator.app)
  const faulted = yield* client.get(`${OvhTesting.defaultOrigin}/1.0/auth/time`)
  const answered = yield* client.get(`${OvhTesting.defaultOrigin}/1.0/auth/time`)
  const time: unknown = yield* answered.json
  yield* log(`core/testing (in-process): GET /1.0/auth/time → ${faulted.status}, then ${answered.status} (${typeof time})`)
})

/** The root entry names every API the way its own entry point does. */
const rootProgram = Effect.gen(function*() {
  const same = Root.VeilClient === VeilClient && Root.veil.VeilClient === VeilClient && Root.OpenStackClient === OpenStackClient &&
    Root.ovh.OvhClient === OvhClient && Root.core.RetryPolicy.make === RetryPolicy.make
  const error: ApiError = new NotFoundError({ api: "veil", method: "GET", url: "http://ecp.simulator/api/domains/x/", message: "not found" })
  if (!same || !isApiError(error) || !Root.isApiError(error)) return yield* Effect.dieMessage("the root entry disagrees with the API entry points")
  yield* log(`root: the same services as the API entry points; ${error._tag} is an ApiError`)
})

const program = Effect.all([
  veilProgram.pipe(Effect.provide(VeilLive)),
  mockProgram,
  servedVeilProgram,
  openStackProgram.pipe(Effect.provide(OpenStackLive)),
  ovhProgram,
  inProcessProgram,
  rootProgram
], { discard: true })

await Effect.runPromise(program)
