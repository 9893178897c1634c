/**
 * OpenStack client benchmark: listing 1,000 servers with details (one page of 1,000) through the Promise facade and
 * with raw undici + `JSON.parse`, against the OpenStack simulator and against a replay of its recorded answers, each
 * in its own process on 127.0.0.1, in one interleaved run; then Debian's openstacksdk against the simulator, when
 * `/usr/bin/python3` has it.
 *
 *   npx tsx bench/openstack.bench.ts      (npm run bench runs every benchmark)
 */
import { OpenStack } from "effect-cloud-clients/openstack"
import { Effect, Redacted } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { Agent, request } from "undici"
import { batch, clientOverRaw, interleave, millis, times, verdict, watchMachine } from "./measure.js"
import { record, startReplay } from "./replay.js"
import { startWithServers } from "./openstack-servers.js"
import { writeSection } from "./results.js"

const count = 1000
const rounds = 15
const sdkRounds = 9

/** Any request: these credentials do not depend on it. */
const probe = { method: "GET", url: "", body: "" }

/** The listings measured against one server: through the facade, and raw with the session's token. */
const callsOn = async (env: Record<string, string>) => {
  const os = await OpenStack.fromEnv(env)
  const compute = await Effect.runPromise(os.service.service("compute"))
  const headers = await Effect.runPromise(os.service.keystone.credentials.headers(probe))
  const token = Redacted.value(headers["x-auth-token"] ?? Redacted.make(""))
  const url = `${compute.rest.options.baseUrl}servers/detail?limit=${count}`
  const dispatcher = new Agent()
  return {
    client: () => os.servers.list({ limit: count }),
    raw: async () => {
      const response = await request(url, {
        dispatcher,
        headers: { "x-auth-token": token, accept: "application/json", "openstack-api-version": `compute ${compute.microversion ?? "2.1"}` }
      })
      return JSON.parse(await response.body.text())
    },
    close: async () => {
      await os.close()
      await dispatcher.close()
    }
  }
}

/** openstacksdk's times per listing (ms), measured inside Python after authentication and warm-up. */
const openstacksdk = (env: Record<string, string>): { readonly times: ReadonlyArray<number>; readonly version: string } | string => {
  const python = "/usr/bin/python3"
  if (!existsSync(python)) return "/usr/bin/python3 is not installed here"
  const script = `
import json, time, openstack
from openstack import version
conn = openstack.connect()
for _ in range(2): list(conn.compute.servers(details=True, limit=${count}))
times = []
for _ in range(${sdkRounds}):
    t = time.perf_counter(); n = len(list(conn.compute.servers(details=True, limit=${count}))); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "n": n, "version": version.__version__}))
`
  try {
    const out = execFileSync(python, ["-c", script], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"]
    })
    const result: unknown = JSON.parse(out.trim().split("\n").at(-1) ?? "{}")
    if (typeof result !== "object" || result === null || !("times" in result) || !Array.isArray(result.times)) return "openstacksdk printed no times"
    const version = "version" in result ? String(result.version) : "?"
    return { times: result.times.map(Number), version }
  } catch (error) {
    return `openstacksdk could not run (${String(error).split("\n")[0]})`
  }
}

const main = async () => {
  const machine = watchMachine()
  console.log(`OpenStack simulator (separate process); creating ${count} servers…`)
  const servers = await startWithServers(count)
  const sim = servers.simulator
  machine.track(sim.pid)
  const simEnv = servers.env()

  // Record the session's opening and the listing, through a proxy in front of the simulator.
  const recorder = await record({ upstream: servers.origin })
  const recording = await callsOn(servers.env(recorder.url))
  const listed = (await recording.client()).items.length
  await recording.raw()
  await recording.close()
  await recorder.close()
  if (listed !== count) throw new Error(`expected ${count} servers, listed ${listed}`)
  const replay = await startReplay(recorder.recording())
  machine.track(replay.pid)

  const onSim = await callsOn(simEnv)
  const onReplay = await callsOn(servers.env(replay.url))
  const variants = [
    ["client@sim", () => batch(1, onSim.client)],
    ["raw@sim", () => batch(1, onSim.raw)],
    ["client@replay", () => batch(1, onReplay.client)],
    ["raw@replay", () => batch(1, onReplay.raw)]
  ] as const
  await interleave(3, variants) // warm-up
  console.log(`(a) ${count} servers with details: ${rounds} interleaved rounds`)
  const of = await interleave(rounds, variants)
  const stats = await replay.stats()
  if (stats.misses.length > 0) throw new Error(`the replay had no answer for ${stats.misses.join(", ")}`)
  const ratios = {
    ...clientOverRaw(of)
  }
  console.log(`    client / raw: ${ratios.sim.median.toFixed(2)}× against the simulator, ${ratios.replay.median.toFixed(2)}× against the replay (target ≤ 1.2×)`)

  console.log("(b) openstacksdk against the simulator")
  const sdk = openstacksdk(simEnv)
  const clientSim = of("client@sim").map((s) => s.wall)
  const clientSimMedian = [...clientSim].sort((a, b) => a - b)[Math.floor(clientSim.length / 2)] ?? 0
  const sdkMedian = typeof sdk === "string" ? undefined : [...sdk.times].sort((a, b) => a - b)[Math.floor(sdk.times.length / 2)] ?? 0
  console.log(typeof sdk === "string" ? `    skipped: ${sdk}` : `    openstacksdk ${sdkMedian?.toFixed(1)} ms per listing`)
  const noise = machine.stop()

  const wall = (name: Parameters<typeof of>[0]) => millis(of(name).map((s) => s.wall))
  const cpu = (name: Parameters<typeof of>[0]) => millis(of(name).map((s) => s.cpu))
  const median = (name: Parameters<typeof of>[0], key: "wall" | "cpu") => {
    const sorted = of(name).map((s) => s[key]).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? 0
  }
  writeSection("openstack", [
    "## OpenStack",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}. Listing ${count} servers with details`
      + ` (one page of ${count}, \`servers.list({ limit: ${count} })\` through the Promise facade \`OpenStack.fromEnv\`, decoded with`
      + " `effect/Schema`) against raw undici + `JSON.parse` of the same request, served by the OpenStack simulator and by a replay"
      + " of its recorded answers (the same bytes, from a bare `node:http` server), each in its own process on 127.0.0.1."
      + ` ${rounds} interleaved rounds, one listing per variant per round; medians, in brackets the range over the rounds; ratios`
      + " taken round by round. CPU is this process's (the client's).",
    "",
    "| server | what | wall time per listing | client CPU per listing |",
    "| --- | --- | --- | --- |",
    `| simulator | this client, \`servers.list\` | ${wall("client@sim")} | ${cpu("client@sim")} |`,
    `| simulator | raw undici + \`JSON.parse\` (no validation) | ${wall("raw@sim")} | ${cpu("raw@sim")} |`,
    `| replay | this client, \`servers.list\` | ${wall("client@replay")} | ${cpu("client@replay")} |`,
    `| replay | raw undici + \`JSON.parse\` (no validation) | ${wall("raw@replay")} | ${cpu("raw@replay")} |`,
    typeof sdk === "string"
      ? `| simulator | openstacksdk (Debian python3-openstacksdk) | skipped: ${sdk} | — |`
      : `| simulator | openstacksdk ${sdk.version} (\`conn.compute.servers(details=True)\`, timed in Python, ${sdkRounds} rounds after the Node rounds) | ${millis(sdk.times)} | — |`,
    "",
    "| ratio | against the simulator | against the replay | target |",
    "| --- | --- | --- | --- |",
    `| wall time, client / raw | ${times(ratios.sim)} | ${times(ratios.replay)} | ≤ 1.2× replay (${verdict(ratios.replay, 1.2)}) |`,
    `| client CPU, client / raw | ${times(ratios.simCpu)} | ${times(ratios.replayCpu)} | — |`,
    sdkMedian === undefined
      ? "| wall time, openstacksdk / client | skipped | — | — |"
      : `| wall time, openstacksdk / client (medians) | **${(sdkMedian / clientSimMedian).toFixed(2)}×** | — | — |`,
    "",
    `Reading: per listing, the client took ${(median("client@replay", "wall") - median("raw@replay", "wall")).toFixed(1)} ms more wall time`
      + ` than raw undici against the replay and ${(median("client@replay", "cpu") - median("raw@replay", "cpu")).toFixed(1)} ms more CPU;`
      + ` against the simulator the raw listing took ${median("raw@sim", "wall").toFixed(1)} ms, of which the replay's`
      + ` ${median("raw@replay", "wall").toFixed(1)} ms is the transfer and the client's parse — the rest is the simulator building the page.`
      + ` The replay answered all ${stats.served} requests from its recording.`,
    "",
    `Noise: ${noise}`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
  await onSim.close()
  await onReplay.close()
  await replay.stop()
  await sim.stop()
}

await main()
