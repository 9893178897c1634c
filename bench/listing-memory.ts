/**
 * Memory of long listings: peak RSS and heap of a process that lists every OpenStack server with details, 1,000 at
 * a time, and keeps none — 1,000 servers against 100,000 — through the Promise facade's async iterator
 * (`for await (const s of os.servers.listAll({ limit: 1000 }))`) and through the Effect `Stream`
 * (`Stream.runForEach(client.servers.listAll({ limit: 1000 }), …)`).
 *
 *   npx tsx bench/listing-memory.ts      (npm run bench runs every benchmark)
 *
 * The pages come from replay servers in their own processes: the simulator's answers for 1,000 servers recorded
 * once (a full page, then the empty page after it); for 100,000, that full page 100 times over with the servers'
 * ids renumbered on each (the first five hex digits of each server id replaced by the page's number, wherever the
 * id appears — its links, the next page's marker), then the empty page. Each listing runs in a fresh
 * `node --expose-gc` process, so that its peak RSS is its own.
 */
import { OpenStack, OpenStackClient, OpenStackConfig } from "effect-cloud-clients/openstack"
import { NodeTransport } from "effect-cloud-clients/node"
import { ConfigProvider, Effect, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { type GcReport, observeGc, spread, watchMachine } from "./measure.js"
import { startWithServers } from "./openstack-servers.js"
import { type Answer, record, type Recording, startReplay } from "./replay.js"
import { writeSection } from "./results.js"

const pageSize = 1000
const sizes = [1_000, 100_000] as const
const modes = ["facade", "stream"] as const
type Mode = (typeof modes)[number]
const rounds = 3

/** What one listing process measured. */
const Result = Schema.Struct({
  items: Schema.Number,
  seconds: Schema.Number,
  /** RSS once the modules are loaded, before connecting. */
  loadedRssMb: Schema.Number,
  /** RSS and heap used after connecting, after a full collection: where the listing starts from. */
  startRssMb: Schema.Number,
  startHeapMb: Schema.Number,
  /** The process's peak RSS over its whole life (`resourceUsage().maxRSS`). */
  maxRssMb: Schema.Number,
  /** Peaks sampled every 1,000 items during the listing. */
  peakHeapMb: Schema.Number,
  /** Heap used after the listing, after a full collection. */
  endHeapMb: Schema.Number,
  scavenges: Schema.Number,
  scavengeMs: Schema.Number,
  fullGcs: Schema.Number,
  fullGcMs: Schema.Number
})
type Result = typeof Result.Type

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/** The recording of the 1,000-server listing, stretched to `pages` full pages with renumbered server ids. */
const stretch = (recording: Recording, pages: number): Recording => {
  const isListing = (answer: Answer) => answer.method === "GET" && answer.target.includes("/servers/detail?")
  const first = recording.answers.find((a) => isListing(a) && !a.target.includes("marker="))
  const last = recording.answers.find((a) => isListing(a) && a.target.includes("marker="))
  if (first === undefined || last === undefined) throw new Error("the recording has no full page followed by a marker page")
  const text = Buffer.from(first.body, "base64").toString("utf8")
  const parsed: unknown = JSON.parse(text)
  const servers = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "servers") : undefined
  const ids = new Set(Array.isArray(servers) ? servers.map((s: unknown) => String(typeof s === "object" && s !== null ? Reflect.get(s, "id") : "")) : [])
  if (ids.size !== pageSize) throw new Error(`expected a full page of ${pageSize} servers, got ${ids.size}`)
  const renumber = (page: number) => (s: string) =>
    page === 0 ? s : s.replace(uuid, (id) => (ids.has(id) ? `${page.toString(16).padStart(5, "0")}${id.slice(5)}` : id))
  const stretched: Array<Answer> = []
  for (let page = 0; page < pages; page++) {
    // Page k is asked for with the marker of page k − 1's last server, as the recorded marker page was.
    const target = page === 0 ? first.target : renumber(page - 1)(last.target)
    stretched.push({ ...first, target, body: Buffer.from(renumber(page)(text), "utf8").toString("base64") })
  }
  stretched.push({ ...last, target: renumber(pages - 1)(last.target) })
  return { host: recording.host, answers: [...recording.answers.filter((a) => !isListing(a)), ...stretched] }
}

const self = fileURLToPath(import.meta.url)

/** Runs one listing in a fresh process. */
const listing = (mode: Mode, env: Record<string, string>): Promise<Result> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, "child", mode, JSON.stringify(env)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()))
    child.once("error", reject)
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("result "))
      if (code !== 0 || line === undefined) reject(new Error(`listing child (${mode}) exited with ${code}`))
      else resolve(Schema.decodeUnknownSync(Result)(JSON.parse(line.slice("result ".length))))
    })
  })

const mb = (bytes: number) => bytes / 1024 / 1024

/** The child: connects, lists every server, consuming each and keeping none, and prints what it measured. */
const runChild = async (mode: Mode, env: Record<string, string>): Promise<Result> => {
  const collect = globalThis.gc
  if (collect === undefined) throw new Error("run with --expose-gc")
  const loaded = process.memoryUsage.rss()
  let items = 0
  let touched = 0
  let peakHeap = 0
  const onItem = (server: { readonly name: string }) => {
    touched += server.name.length
    if (++items % pageSize === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }
  const session = mode === "facade"
    ? await (async () => {
      const os = await OpenStack.fromEnv(env)
      return {
        list: async () => {
          for await (const server of os.servers.listAll({ limit: pageSize })) onItem(server)
        },
        close: () => os.close()
      }
    })()
    : await (async () => {
      const options = await Effect.runPromise(Effect.withConfigProvider(OpenStackConfig.fromEnv, ConfigProvider.fromMap(new Map(Object.entries(env)))))
      const runtime = ManagedRuntime.make(OpenStackClient.layer(options).pipe(Layer.provide(NodeTransport.layer())))
      const client = await runtime.runPromise(OpenStackClient)
      return {
        list: () => runtime.runPromise(Stream.runForEach(client.servers.listAll({ limit: pageSize }), (server) => Effect.sync(() => onItem(server)))),
        close: () => runtime.dispose()
      }
    })()
  collect()
  const start = process.memoryUsage()
  const gc = observeGc()
  const began = performance.now()
  await session.list()
  const seconds = (performance.now() - began) / 1000
  const report: GcReport = gc.stop()
  const maxRssMb = process.resourceUsage().maxRSS / 1024
  collect()
  const end = process.memoryUsage()
  await session.close()
  if (touched === 0) throw new Error("nothing listed")
  return {
    items,
    seconds,
    loadedRssMb: mb(loaded),
    startRssMb: mb(start.rss),
    startHeapMb: mb(start.heapUsed),
    maxRssMb,
    peakHeapMb: mb(Math.max(peakHeap, start.heapUsed)),
    endHeapMb: mb(end.heapUsed),
    scavenges: report.scavenges.count,
    scavengeMs: report.scavenges.ms,
    fullGcs: report.full.count,
    fullGcMs: report.full.ms
  }
}

const main = async () => {
  const machine = watchMachine()
  console.log(`OpenStack simulator (separate process); creating ${pageSize} servers…`)
  const servers = await startWithServers(pageSize)
  machine.track(servers.simulator.pid)
  const recorder = await record({ upstream: servers.origin })
  {
    await using os = await OpenStack.fromEnv(servers.env(recorder.url))
    let n = 0
    for await (const _ of os.servers.listAll({ limit: pageSize })) n++
    if (n !== pageSize) throw new Error(`expected ${pageSize} servers, listed ${n}`)
  }
  await recorder.close()
  await servers.simulator.stop()
  const recorded = recorder.recording()
  const replays = {
    [sizes[0]]: await startReplay(recorded),
    [sizes[1]]: await startReplay(stretch(recorded, sizes[1] / pageSize))
  }
  for (const replay of Object.values(replays)) machine.track(replay.pid)

  const runs = sizes.flatMap((size) => modes.map((mode) => [size, mode] as const))
  const results = new Map<string, Array<Result>>(runs.map(([size, mode]) => [`${size} ${mode}`, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(round + i) % runs.length]
      if (run === undefined) continue
      const [size, mode] = run
      const result = await listing(mode, servers.env(replays[size].url))
      if (result.items !== size) throw new Error(`${mode}: expected ${size} servers, listed ${result.items}`)
      console.log(`${size} servers, ${mode}: peak RSS ${result.maxRssMb.toFixed(0)} MB, peak heap ${result.peakHeapMb.toFixed(0)} MB, ${result.seconds.toFixed(1)} s`)
      results.get(`${size} ${mode}`)?.push(result)
    }
  }
  for (const replay of Object.values(replays)) {
    const stats = await replay.stats()
    if (stats.misses.length > 0) throw new Error(`a replay had no answer for ${stats.misses.join(", ")}`)
  }
  const noise = machine.stop()

  const of = (size: number, mode: Mode) => results.get(`${size} ${mode}`) ?? []
  const cell = (size: number, mode: Mode, key: keyof Result, digits = 0) => {
    const s = spread(of(size, mode).map((r) => r[key]))
    return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
  }
  const growthOf = (size: number, mode: Mode) => spread(of(size, mode).map((r) => r.maxRssMb - r.startRssMb))
  const growth = (size: number, mode: Mode) => {
    const g = growthOf(size, mode)
    return `${g.median.toFixed(0)} (${g.min.toFixed(0)}–${g.max.toFixed(0)})`
  }
  const peakRatio = (mode: Mode) => {
    const big = spread(of(sizes[1], mode).map((r) => r.maxRssMb)).median
    const small = spread(of(sizes[0], mode).map((r) => r.maxRssMb)).median
    return big / small
  }
  const label: Record<Mode, string> = {
    facade: "facade, `for await … of os.servers.listAll()`",
    stream: "Effect, `Stream.runForEach(client.servers.listAll())`"
  }
  writeSection("listing-memory", [
    "## Memory of long listings (bench/listing-memory.ts)",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}. Every OpenStack server with details, ${pageSize} per page, each`
      + " consumed (its name read) and none kept, from a replay server in its own process on 127.0.0.1: the simulator's recorded"
      + ` answers for ${pageSize.toLocaleString("en")} servers, or that page ${sizes[1] / pageSize} times over with renumbered server ids for`
      + ` ${sizes[1].toLocaleString("en")}. Each listing in a fresh \`node --expose-gc\` process (sources through tsx); ${rounds} interleaved`
      + " rounds; medians, in brackets the range. RSS at start and heap at start/end are after connecting and a full collection; peak"
      + " RSS is the process's whole life (`process.resourceUsage().maxRSS`); peak heap is sampled every 1,000 items.",
    "",
    "| listing | servers | RSS at start (MB) | peak RSS (MB) | peak − start (MB) | heap at start (MB) | peak heap (MB) | heap at end (MB) | scavenges | scavenge pauses (ms) | full GCs | full GC pauses (ms) | time (s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...runs.map(([size, mode]) =>
      `| ${label[mode]} | ${size.toLocaleString("en")} | ${cell(size, mode, "startRssMb")} | ${cell(size, mode, "maxRssMb")} | ${
        growth(size, mode)
      } | ${cell(size, mode, "startHeapMb")} | ${cell(size, mode, "peakHeapMb")} | ${cell(size, mode, "endHeapMb")} | ${
        cell(size, mode, "scavenges")
      } | ${cell(size, mode, "scavengeMs")} | ${cell(size, mode, "fullGcs")} | ${cell(size, mode, "fullGcMs")} | ${cell(size, mode, "seconds", 1)} |`
    ),
    "",
    "| peak RSS, 100,000 / 1,000 servers | measured | target |",
    "| --- | --- | --- |",
    ...modes.map((mode) => `| ${label[mode]} | **${peakRatio(mode).toFixed(2)}×** | ≤ 1.5× (${peakRatio(mode) <= 1.5 ? "met" : "not met"}) |`),
    "",
    `Reading: listing ${sizes[1].toLocaleString("en")} servers instead of ${sizes[0].toLocaleString("en")} raised the peak RSS from`
      + ` ${cell(sizes[0], "facade", "maxRssMb")} to ${cell(sizes[1], "facade", "maxRssMb")} MB through the facade and from`
      + ` ${cell(sizes[0], "stream", "maxRssMb")} to ${cell(sizes[1], "stream", "maxRssMb")} MB through the Stream; the heap after the`
      + ` listing and a full collection was ${cell(sizes[1], "facade", "endHeapMb")} and ${cell(sizes[1], "stream", "endHeapMb")} MB`
      + ` (${cell(sizes[0], "facade", "endHeapMb")} and ${cell(sizes[0], "stream", "endHeapMb")} MB for ${sizes[0].toLocaleString("en")}).`
      + ` Above the RSS the process had before listing (${cell(sizes[0], "facade", "startRssMb")} MB, of which`
      + ` ${cell(sizes[0], "facade", "loadedRssMb")} MB once the modules were loaded, before connecting), the`
      + ` listing added ${growth(sizes[0], "facade")} MB for ${sizes[0].toLocaleString("en")} servers and ${growth(sizes[1], "facade")} MB for`
      + ` ${sizes[1].toLocaleString("en")} through the facade, ${growth(sizes[0], "stream")} and ${growth(sizes[1], "stream")} MB through the`
      + " Stream: the ratio in the target is of whole-process peaks. The scavenge and full-collection columns say what the collector did meanwhile. `bench/gc-box.ts` (its own section)"
      + " reproduces, without a client, how a page returned by a suspended fiber outlives young-generation collections.",
    "",
    `Noise: ${noise}`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
  for (const replay of Object.values(replays)) await replay.stop()
}

if (process.argv[2] === "child") {
  const mode = modes.find((m) => m === process.argv[3])
  const env = Schema.decodeUnknownSync(Schema.Record({ key: Schema.String, value: Schema.String }))(JSON.parse(process.argv[4] ?? "{}"))
  if (mode === undefined) throw new Error("usage: listing-memory.ts child <facade|stream> ENV_JSON")
  console.log(`result ${JSON.stringify(await runChild(mode, env))}`)
} else {
  await main()
}
