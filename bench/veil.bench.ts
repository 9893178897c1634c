/**
 * VeiL client benchmark, against the simulator served on 127.0.0.1 in a separate process.
 *
 *   npm run bench
 *
 * (a) `domains.list` of 100 rows through the client vs the same request with raw undici + JSON.parse;
 * (b) a cached `get` vs an uncached one;
 * (c) 100 concurrent identical `get`s through the cache: how many requests reach the server.
 *
 * Every figure is a ratio of two measurements taken in the same run, interleaved round by round.
 */
import { HttpClient } from "@effect/platform"
import { ResponseCache } from "effect-cloud-clients/core"
import { VeilClient, type VeilClientService } from "effect-cloud-clients/veil"
import { Path } from "effect-cloud-clients/core"
import { NodeTransport } from "effect-cloud-clients/node"
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Agent, request } from "undici"
import { writeSection } from "./results.js"

const root = fileURLToPath(new URL("..", import.meta.url))

/** Starts `npm run simulate -- veil` in a child process and reads its address and token. */
const startSimulator = (domains: number) =>
  new Promise<{ address: string; token: string; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "simulate", "veil", "--domains", String(domains)], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const address = /address\s+(\S+)/.exec(out)?.[1]
      const token = /token\s+(jwt \S+)/.exec(out)?.[1]
      if (address !== undefined && token !== undefined) resolve({ address, token, stop: () => child.kill("SIGINT") })
    })
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}`)))
  })

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : sorted[mid] ?? 0
}

/** Mean time per call of `f` over `n` sequential calls, in microseconds. */
const perCall = async (n: number, f: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  for (let i = 0; i < n; i++) await f()
  return ((performance.now() - start) * 1000) / n
}

/** Runs `a` and `b` alternately for `rounds` rounds; returns the median per-call times. */
const compare = async (rounds: number, n: number, a: () => Promise<unknown>, b: () => Promise<unknown>) => {
  const as: Array<number> = []
  const bs: Array<number> = []
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      as.push(await perCall(n, a))
      bs.push(await perCall(n, b))
    } else {
      bs.push(await perCall(n, b))
      as.push(await perCall(n, a))
    }
  }
  return { a: median(as), b: median(bs) }
}

const main = async () => {
  const sim = await startSimulator(100)
  const options = { address: sim.address, token: sim.token, scheme: "http" as const, check: true }
  let requestsSent = 0
  const counted = { ...options, transformClient: HttpClient.tapRequest(() => Effect.sync(() => void requestsSent++)) }
  const transport = NodeTransport.layer()
  const uncachedRuntime = ManagedRuntime.make(VeilClient.layer(options).pipe(Layer.provide(transport)))
  const cachedRuntime = ManagedRuntime.make(
    VeilClient.layer(counted).pipe(
      Layer.provideMerge(Layer.merge(transport, ResponseCache.layerMemory({ timeToLive: "1 hour" })))
    )
  )
  const uncached: VeilClientService = await uncachedRuntime.runPromise(VeilClient)
  const cached: VeilClientService = await cachedRuntime.runPromise(VeilClient)
  const dispatcher = new Agent()
  const listUrl = `http://${sim.address}/api/domains/?limit=100`

  const clientList = () => uncachedRuntime.runPromise(uncached.domains.list({ limit: 100 }))
  const rawList = async () => {
    const response = await request(listUrl, {
      dispatcher,
      headers: { authorization: sim.token, accept: "application/json", "accept-language": "en" }
    })
    return JSON.parse(await response.body.text())
  }
  console.log(`simulator on ${sim.address} (separate process), 100 domains`)
  const rows = (await clientList()).items.length
  const [first] = (await clientList()).items
  if (first === undefined || rows !== 100) throw new Error(`expected 100 domains, got ${rows}`)

  // warm-up
  await compare(2, 50, clientList, rawList)

  console.log("(a) domains.list, 100 rows: client vs raw undici + JSON.parse")
  const a = await compare(15, 40, clientList, rawList)
  const ratioA = a.a / a.b
  console.log(`    client ${a.a.toFixed(0)} µs/call, raw ${a.b.toFixed(0)} µs/call → ${ratioA.toFixed(2)}× (target ≤ 1.15×)`)

  console.log("(a′) the same request through the client's engine, body parsed but not validated (Schema.Unknown)")
  const unvalidated = () =>
    uncachedRuntime.runPromise(
      uncached.rest.json({ method: "GET", path: Path.literal("domains/"), query: { limit: "100" } }, Schema.Unknown)
    )
  const a2 = await compare(15, 40, unvalidated, rawList)
  const ratioA2 = a2.a / a2.b
  console.log(`    engine ${a2.a.toFixed(0)} µs/call, raw ${a2.b.toFixed(0)} µs/call → ${ratioA2.toFixed(2)}×`)

  console.log("(b) domains.get: uncached vs cached")
  const getUncached = () => uncachedRuntime.runPromise(uncached.domains.get(first.id))
  const getCached = () => cachedRuntime.runPromise(cached.domains.get(first.id))
  await getCached()
  const b = await compare(9, 200, getUncached, getCached)
  const ratioB = b.a / b.b
  console.log(`    uncached ${b.a.toFixed(1)} µs/call, cached ${b.b.toFixed(1)} µs/call → cached is ${ratioB.toFixed(0)}× faster (target ≥ 50×)`)

  console.log("(c) 100 concurrent identical get()s through the cache")
  await cachedRuntime.runPromise(Effect.flatMap(ResponseCache.ResponseCache, (c) => c.invalidate("")))
  const before = requestsSent
  await cachedRuntime.runPromise(
    Effect.all(Array.from({ length: 100 }, () => cached.domains.get(first.id)), { concurrency: "unbounded" })
  )
  const reached = requestsSent - before
  console.log(`    requests that reached the server: ${reached} (target exactly 1)`)

  const results = [
    "## VeiL ECP",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}. ` +
    "The VeiL simulator runs in its own process on 127.0.0.1; each pair of measurements is interleaved in one run.",
    "",
    "| what | measured | ratio | target |",
    "| --- | --- | --- | --- |",
    `| (a) \`domains.list\` of 100 rows: client vs raw undici + \`JSON.parse\` | ${a.a.toFixed(0)} µs vs ${
      a.b.toFixed(0)
    } µs per call | **${ratioA.toFixed(2)}×** | ≤ 1.15× |`,
    `| (a′) the same, parsed but not validated (\`Schema.Unknown\`): the engine alone | ${a2.a.toFixed(0)} µs vs ${
      a2.b.toFixed(0)
    } µs per call | **${ratioA2.toFixed(2)}×** | — |`,
    `| (b) \`domains.get\`: uncached vs cached | ${b.a.toFixed(1)} µs vs ${b.b.toFixed(1)} µs per call | **${
      ratioB.toFixed(0)
    }×** | ≥ 50× |`,
    `| (c) 100 concurrent identical \`get\`s (cache) | ${reached} request(s) reached the server | **${reached}** | exactly 1 |`,
    "",
    "Reading (a): validating a 100-row page means checking about 1,900 fields with `effect/Schema` (and allocating",
    "the decoded copy); that costs roughly three times `JSON.parse` of the same body. Against this simulator, which",
    "answers a 100-row page in about 2 ms, that validation is what separates the client from raw undici; (a′) shows",
    "the engine without it (retry, timeout, span, error mapping, JSON parse). Against a controller that takes tens of",
    "milliseconds per page, the same absolute cost is a few percent.",
    ""
  ].join("\n")
  writeSection("veil", results)
  console.log("\nwritten to bench/RESULTS.md")

  await uncachedRuntime.dispose()
  await cachedRuntime.dispose()
  await dispatcher.close()
  sim.stop()
}

await main()
