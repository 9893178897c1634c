/**
 * OVH client benchmark: 1,000 signed `GET /me/bill/{id}` calls one after another — through this client (typed,
 * `Bills.get`; and `get` without a schema), through the official `ovh` npm client, and with raw undici + SHA-1
 * signing (the floor) — against the OVH simulator and against a replay of its recorded answers, both served over TLS
 * on 127.0.0.1 in their own processes (the official client speaks only HTTPS), in one interleaved run. Every client
 * signs every call; the simulator checks each signature, the replay none.
 *
 *   npx tsx bench/ovh.bench.ts      (npm run bench runs every benchmark)
 */
import { Certificate } from "effect-cloud-clients/core/testing"
import { Bills, Ovh } from "effect-cloud-clients/ovh"
import { Schema } from "effect"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { globalAgent } from "node:https"
import createOvh from "ovh"
import { Agent, request } from "undici"
import { startSimulator } from "../bin/child.js"
import { batch, interleave, micros, millis, ratio, times, verdict, watchMachine } from "./measure.js"
import { record, startReplay } from "./replay.js"
import { writeSection } from "./results.js"

const calls = 1000
const rounds = 7

/** The `OVH_*` variables a simulator's banner exports. */
interface Keys {
  readonly applicationKey: string
  readonly applicationSecret: string
  readonly consumerKey: string
}

/** The four ways of making the calls against one endpoint (`https://127.0.0.1:PORT/1.0`) trusting `ca`. */
const callsOn = async (endpoint: string, keys: Keys, ca: string) => {
  const url = new URL(endpoint)
  const official = createOvh({
    appKey: keys.applicationKey,
    appSecret: keys.applicationSecret,
    consumerKey: keys.consumerKey,
    host: url.hostname,
    port: Number(url.port),
    basePath: url.pathname
  })
  const ovh = await Ovh.connect({ endpoint, ...keys, ca })
  const dispatcher = new Agent({ connect: { ca } })
  const time = await request(`${endpoint}/auth/time`, { dispatcher })
  const delta = Number(await time.body.text()) - Math.round(Date.now() / 1000)
  const raw = async (path: string) => {
    const target = `${endpoint}${path}`
    const timestamp = String(Math.round(Date.now() / 1000) + delta)
    const signature = `$1$${
      createHash("sha1").update([keys.applicationSecret, keys.consumerKey, "GET", target, "", timestamp].join("+")).digest("hex")
    }`
    const response = await request(target, {
      dispatcher,
      headers: {
        accept: "application/json",
        "x-ovh-application": keys.applicationKey,
        "x-ovh-consumer": keys.consumerKey,
        "x-ovh-timestamp": timestamp,
        "x-ovh-signature": signature
      }
    })
    if (response.statusCode !== 200) throw new Error(`raw GET ${path}: ${response.statusCode} ${await response.body.text()}`)
    return JSON.parse(await response.body.text())
  }
  return {
    ids: () => ovh.get("/me/bill", undefined, Schema.Array(Schema.String)),
    typed: (id: string) => ovh.run(Bills.get(id)),
    untyped: (id: string) => ovh.get(`/me/bill/${id}`),
    official: (id: string) => official.requestPromised("GET", `/me/bill/${id}`),
    raw: (id: string) => raw(`/me/bill/${id}`),
    close: async () => {
      await ovh.close()
      await dispatcher.close()
    }
  }
}

type Calls = Awaited<ReturnType<typeof callsOn>>

/** `calls` sequential calls of `f`, cycling through `ids`. */
const run = (ids: ReadonlyArray<string>, f: (id: string) => Promise<unknown>) => {
  let i = 0
  return batch(calls, () => f(ids[i++ % ids.length] ?? ""))
}

const main = async () => {
  const machine = watchMachine()
  const sim = await startSimulator(["ovh", "--tls"])
  machine.track(sim.pid)
  const env = Object.fromEntries([...sim.out.matchAll(/export (OVH_\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
  const simCert = readFileSync(/NODE_EXTRA_CA_CERTS=(\S+)/.exec(sim.out)?.[1] ?? "", "utf8")
  const simEndpoint = env["OVH_ENDPOINT"] ?? ""
  const keys: Keys = {
    applicationKey: env["OVH_APPLICATION_KEY"] ?? "",
    applicationSecret: env["OVH_APPLICATION_SECRET"] ?? "",
    consumerKey: env["OVH_CONSUMER_KEY"] ?? ""
  }
  const basePath = new URL(simEndpoint).pathname
  // The recording proxy and the replay serve one throwaway certificate of the core testing kit.
  const tls = Certificate.selfSigned()
  // The official client uses node:https's global agent: it trusts the simulator's certificate and this one.
  globalAgent.options.ca = [simCert, tls.cert]

  // Record every call of every client once, through a proxy in front of the simulator.
  const recorder = await record({ upstream: new URL(simEndpoint).origin, ca: simCert, tls, clock: [`${basePath}/auth/time`] })
  const recording = await callsOn(`${recorder.url}${basePath}`, keys, tls.cert)
  const ids = await recording.ids()
  for (const id of ids) {
    for (const f of [recording.typed, recording.untyped, recording.official, recording.raw]) await f(id)
  }
  await recording.close()
  await recorder.close()
  const replay = await startReplay(recorder.recording(), tls)
  machine.track(replay.pid)

  const on: Record<"sim" | "replay", Calls> = {
    sim: await callsOn(simEndpoint, keys, simCert),
    replay: await callsOn(`${replay.url}${basePath}`, keys, tls.cert)
  }
  const check = [await on.replay.typed(ids[0] ?? ""), await on.replay.official(ids[0] ?? ""), await on.sim.official(ids[0] ?? "")]
  if (check.some((bill) => typeof bill !== "object" || bill === null)) throw new Error("a client did not answer a bill")
  console.log(`OVH simulator and replay over TLS (separate processes); ${calls} signed GET /me/bill/{id} per batch, ${rounds} rounds, ${ids.length} bills`)

  const names = ["typed", "untyped", "official", "raw"] as const
  type Name = `${(typeof names)[number]}@${"sim" | "replay"}`
  const variants = (["sim", "replay"] as const).flatMap((server) =>
    names.map((name) => [`${name}@${server}`, () => run(ids, on[server][name])] as const satisfies readonly [Name, unknown])
  )
  for (const server of ["sim", "replay"] as const) for (const name of names) await batch(100, () => on[server][name](ids[0] ?? "")) // warm-up
  const of = await interleave(rounds, variants)
  const stats = await replay.stats()
  if (stats.misses.length > 0) throw new Error(`the replay had no answer for ${stats.misses.join(", ")}`)
  const vs = (a: Name, b: Name, key: "wall" | "cpu") => ratio(of(a), of(b), key)
  for (const server of ["sim", "replay"] as const) {
    console.log(`${server}: typed / official ${vs(`typed@${server}`, `official@${server}`, "wall").median.toFixed(2)}× (CPU ${
      vs(`typed@${server}`, `official@${server}`, "cpu").median.toFixed(2)
    }×), raw / official ${vs(`raw@${server}`, `official@${server}`, "wall").median.toFixed(2)}×`)
  }
  const noise = machine.stop()

  const total = (name: Name) => millis(of(name).map((s) => s.wall * calls))
  const cpu = (name: Name) => micros(of(name).map((s) => s.cpu))
  const label: Record<(typeof names)[number], string> = {
    typed: "this client, `Bills.get` (decoded with `Bills.Bill`)",
    untyped: "this client, `get` without a schema",
    official: "official `ovh` 2.0.3 (`requestPromised`, raw JSON)",
    raw: "raw undici + SHA-1 signing + `JSON.parse` (the floor)"
  }
  const serverName = { sim: "simulator", replay: "replay" } as const
  const rows = (["sim", "replay"] as const).flatMap((server) =>
    names.map((name) => `| ${serverName[server]} | ${label[name]} | ${total(`${name}@${server}`)} | ${cpu(`${name}@${server}`)} |`)
  )
  const ratioRow = (what: string, a: (typeof names)[number], key: "wall" | "cpu", target: string) =>
    `| ${what} | ${times(vs(`${a}@sim`, "official@sim", key))} | ${times(vs(`${a}@replay`, "official@replay", key))} | ${target} |`
  const typedWall = { sim: vs("typed@sim", "official@sim", "wall"), replay: vs("typed@replay", "official@replay", "wall") }
  const typedCpu = { sim: vs("typed@sim", "official@sim", "cpu"), replay: vs("typed@replay", "official@replay", "cpu") }
  const med = (name: Name, key: "wall" | "cpu") => {
    const sorted = of(name).map((s) => s[key] * 1000).sort((a, b) => a - b)
    return (sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)
  }
  writeSection("ovh", [
    "## OVH",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}. ${calls} signed \`GET /me/bill/{id}\``
      + ` calls one after another (cycling over the account's ${ids.length} bills) per batch, against the OVH simulator and against a`
      + " replay of its recorded answers (the same bytes from a bare `node:https` server; `/auth/time` answers the current time), both"
      + " over TLS on 127.0.0.1 in their own processes. Every client signed every call; the simulator checked every signature, the"
      + ` replay none. ${rounds} interleaved rounds of the ${names.length * 2} variants; medians, in brackets the range over the rounds;`
      + " ratios taken round by round. CPU is this process's (the clients').",
    "",
    "| server | client | time for 1,000 calls | client CPU per call |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "| ratio to the official client | against the simulator | against the replay | target |",
    "| --- | --- | --- | --- |",
    ratioRow("this client, typed: time", "typed", "wall",
      `≤ 1.0× (simulator ${verdict(typedWall.sim, 1)}, replay ${verdict(typedWall.replay, 1)})`),
    ratioRow("this client, typed: client CPU", "typed", "cpu",
      `≤ 1.0× (simulator ${verdict(typedCpu.sim, 1)}, replay ${verdict(typedCpu.replay, 1)})`),
    ratioRow("this client, untyped: time", "untyped", "wall", "—"),
    ratioRow("this client, untyped: client CPU", "untyped", "cpu", "—"),
    ratioRow("raw undici + signing: time", "raw", "wall", "— (the floor; 0.88× measured before)"),
    ratioRow("raw undici + signing: client CPU", "raw", "cpu", "—"),
    "",
    `Reading: per call, the typed client used ${med("typed@replay", "cpu")} µs of CPU in this process against the replay, the`
      + ` official client ${med("official@replay", "cpu")} µs and raw undici with signing ${med("raw@replay", "cpu")} µs; against the`
      + ` simulator ${med("typed@sim", "cpu")}, ${med("official@sim", "cpu")} and ${med("raw@sim", "cpu")} µs. A call took`
      + ` ${med("official@sim", "wall")} µs of wall time through the official client against the simulator and ${med("official@replay", "wall")} µs`
      + ` against the replay: the difference is the simulator's work (checking the signature, building the bill), the same for`
      + ` every client. Decoding with \`Bills.Bill\` is the difference between the typed and untyped rows. The replay answered all`
      + ` ${stats.served} requests from its recording.`,
    "",
    `Noise: ${noise}`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
  await on.sim.close()
  await on.replay.close()
  await replay.stop()
  await sim.stop()
}

await main()
