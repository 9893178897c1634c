/**
 * A minimal reproduction, without any client: a value returned by an Effect fiber that suspended survives
 * young-generation collections (scavenges) until a full collection. A fiber that stays suspended while the program
 * allocates is promoted to the old generation; when it completes, it keeps its exit — and so the value — and an
 * old object pointing to a young one keeps that one alive through every scavenge, until a full collection finds the
 * fiber dead. Returning the value in a box that the reader empties after reading leaves the fiber holding an empty
 * box.
 *
 *   npx tsx bench/gc-box.ts      (npm run bench runs every benchmark)
 *
 * Each measurement runs in a fresh `node --expose-gc` process:
 *
 * - `loop`: 400 pages of 1,000 rows (a 227 kB JSON body parsed while the fiber is suspended on `setImmediate`), each
 *   read and dropped; scavenges and full collections as `PerformanceObserver` reports them, peak RSS, wall time;
 * - `direct`: 20 pages, each fiber kept suspended across two forced scavenges (so promoted), then after the reader has
 *   dropped the page: is it still alive after a forced scavenge, and after a forced full collection (a `WeakRef`)?
 *
 * for three ways of handing the page over: the fiber's value (`Effect.runPromise(fetchPage)`), a box emptied after
 * reading, and — as a control without Effect — a plain `Promise` resolved from `setImmediate`.
 */
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { getHeapStatistics } from "node:v8"
import { type GcReport, observeGc, spread, watchMachine } from "./measure.js"
import { writeSection } from "./results.js"

const modes = ["value", "box", "promise"] as const
type Mode = (typeof modes)[number]
const loopPages = 400
const directPages = 20
const rounds = 3

const row = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  name: `server-${i}`,
  status: "ACTIVE",
  addresses: { private: [{ addr: `10.0.${i >> 8}.${i & 255}`, version: 4 }] },
  metadata: { role: "bench" },
  flavor: { id: "1", links: [] },
  created: "2026-01-01T00:00:00Z"
})
const body = JSON.stringify({ servers: Array.from({ length: 1000 }, (_, i) => row(i)) })

/** A page: what a listing call answers. */
interface Page {
  readonly servers: ReadonlyArray<{ readonly name: string }>
}

const isPage = (value: unknown): value is Page =>
  typeof value === "object" && value !== null && "servers" in value && Array.isArray(value.servers)

const parse = (): Page => {
  const parsed: unknown = JSON.parse(body)
  if (!isPage(parsed)) throw new Error("not a page")
  return parsed
}

/** Scavenges forced while a fetch is suspended (the `direct` check), so that its fiber or promise is promoted. */
let whileSuspended: () => void = () => {}

/** "Fetches" a page: suspends, and parses the body when it resumes (as an HTTP call parses its answer). */
const fetchPage: Effect.Effect<Page> = Effect.async<Page>((resume) => {
  setImmediate(() => {
    whileSuspended()
    resume(Effect.sync(parse))
  })
})

/** The same page in a box that the reader empties. */
interface Box {
  value: Page | undefined
}
const fetchBoxed: Effect.Effect<Box> = Effect.map(fetchPage, (value): Box => ({ value }))

const fetchPromise = (): Promise<Page> =>
  new Promise((resolve) =>
    setImmediate(() => {
      whileSuspended()
      resolve(parse())
    })
  )

const consume = (page: Page): number => {
  let n = 0
  for (const server of page.servers) n += server.name.length
  return n
}

/**
 * Fetches one page the way `mode` says and consumes it, keeping nothing. The page is read in this function: handed
 * on through another async function, that function's promise (waiting since before the fetch) would hold it too.
 */
const fetchAndConsume = async (mode: Mode): Promise<number> => {
  if (mode === "value") return consume(await Effect.runPromise(fetchPage))
  if (mode === "promise") return consume(await fetchPromise())
  const box = await Effect.runPromise(fetchBoxed)
  const page = box.value
  box.value = undefined
  if (page === undefined) throw new Error("empty box")
  return consume(page)
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** What a `loop` child measures. */
interface LoopResult {
  readonly gc: GcReport
  readonly wallMs: number
  readonly maxRssMb: number
}

/** What a `direct` child measures: heap bytes still used per page after two forced scavenges, and after a full collection. */
interface DirectResult {
  /** Heap bytes one parsed page takes. */
  readonly page: number
  readonly afterScavenges: ReadonlyArray<number>
  readonly afterFull: ReadonlyArray<number>
}

const loop = async (mode: Mode): Promise<LoopResult> => {
  const gc = observeGc()
  const start = performance.now()
  let n = 0
  for (let i = 0; i < loopPages; i++) n += await fetchAndConsume(mode)
  const wallMs = performance.now() - start
  await tick()
  if (n === 0) throw new Error("nothing consumed")
  return { gc: gc.stop(), wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }
}

const direct = async (mode: Mode): Promise<DirectResult> => {
  const collect = globalThis.gc
  if (collect === undefined) throw new Error("run with --expose-gc")
  // `gc(true)` is a scavenge and `gc()` a full collection (Node 20's `gc({ type: "major" })` scavenges only).
  const scavenge = () => collect(true)
  whileSuspended = () => {
    scavenge()
    scavenge()
  }
  const used = () => getHeapStatistics().used_heap_size
  const afterScavenges: Array<number> = []
  const afterFull: Array<number> = []
  collect()
  const before = used()
  let held: Page | undefined = parse()
  collect()
  const page = used() - before
  consume(held)
  held = undefined
  for (let i = 0; i < directPages; i++) {
    collect()
    await tick()
    const base = used()
    // In a function of its own: a suspended async frame would hold on to the value it awaited.
    if ((await fetchAndConsume(mode)) === 0) throw new Error("nothing consumed")
    // The page is dropped: two scavenges move whatever still survives out of the young generation.
    await tick()
    scavenge()
    scavenge()
    afterScavenges.push(used() - base)
    collect()
    afterFull.push(used() - base)
  }
  whileSuspended = () => {}
  return { page, afterScavenges, afterFull }
}

const self = fileURLToPath(import.meta.url)

/** Runs this file as a child: `node --expose-gc --import tsx gc-box.ts child <loop|direct> <mode>`. */
const child = (kind: "loop" | "direct", mode: Mode): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, "child", kind, mode], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    process_.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()))
    process_.once("error", reject)
    process_.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("result "))
      if (code !== 0 || line === undefined) reject(new Error(`gc-box child ${kind} ${mode} exited with ${code}`))
      else resolve(JSON.parse(line.slice("result ".length)))
    })
  })

const numberAt = (value: unknown, ...path: ReadonlyArray<string>): number => {
  let at: unknown = value
  for (const key of path) at = typeof at === "object" && at !== null ? Reflect.get(at, key) : undefined
  return typeof at === "number" ? at : Number.NaN
}

const numbersAt = (value: unknown, key: string): ReadonlyArray<number> => {
  const at: unknown = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined
  return Array.isArray(at) ? at.map(Number) : []
}

/** `1234 (1200–1300)`: the median and range of a child's byte counts, in kB. */
const kB = (value: unknown, key: string): string => {
  const s = spread(numbersAt(value, key).map((bytes) => bytes / 1000))
  return `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
}

const main = async () => {
  const machine = watchMachine()
  const loops: Record<Mode, Array<unknown>> = { value: [], box: [], promise: [] }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < modes.length; i++) {
      const mode = modes[(round + i) % modes.length] ?? "value"
      loops[mode].push(await child("loop", mode))
    }
  }
  const directs: Record<Mode, unknown> = { value: undefined, box: undefined, promise: undefined }
  for (const mode of modes) directs[mode] = await child("direct", mode)

  const noise = machine.stop()
  const med = (mode: Mode, ...path: ReadonlyArray<string>) => spread(loops[mode].map((r) => numberAt(r, ...path)))
  const range = (mode: Mode, digits: number, ...path: ReadonlyArray<string>) => {
    const s = med(mode, ...path)
    return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
  }
  const perPage = (mode: Mode) => {
    const s = spread(loops[mode].map((r) => numberAt(r, "gc", "scavenges", "ms") / loopPages))
    return `${s.median.toFixed(2)} ms (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
  }
  const label: Record<Mode, string> = {
    value: "the fiber's value: `await Effect.runPromise(fetchPage)`",
    box: "a box emptied after reading: `Effect.map(fetchPage, (value) => ({ value }))`",
    promise: "no Effect: a `Promise` resolved from `setImmediate`"
  }
  for (const mode of modes) {
    console.log(`${mode}: scavenges ${range(mode, 0, "gc", "scavenges", "count")}, ${perPage(mode)} of scavenge per page, full GCs ${
      range(mode, 0, "gc", "full", "count")
    }, peak RSS ${range(mode, 0, "maxRssMb")} MB; direct: ${kB(directs[mode], "afterScavenges")} kB after two scavenges, ${
      kB(directs[mode], "afterFull")
    } kB after a full GC`)
  }
  writeSection("gc-box", [
    "## A suspended fiber's value and the young generation (bench/gc-box.ts)",
    "",
    `Run: ${new Date().toISOString()}, Node ${process.version}. No client, no socket: a "fetch" suspends on \`setImmediate\` and`
      + ` parses a ${(body.length / 1000).toFixed(0)} kB JSON page of 1,000 rows when it resumes; the reader consumes each page and keeps`
      + ` nothing. Each measurement is a fresh \`node --expose-gc\` process; ${rounds} interleaved rounds of the loop (medians, in brackets`
      + " the range); collections as `PerformanceObserver` `gc` entries report them.",
    "",
    `| how the page is handed over | scavenges in ${loopPages} pages | scavenge pause per page | full GCs | peak RSS (MB) | wall time (ms) |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...modes.map((mode) =>
      `| ${label[mode]} | ${range(mode, 0, "gc", "scavenges", "count")} | ${perPage(mode)} | ${range(mode, 0, "gc", "full", "count")} | ${
        range(mode, 0, "maxRssMb")
      } | ${range(mode, 0, "wallMs")} |`
    ),
    "",
    `Direct check: ${directPages} pages, each fetch kept suspended across two forced scavenges (\`gc(true)\`, which`
      + " promotes what waits for it — the fiber, or the promise — to the old generation); once the reader has dropped the page, the"
      + " heap's used bytes above what they were before the fetch, after two more forced scavenges and then after a full collection."
      + ` One parsed page takes ${(numberAt(directs.value, "page") / 1000).toFixed(0)} kB of heap. Medians over the pages, in brackets the range.`,
    "",
    "| how the page is handed over | kB still used after two scavenges | kB still used after a full GC |",
    "| --- | --- | --- |",
    ...modes.map((mode) => `| ${label[mode]} | ${kB(directs[mode], "afterScavenges")} | ${kB(directs[mode], "afterFull")} |`),
    "",
    `Reading: in the loop, pages returned as the fiber's value cost ${perPage("value")} of scavenge pause per page, against`
      + ` ${perPage("box")} in an emptied box and ${perPage("promise")} through a plain promise; ${med("value", "gc", "scavenges", "count").median}`
      + ` scavenges against ${med("box", "gc", "scavenges", "count").median} and ${med("promise", "gc", "scavenges", "count").median}; peak RSS`
      + ` ${med("value", "maxRssMb").median.toFixed(0)} MB against ${med("box", "maxRssMb").median.toFixed(0)} and`
      + ` ${med("promise", "maxRssMb").median.toFixed(0)} MB. In the direct check, once the fetch had waited long enough to be promoted,`
      + ` two scavenges after the reader dropped the page left ${kB(directs.value, "afterScavenges")} kB of it in the heap when it was the`
      + ` fiber's value, ${kB(directs.box, "afterScavenges")} kB with the box, and ${kB(directs.promise, "afterScavenges")} kB through the`
      + ` plain promise (whose settled result is the page); after a full collection ${kB(directs.value, "afterFull")},`
      + ` ${kB(directs.box, "afterFull")} and ${kB(directs.promise, "afterFull")} kB.`,
    "",
    `Noise: ${noise}`,
    ""
  ].join("\n"))
  console.log("written to bench/RESULTS.md")
}

if (process.argv[2] === "child") {
  const kind = process.argv[3]
  const mode = modes.find((m) => m === process.argv[4])
  if (mode === undefined || (kind !== "loop" && kind !== "direct")) throw new Error("usage: gc-box.ts child <loop|direct> <value|box|promise>")
  const result = kind === "loop" ? await loop(mode) : await direct(mode)
  console.log(`result ${JSON.stringify(result)}`)
} else {
  await main()
}
