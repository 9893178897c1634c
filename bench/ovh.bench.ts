/**
 * OVH client benchmark: 1,000 signed `GET /me/bill/{id}` calls through this client and through the official `ovh`
 * npm client against the same OVH simulator, served over TLS on 127.0.0.1 in its own process (the official client
 * speaks only HTTPS). One call after another, then ten at a time; medians of interleaved rounds. Ratios are printed
 * and written to `bench/RESULTS.md`.
 *
 *   npm run bench
 */
import { Bills, Ovh } from "effect-cloud-clients/ovh"
import { Schema } from "effect"
import { readFileSync } from "node:fs"
import { globalAgent } from "node:https"
import createOvh from "ovh"
import { writeSection } from "./results.js"
import { startSimulator } from "../bin/child.js"

const calls = 1000
const rounds = 7

/** Starts the OVH simulator over TLS in a child process and reads the variables and certificate it prints. */
const startOvh = async () => {
  const sim = await startSimulator(["ovh", "--tls"])
  const env = Object.fromEntries([...sim.out.matchAll(/export (OVH_\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
  const certFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(sim.out)?.[1] ?? ""
  return { env, cert: readFileSync(certFile, "utf8"), stop: sim.stop }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** What a round cost: wall-clock milliseconds, and this process's CPU milliseconds (the client's; the simulator runs elsewhere). */
interface Cost {
  readonly wall: number
  readonly cpu: number
}

/** Runs `call` on every id, `concurrency` at a time. */
const timeAll = async (ids: ReadonlyArray<string>, concurrency: number, call: (id: string) => Promise<unknown>): Promise<Cost> => {
  const start = performance.now()
  const cpu = process.cpuUsage()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ids.length) {
      const id = ids[next++] ?? ""
      await call(id)
    }
  }))
  const used = process.cpuUsage(cpu)
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 }
}

const main = async () => {
  const sim = await startOvh()
  const env = (name: string) => sim.env[name] ?? ""
  const endpoint = new URL(env("OVH_ENDPOINT"))
  globalAgent.options.ca = sim.cert
  const official = createOvh({
    appKey: env("OVH_APPLICATION_KEY"),
    appSecret: env("OVH_APPLICATION_SECRET"),
    consumerKey: env("OVH_CONSUMER_KEY"),
    host: endpoint.hostname,
    port: Number(endpoint.port),
    basePath: endpoint.pathname
  })
  await using ovh = await Ovh.connect({
    endpoint: env("OVH_ENDPOINT"),
    applicationKey: env("OVH_APPLICATION_KEY"),
    applicationSecret: env("OVH_APPLICATION_SECRET"),
    consumerKey: env("OVH_CONSUMER_KEY"),
    ca: sim.cert
  })
  const billIds = await ovh.get("/me/bill", undefined, Schema.Array(Schema.String))
  const ids = Array.from({ length: calls }, (_, i) => billIds[i % billIds.length] ?? "")
  const variants = {
    typed: (id: string) => ovh.get(`/me/bill/${id}`, undefined, Bills.Bill),
    untyped: (id: string) => ovh.get(`/me/bill/${id}`),
    official: (id: string) => official.requestPromised("GET", `/me/bill/${id}`)
  }
  const check = [await variants.typed(ids[0] ?? ""), await variants.official(ids[0] ?? "")]
  if (check.some((bill) => typeof bill !== "object" || bill === null)) throw new Error("a client did not answer a bill")
  console.log(`OVH simulator over TLS (separate process); ${calls} signed GET /me/bill/{id} per round, ${rounds} rounds`)

  const measure = async (concurrency: number) => {
    const times: Record<keyof typeof variants, Array<Cost>> = { typed: [], untyped: [], official: [] }
    const order: ReadonlyArray<keyof typeof variants> = ["typed", "untyped", "official"]
    await timeAll(ids.slice(0, 100), concurrency, variants.typed)
    await timeAll(ids.slice(0, 100), concurrency, variants.official)
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so that no variant always runs first.
      for (let i = 0; i < order.length; i++) {
        const name = order[(round + i) % order.length] ?? "typed"
        times[name].push(await timeAll(ids, concurrency, variants[name]))
      }
    }
    const of = (name: keyof typeof variants): Cost => ({ wall: median(times[name].map((c) => c.wall)), cpu: median(times[name].map((c) => c.cpu)) })
    return { typed: of("typed"), untyped: of("untyped"), official: of("official") }
  }
  const sequential = await measure(1)
  const concurrent = await measure(10)
  type Measured = Awaited<ReturnType<typeof measure>>
  const line = (label: string, m: Measured) =>
    `${label}: this client ${m.typed.wall.toFixed(0)} ms (untyped ${m.untyped.wall.toFixed(0)} ms), official ${m.official.wall.toFixed(0)} ms → this client / official = ${(m.typed.wall / m.official.wall).toFixed(2)}×; client CPU ${m.typed.cpu.toFixed(0)} vs ${m.official.cpu.toFixed(0)} ms`
  console.log(line("one at a time", sequential))
  console.log(line("ten at a time", concurrent))

  const perCall = (ms: number) => `${(ms / calls * 1000).toFixed(0)} µs`
  const row = (label: string, m: Measured) => [
    `| ${label} | official \`ovh\` 2.0.3 (\`requestPromised\`, raw JSON) | ${m.official.wall.toFixed(0)} ms | ${perCall(m.official.cpu)} | 1.00× |`,
    `| ${label} | this client, decoded with \`Bills.Bill\` | ${m.typed.wall.toFixed(0)} ms | ${perCall(m.typed.cpu)} | this client / official = **${(m.typed.wall / m.official.wall).toFixed(2)}×** |`,
    `| ${label} | this client, \`get\` without a schema | ${m.untyped.wall.toFixed(0)} ms | ${perCall(m.untyped.cpu)} | ${(m.untyped.wall / m.official.wall).toFixed(2)}× |`
  ]
  writeSection("ovh", [
    "## OVH",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}. ${calls} signed \`GET /me/bill/{id}\` calls against the OVH simulator served over TLS`
      + ` on 127.0.0.1 in its own process; both clients signed every call and the simulator checked every signature. Medians of ${rounds} interleaved rounds.`,
    "",
    "| calls | client | time for 1,000 calls | client CPU per call | ratio (time) |",
    "| --- | --- | --- | --- | --- |",
    ...row("one at a time", sequential),
    ...row("ten at a time", concurrent),
    "",
    "Reading: the simulator costs both clients the same; the difference is the client's own CPU per call (this process's",
    "`process.cpuUsage`, the simulator running in another): Effect's runtime, `@effect/platform`'s HttpClient over undici,",
    "the per-attempt timeout, retry schedule, span and error mapping, against a bare `https.request`. The official client",
    "does none of that — no timeout by default, no retry, no validation — and answers errors as `{error, message}`.",
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
  sim.stop()
}

await main()
