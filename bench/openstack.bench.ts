/**
 * OpenStack client benchmark: listing 1,000 servers (detail) against the OpenStack simulator served on 127.0.0.1 in
 * its own process — through this client, with raw undici + JSON.parse, and with Debian's openstacksdk (when
 * `/usr/bin/python3` has it). Ratios are printed and written to `bench/RESULTS.md`.
 *
 *   npm run bench
 */
import { OpenStackClient, OpenStackConfig } from "effect-cloud-clients/openstack"
import { NodeTransport } from "effect-cloud-clients/node"
import { ConfigProvider, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { Agent, request } from "undici"
import { writeSection } from "./results.js"
import { startSimulator } from "../bin/child.js"

/** Any request: these credentials do not depend on it. */
const probe = { method: "GET", url: "", body: "" }

const count = 1000

/** Starts the OpenStack simulator in a child process and reads the `OS_*` variables it prints. */
const startOpenStack = async () => {
  const sim = await startSimulator(["openstack", "--max-instances", String(count * 2), "--task-duration", "0 seconds"])
  const env = Object.fromEntries([...sim.out.matchAll(/export (OS_\w+)='([^']*)'/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
  return { env, stop: sim.stop }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const timeOnce = async (f: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await f()
  return performance.now() - start
}

/** openstacksdk's time per listing (ms), measured inside Python after authentication and warm-up. */
const openstacksdk = (env: Record<string, string>, rounds: number): number | undefined => {
  const python = "/usr/bin/python3"
  if (!existsSync(python)) return undefined
  const script = `
import json, statistics, time, openstack
conn = openstack.connect()
for _ in range(2): list(conn.compute.servers(details=True, limit=${count}))
times = []
for _ in range(${rounds}):
    t = time.perf_counter(); n = len(list(conn.compute.servers(details=True, limit=${count}))); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"ms": statistics.median(times), "n": n}))
`
  try {
    const out = execFileSync(python, ["-c", script], { env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env }, encoding: "utf8" })
    const result: unknown = JSON.parse(out.trim().split("\n").at(-1) ?? "{}")
    return typeof result === "object" && result !== null && "ms" in result && typeof result.ms === "number" ? result.ms : undefined
  } catch (error) {
    console.log(`    openstacksdk could not run: ${String(error).split("\n")[0]}`)
    return undefined
  }
}

const main = async () => {
  const sim = await startOpenStack()
  const options = await Effect.runPromise(Effect.withConfigProvider(OpenStackConfig.fromEnv, ConfigProvider.fromMap(new Map(Object.entries(sim.env)))))
  const runtime = ManagedRuntime.make(OpenStackClient.layer(options).pipe(Layer.provide(NodeTransport.layer())))
  const client = await runtime.runPromise(OpenStackClient)
  console.log(`OpenStack simulator (separate process); creating ${count} servers…`)
  await runtime.runPromise(Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    (i) => client.servers.create({ name: `bench-${String(i).padStart(4, "0")}`, imageRef: "0b3c6f0a-8e7b-4b5c-9a2d-1c3e5f7a9b0d", flavorRef: "1", networks: "none" }),
    { concurrency: 16, discard: true }
  ))

  const compute = await runtime.runPromise(client.service("compute"))
  const token = Redacted.value((await runtime.runPromise(client.keystone.credentials.headers(probe)))["x-auth-token"] ?? Redacted.make(""))
  const url = `${compute.rest.options.baseUrl}servers/detail?limit=${count}`
  const dispatcher = new Agent()
  const viaClient = () => runtime.runPromise(client.servers.list({ limit: count }))
  const viaRaw = async () => {
    const response = await request(url, {
      dispatcher,
      headers: { "x-auth-token": token, accept: "application/json", "openstack-api-version": `compute ${compute.microversion ?? "2.1"}` }
    })
    return JSON.parse(await response.body.text())
  }
  const listed = (await viaClient()).items.length
  if (listed !== count) throw new Error(`expected ${count} servers, listed ${listed}`)
  for (let i = 0; i < 3; i++) {
    await viaClient()
    await viaRaw()
  }
  const ours: Array<number> = []
  const raw: Array<number> = []
  for (let round = 0; round < 15; round++) {
    if (round % 2 === 0) {
      ours.push(await timeOnce(viaClient))
      raw.push(await timeOnce(viaRaw))
    } else {
      raw.push(await timeOnce(viaRaw))
      ours.push(await timeOnce(viaClient))
    }
  }
  const client_ms = median(ours)
  const raw_ms = median(raw)
  console.log(`(a) ${count} servers (detail): client ${client_ms.toFixed(1)} ms, raw undici + JSON.parse ${raw_ms.toFixed(1)} ms → ${(client_ms / raw_ms).toFixed(2)}×`)
  const sdk_ms = openstacksdk(sim.env, 15)
  if (sdk_ms !== undefined) {
    console.log(`(b) openstacksdk ${sdk_ms.toFixed(1)} ms → this client is ${(sdk_ms / client_ms).toFixed(2)}× faster`)
  }

  writeSection("openstack", [
    "## OpenStack",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}. Listing ${count} servers with details (one page of ${count})`
      + " from the OpenStack simulator in its own process on 127.0.0.1; medians of 15 interleaved rounds.",
    "",
    "| what | time per listing | ratio |",
    "| --- | --- | --- |",
    `| this client (\`servers.list\`, decoded with \`effect/Schema\`) | ${client_ms.toFixed(1)} ms | 1.00× |`,
    `| raw undici + \`JSON.parse\` (no validation) | ${raw_ms.toFixed(1)} ms | client / raw = **${(client_ms / raw_ms).toFixed(2)}×** |`,
    sdk_ms === undefined
      ? "| openstacksdk (Debian python3-openstacksdk) | not installed here | — |"
      : `| openstacksdk 0.101 (Debian, \`conn.compute.servers(details=True)\`) | ${sdk_ms.toFixed(1)} ms | openstacksdk / client = **${(sdk_ms / client_ms).toFixed(2)}×** |`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
  await runtime.dispose()
  await dispatcher.close()
  sim.stop()
}

await main()
