/**
 * What every client benchmark measures the same way: batches of calls timed in wall time and in this process's CPU
 * (`process.cpuUsage`, user + system — the client's own, the servers running in other processes), rounds that
 * rotate the order of the variants, medians with their spread, ratios taken round by round, and how busy the
 * machine was meanwhile (other processes share its two cores).
 */
import { readFileSync } from "node:fs"
import { availableParallelism, loadavg } from "node:os"
import { constants as perfConstants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks"

/** One batch: wall time and client CPU, in milliseconds per call. */
export interface Sample {
  readonly wall: number
  readonly cpu: number
}

/** Runs `f` `calls` times, one after another, and answers the cost per call. */
export const batch = async (calls: number, f: () => Promise<unknown>): Promise<Sample> => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  for (let i = 0; i < calls; i++) await f()
  const wall = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { wall: wall / calls, cpu: (used.user + used.system) / 1000 / calls }
}

/**
 * Runs every variant once per round, `rounds` times, the order rotated each round so that no variant always runs
 * first or after the same neighbour; answers each variant's samples in round order.
 */
export const interleave = async <K extends string>(
  rounds: number,
  variants: ReadonlyArray<readonly [K, () => Promise<Sample>]>
): Promise<(name: K) => ReadonlyArray<Sample>> => {
  const samples = new Map<K, Array<Sample>>(variants.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length]
      if (variant === undefined) continue
      const [name, run] = variant
      const sample = await run()
      samples.get(name)?.push(sample)
    }
  }
  return (name) => samples.get(name) ?? []
}

/** Median, quartiles and extremes of some numbers. */
export interface Spread {
  readonly median: number
  readonly q1: number
  readonly q3: number
  readonly min: number
  readonly max: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number => {
  if (sorted.length === 0) return Number.NaN
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  const a = sorted[low] ?? Number.NaN
  const b = sorted[high] ?? Number.NaN
  return a + (b - a) * (at - low)
}

/** The spread of `values`. */
export const spread = (values: ReadonlyArray<number>): Spread => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN
  }
}

/** The spread of `a`'s measure over `b`'s, taken round by round (the rounds of one `interleave`). */
export const ratio = (a: ReadonlyArray<Sample>, b: ReadonlyArray<Sample>, of: keyof Sample): Spread =>
  spread(a.flatMap((sample, i) => {
    const other = b[i]
    return other === undefined ? [] : [sample[of] / other[of]]
  }))

/**
 * The client-over-raw ratios of a run with the variants `client@sim`, `raw@sim`, `client@replay`, `raw@replay`:
 * wall time and CPU, against the simulator and against the replay.
 */
export const clientOverRaw = (of: (name: "client@sim" | "raw@sim" | "client@replay" | "raw@replay") => ReadonlyArray<Sample>) => ({
  sim: ratio(of("client@sim"), of("raw@sim"), "wall"),
  replay: ratio(of("client@replay"), of("raw@replay"), "wall"),
  simCpu: ratio(of("client@sim"), of("raw@sim"), "cpu"),
  replayCpu: ratio(of("client@replay"), of("raw@replay"), "cpu")
})

/** `1234 µs (1180–1400)`: a per-call time in microseconds, its median and range over the rounds. */
export const micros = (values: ReadonlyArray<number>): string => {
  const s = spread(values.map((ms) => ms * 1000))
  const digits = s.median < 100 ? 1 : 0
  return `${s.median.toFixed(digits)} µs (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
}

/** `142.1 ms (139.0–150.2)`: a time in milliseconds, its median and range over the rounds. */
export const millis = (values: ReadonlyArray<number>): string => {
  const s = spread(values)
  return `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`
}

/** `**1.23×** (1.10–1.40)`: a ratio's median in bold and its range over the rounds. */
export const times = (s: Spread): string => `**${s.median.toFixed(2)}×** (${s.min.toFixed(2)}–${s.max.toFixed(2)})`

/** Whether a ratio's median meets a target `≤ limit`: `met` or `not met`. */
export const verdict = (s: Spread, limit: number): string => (s.median <= limit ? "met" : "not met")

/**
 * CPU time of a process in clock ticks, from `/proc/<pid>/stat`: user + system, plus (with `children`) that of its
 * children it has waited for; undefined where unreadable (another system, a process gone).
 */
const processTicks = (pid: number | "self", children = false): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number)
    const own = (fields[11] ?? 0) + (fields[12] ?? 0)
    return children ? own + (fields[13] ?? 0) + (fields[14] ?? 0) : own
  } catch {
    return undefined
  }
}

/** Busy and total clock ticks of the whole machine, from `/proc/stat`; undefined where unreadable. */
const machineTicks = (): { readonly busy: number; readonly total: number } | undefined => {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? ""
    const values = line.trim().split(/\s+/).slice(1).map(Number)
    const total = values.reduce((a, b) => a + b, 0)
    const idle = (values[3] ?? 0) + (values[4] ?? 0)
    return { busy: total - idle, total }
  } catch {
    return undefined
  }
}

/** Clock ticks per second of `/proc` on Linux. */
const ticksPerSecond = 100

/**
 * Starts watching the machine; `stop()` answers one sentence for a benchmark's "noise" line: load averages, and how
 * many cores were busy on average since — this process, the processes it started (the servers it `track`s, and every
 * child it has waited for), and everything else (other people's tests and builds on the same machine).
 */
export const watchMachine = () => {
  const load = loadavg()
  const machine = machineTicks()
  const started = performance.now()
  const own = process.cpuUsage()
  const family = processTicks("self", true)
  const servers = new Set<number>()
  return {
    /** Counts a process started since the watch began (a server) with this benchmark's, while it runs. */
    track: (pid: number) => {
      servers.add(pid)
    },
    stop: (): string => {
      const seconds = (performance.now() - started) / 1000
      const after = machineTicks()
      const ownUsed = process.cpuUsage(own)
      const clientCores = (ownUsed.user + ownUsed.system) / 1e6 / seconds
      const live = [...servers].reduce((sum, pid) => sum + (processTicks(pid) ?? 0), 0)
      const familyCores = ((processTicks("self", true) ?? 0) - (family ?? 0) + live) / ticksPerSecond / seconds
      const loadNow = loadavg()
      const loads = `load average ${load[0]?.toFixed(2)} at the start, ${loadNow[0]?.toFixed(2)} at the end`
      if (machine === undefined || after === undefined || family === undefined) return `${seconds.toFixed(0)} s; ${loads}.`
      const cores = availableParallelism()
      const busy = after.total > machine.total ? cores * (after.busy - machine.busy) / (after.total - machine.total) : 0
      const others = Math.max(0, busy - familyCores)
      return `${seconds.toFixed(0)} s; ${loads}; the machine's ${cores} cores were busy ${busy.toFixed(2)} cores on average — `
        + `this benchmark's processes ${familyCores.toFixed(2)} (of which this one ${clientCores.toFixed(2)}), other processes ${others.toFixed(2)}.`
    }
  }
}

/** Garbage collections of one kind: how many, and their total pause in milliseconds. */
export interface Collections {
  readonly count: number
  readonly ms: number
}

/** Young-generation collections (scavenges) and full ones (mark-compact), as `PerformanceObserver` reports them. */
export interface GcReport {
  readonly scavenges: Collections
  readonly full: Collections
}

/** Starts counting garbage collections (`gc` performance entries); `stop` answers the counts since. */
export const observeGc = () => {
  const totals = { scavenges: { count: 0, ms: 0 }, full: { count: 0, ms: 0 } }
  const take = (entries: ReadonlyArray<PerformanceEntry>) => {
    for (const entry of entries) {
      const detail: unknown = Reflect.get(entry, "detail")
      const kind = typeof detail === "object" && detail !== null && "kind" in detail ? detail.kind : undefined
      const into = kind === perfConstants.NODE_PERFORMANCE_GC_MINOR
        ? totals.scavenges
        : kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR
        ? totals.full
        : undefined
      if (into === undefined) continue
      into.count++
      into.ms += entry.duration
    }
  }
  const observer = new PerformanceObserver((list) => take(list.getEntries()))
  observer.observe({ entryTypes: ["gc"] })
  return {
    stop: (): GcReport => {
      take(observer.takeRecords())
      observer.disconnect()
      return { scavenges: { ...totals.scavenges }, full: { ...totals.full } }
    }
  }
}
