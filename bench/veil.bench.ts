/**
 * VeiL client benchmark, against the simulator and against a replay of its answers, each in its own process on
 * 127.0.0.1, in one interleaved run.
 *
 *   npx tsx bench/veil.bench.ts      (npm run bench runs every benchmark)
 *
 * (a) `domains.list` of 100 rows through the Promise facade vs the same request with raw undici + `JSON.parse`;
 * (a′) the same request through the client's engine with the body parsed but not validated (`Schema.Unknown`);
 * (b) a cached `get` vs an uncached one, against the simulator;
 * (c) 100 concurrent identical `get`s through the cache: how many requests reach the simulator.
 *
 * Wall time and this process's CPU per call; medians of interleaved rounds, ratios taken round by round.
 */
import { HttpClient } from "@effect/platform"
import { Path, ResponseCache } from "effect-cloud-clients/core"
import { NodeTransport } from "effect-cloud-clients/node"
import { Veil, VeilClient, type VeilClientService } from "effect-cloud-clients/veil"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { Agent, request } from "undici"
import { startSimulator } from "../bin/child.js"
import { batch, clientOverRaw, interleave, micros, ratio, times, verdict, watchMachine } from "./measure.js"
import { record, startReplay } from "./replay.js"
import { writeSection } from "./results.js"

const rows = 100
const rounds = 15
const calls = 40

/** The calls measured against one server (`address` is its host:port). */
const callsOn = async (address: string, token: string) => {
  const veil = await Veil.connect({ address, token, scheme: "http", check: true })
  const dispatcher = new Agent()
  const url = `http://${address}/api/domains/?limit=${rows}`
  return {
    client: () => veil.domains.list({ limit: rows }),
    engine: () =>
      veil.service.rest.json({ method: "GET", path: Path.literal("domains/"), query: { limit: String(rows) } }, Schema.Unknown).pipe(
        Effect.runPromise
      ),
    raw: async () => {
      const response = await request(url, {
        dispatcher,
        headers: { authorization: token, accept: "application/json", "accept-language": "en" }
      })
      return JSON.parse(await response.body.text())
    },
    close: async () => {
      await veil.close()
      await dispatcher.close()
    }
  }
}

const main = async () => {
  const machine = watchMachine()
  const sim = await startSimulator(["veil", "--domains", String(rows)])
  const simAddress = /address\s+(\S+)/.exec(sim.out)?.[1] ?? ""
  const token = /token\s+(jwt \S+)/.exec(sim.out)?.[1] ?? ""
  machine.track(sim.pid)

  // Record what the client and raw undici are answered, through a proxy in front of the simulator.
  const recorder = await record({ upstream: `http://${simAddress}` })
  const recording = await callsOn(new URL(recorder.url).host, token)
  const listed = await recording.client()
  await recording.engine()
  await recording.raw()
  if (listed.items.length !== rows) throw new Error(`expected ${rows} domains, got ${listed.items.length}`)
  await recording.close()
  await recorder.close()
  const replay = await startReplay(recorder.recording())
  machine.track(replay.pid)

  const onSim = await callsOn(simAddress, token)
  const onReplay = await callsOn(replay.host, token)
  console.log(`VeiL simulator on ${simAddress}, replay on ${replay.host} (separate processes), ${rows} domains`)
  const variants = [
    ["client@sim", () => batch(calls, onSim.client)],
    ["raw@sim", () => batch(calls, onSim.raw)],
    ["engine@sim", () => batch(calls, onSim.engine)],
    ["client@replay", () => batch(calls, onReplay.client)],
    ["raw@replay", () => batch(calls, onReplay.raw)],
    ["engine@replay", () => batch(calls, onReplay.engine)]
  ] as const
  await interleave(2, variants) // warm-up
  console.log(`(a) domains.list, ${rows} rows: ${rounds} rounds of ${calls} calls per variant`)
  const of = await interleave(rounds, variants)
  const stats = await replay.stats()
  if (stats.misses.length > 0) throw new Error(`the replay had no answer for ${stats.misses.join(", ")}`)

  const ratios = {
    ...clientOverRaw(of),
    engineSim: ratio(of("engine@sim"), of("raw@sim"), "wall"),
    engineReplay: ratio(of("engine@replay"), of("raw@replay"), "wall")
  }
  console.log(`    client / raw: ${ratios.sim.median.toFixed(2)}× against the simulator (target ≤ 1.15×), ${ratios.replay.median.toFixed(2)}× against the replay (target ≤ 1.4×)`)

  console.log("(b) domains.get: uncached vs cached; (c) 100 concurrent identical get()s through the cache (simulator)")
  let requestsSent = 0
  const options = { address: simAddress, token, scheme: "http" as const, check: true }
  const counted = { ...options, transformClient: HttpClient.tapRequest(() => Effect.sync(() => void requestsSent++)) }
  const transport = NodeTransport.layer()
  const uncachedRuntime = ManagedRuntime.make(VeilClient.layer(options).pipe(Layer.provide(transport)))
  const cachedRuntime = ManagedRuntime.make(
    VeilClient.layer(counted).pipe(Layer.provideMerge(Layer.merge(transport, ResponseCache.layerMemory({ timeToLive: "1 hour" }))))
  )
  const uncached: VeilClientService = await uncachedRuntime.runPromise(VeilClient)
  const cached: VeilClientService = await cachedRuntime.runPromise(VeilClient)
  const [first] = listed.items
  if (first === undefined) throw new Error("no domain listed")
  const getUncached = () => uncachedRuntime.runPromise(uncached.domains.get(first.id))
  const getCached = () => cachedRuntime.runPromise(cached.domains.get(first.id))
  await getCached()
  const gets = await interleave(9, [["uncached", () => batch(200, getUncached)], ["cached", () => batch(200, getCached)]] as const)
  const cacheRatio = ratio(gets("uncached"), gets("cached"), "wall")
  await cachedRuntime.runPromise(Effect.flatMap(ResponseCache.ResponseCache, (c) => c.invalidate("")))
  const before = requestsSent
  await cachedRuntime.runPromise(
    Effect.all(Array.from({ length: 100 }, () => cached.domains.get(first.id)), { concurrency: "unbounded" })
  )
  const reached = requestsSent - before
  console.log(`    cached is ${cacheRatio.median.toFixed(0)}× faster (target ≥ 50×); ${reached} request(s) reached the server (target exactly 1)`)
  const noise = machine.stop()

  const wall = (name: Parameters<typeof of>[0]) => micros(of(name).map((s) => s.wall))
  const cpu = (name: Parameters<typeof of>[0]) => micros(of(name).map((s) => s.cpu))
  const extra = (a: Parameters<typeof of>[0], b: Parameters<typeof of>[0], key: "wall" | "cpu") => {
    const as = of(a).map((s) => s[key])
    const bs = of(b).map((s) => s[key])
    const diffs = as.map((v, i) => (v - (bs[i] ?? 0)) * 1000).sort((x, y) => x - y)
    return (diffs[Math.floor(diffs.length / 2)] ?? 0).toFixed(0)
  }
  writeSection("veil", [
    "## VeiL ECP",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}. \`domains.list({ limit: ${rows} })\``
      + ` through the Promise facade (\`Veil.connect\`), decoded with \`effect/Schema\`, against raw undici + \`JSON.parse\` of the`
      + ` same request, served by the VeiL simulator and by a replay of its recorded answers (the same bytes, from a bare`
      + ` \`node:http\` server), each in its own process on 127.0.0.1. ${rounds} interleaved rounds of ${calls} sequential calls per variant;`
      + " medians per call, in brackets the range over the rounds; ratios taken round by round. CPU is this process's (the client's).",
    "",
    "| server | what | wall time per call | client CPU per call |",
    "| --- | --- | --- | --- |",
    `| simulator | this client, \`domains.list\` | ${wall("client@sim")} | ${cpu("client@sim")} |`,
    `| simulator | raw undici + \`JSON.parse\` | ${wall("raw@sim")} | ${cpu("raw@sim")} |`,
    `| simulator | the client's engine: \`veil.service.rest.json(…, Schema.Unknown)\` (parsed, not validated) | ${wall("engine@sim")} | ${cpu("engine@sim")} |`,
    `| replay | this client, \`domains.list\` | ${wall("client@replay")} | ${cpu("client@replay")} |`,
    `| replay | raw undici + \`JSON.parse\` | ${wall("raw@replay")} | ${cpu("raw@replay")} |`,
    `| replay | the client's engine, \`Schema.Unknown\` | ${wall("engine@replay")} | ${cpu("engine@replay")} |`,
    "",
    "| ratio | against the simulator | against the replay | target |",
    "| --- | --- | --- | --- |",
    `| (a) wall time, client / raw | ${times(ratios.sim)} | ${times(ratios.replay)} | ≤ 1.15× simulator (${verdict(ratios.sim, 1.15)}), ≤ 1.4× replay (${verdict(ratios.replay, 1.4)}) |`,
    `| (a) client CPU, client / raw | ${times(ratios.simCpu)} | ${times(ratios.replayCpu)} | — |`,
    `| (a′) wall time, engine / raw | ${times(ratios.engineSim)} | ${times(ratios.engineReplay)} | — |`,
    "",
    "| cache (against the simulator) | measured | target |",
    "| --- | --- | --- |",
    `| (b) \`domains.get\`, uncached / cached, wall time | ${times(cacheRatio)} (${micros(gets("uncached").map((s) => s.wall))} vs ${micros(gets("cached").map((s) => s.wall))}) | ≥ 50× (${cacheRatio.median >= 50 ? "met" : "not met"}) |`,
    `| (c) 100 concurrent identical \`get\`s through the cache | ${reached} request(s) reached the server | exactly 1 (${reached === 1 ? "met" : "not met"}) |`,
    "",
    `Reading: per call, the client spent ${extra("client@replay", "raw@replay", "wall")} µs more wall time than raw undici against the replay`
      + ` and ${extra("client@sim", "raw@sim", "wall")} µs more against the simulator, and ${extra("client@replay", "raw@replay", "cpu")} µs more`
      + ` CPU in this process (replay). The raw call took ${extra("raw@sim", "raw@replay", "wall")} µs longer against the simulator`
      + " than against the replay: that is the simulator's own work, which the simulator ratio divides by. Of the client's extra"
      + ` wall time against the replay, ${extra("client@replay", "engine@replay", "wall")} µs is what \`domains.list\` adds to the engine`
      + ` (validating the rows with \`effect/Schema\`, reading the page envelope, the facade) and ${extra("engine@replay", "raw@replay", "wall")} µs`
      + " the engine itself (request building, retry, timeout, span, error mapping). "
      + `The replay answered all ${stats.served} requests from its recording.`,
    "",
    `Noise: ${noise}`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")

  await onSim.close()
  await onReplay.close()
  await uncachedRuntime.dispose()
  await cachedRuntime.dispose()
  await replay.stop()
  await sim.stop()
}

await main()
