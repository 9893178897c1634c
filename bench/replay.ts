/**
 * Record once, replay many times: a benchmark drives a simulator through a recording proxy (`record`) with the
 * clients it measures, then serves exactly the answers recorded (status, headers, body bytes, keyed by method, path
 * and query) from a minimal `node:http` server in its own process (`startReplay`, see `replay-server.ts`) — so that
 * what a round costs is the client's work and the socket's, not the simulator's.
 *
 * The recording proxy forwards the client's `Host`, so the simulator builds its links and checks OVH signatures
 * against the address the client used; the replay server puts its own address where the recording named the proxy's
 * (once, when it loads). It checks no credential and no signature; answers marked `clock` (OVH's `/auth/time`) are
 * the current Unix time in seconds when asked.
 */
import { spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs"
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Agent, request } from "undici"

/** One recorded answer. `body` is base64; `clock` answers are the current Unix time instead. */
export interface Answer {
  readonly method: string
  /** Path and query, as the client sent them. */
  readonly target: string
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
  readonly clock?: boolean
}

/** What a recording proxy saw: the `host:port` its answers name, and the last answer to each request. */
export interface Recording {
  readonly host: string
  readonly answers: ReadonlyArray<Answer>
}

/** The key an answer is found by. */
export const keyOf = (method: string, target: string): string => `${method.toUpperCase()} ${target}`

/** PEM key and certificate for serving HTTPS. */
export interface Tls {
  readonly key: string
  readonly cert: string
}

/** Request and response headers that belong to one connection, not to the answer. */
const hopByHop: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "date",
  "proxy-connection",
  "upgrade"
])

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.once("end", () => resolve(Buffer.concat(chunks)))
    req.once("error", reject)
  })

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : 0)
    })
  })

/** A recording proxy in front of a simulator. */
export interface Recorder {
  /** `http(s)://127.0.0.1:PORT`: point the clients here. */
  readonly url: string
  /** What has been recorded so far. */
  readonly recording: () => Recording
  /** Stops the proxy. */
  readonly close: () => Promise<void>
}

/**
 * Starts a recording proxy on 127.0.0.1 in front of `upstream` (an origin on 127.0.0.1; `ca` the PEM certificate
 * it serves, when HTTPS), served over HTTPS itself when `tls` is given. Requests to a path in `clock` are recorded
 * as clock answers.
 */
export const record = async (options: {
  readonly upstream: string
  readonly ca?: string | undefined
  readonly tls?: Tls | undefined
  readonly clock?: ReadonlyArray<string> | undefined
}): Promise<Recorder> => {
  const dispatcher = new Agent(options.ca === undefined ? {} : { connect: { ca: options.ca } })
  const answers = new Map<string, Answer>()
  const clock = new Set(options.clock ?? [])
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req)
    const method = req.method ?? "GET"
    const target = req.url ?? "/"
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || (hopByHop.has(name) && name !== "host")) continue
      headers[name] = Array.isArray(value) ? value.join(", ") : value
    }
    const answer = await request(`${options.upstream}${target}`, {
      dispatcher,
      method,
      headers,
      ...(body.length === 0 ? {} : { body })
    })
    const bytes = Buffer.from(await answer.body.arrayBuffer())
    const kept: Array<readonly [string, string]> = []
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || hopByHop.has(name)) continue
      for (const one of Array.isArray(value) ? value : [value]) kept.push([name, one])
    }
    const path = target.split("?")[0] ?? target
    answers.set(keyOf(method, target), {
      method,
      target,
      status: answer.statusCode,
      headers: kept,
      body: bytes.toString("base64"),
      ...(clock.has(path) ? { clock: true } : {})
    })
    res.writeHead(answer.statusCode, [...kept.flat(), "content-length", String(bytes.length)])
    res.end(bytes)
  }
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(502, { "content-type": "text/plain" })
      res.end(`recording proxy: ${String(error)}`)
    })
  }
  const server = options.tls === undefined
    ? createHttpServer(onRequest)
    : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
  const port = await listen(server)
  const host = `127.0.0.1:${port}`
  return {
    url: `${options.tls === undefined ? "http" : "https"}://${host}`,
    recording: () => ({ host, answers: [...answers.values()] }),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await dispatcher.close()
    }
  }
}

/** A replay server running in a child process. */
export interface Replay {
  /** `http(s)://127.0.0.1:PORT`. */
  readonly url: string
  /** The `host:port` it answers on (what it put in the answers where the recording named the proxy). */
  readonly host: string
  /** The child's pid. */
  readonly pid: number
  /** How many requests it answered from the recording, and which ones it had no answer for. */
  readonly stats: () => Promise<{ readonly served: number; readonly misses: ReadonlyArray<string> }>
  /** Stops the child and removes the recording's file. */
  readonly stop: () => Promise<void>
}

/** The path the replay server answers its counters on (never a path of the APIs). */
export const statsPath = "/__replay/stats"

const serverScript = fileURLToPath(new URL("./replay-server.ts", import.meta.url))

/** Serves `recording` from a fresh child process on 127.0.0.1 (over HTTPS with `tls`). */
export const startReplay = (recording: Recording, tls?: Tls): Promise<Replay> => {
  const dir = mkdtempSync(join(tmpdir(), "replay-"))
  const file = join(dir, "recording.ndjson")
  // One line for the header, one per answer: a recording of many large pages never becomes one huge string.
  const fd = openSync(file, "w", 0o600)
  try {
    writeSync(fd, `${JSON.stringify({ host: recording.host, tls })}\n`)
    for (const answer of recording.answers) writeSync(fd, `${JSON.stringify(answer)}\n`)
  } finally {
    closeSync(fd)
  }
  const child = spawn(process.execPath, ["--import", "tsx", serverScript, file], { stdio: ["ignore", "pipe", "inherit"] })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return new Promise((resolve, reject) => {
    let out = ""
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening (\S+)/.exec(out)?.[1]
      if (url === undefined) return
      child.stdout.off("data", onData)
      child.stdout.resume()
      const dispatcher = new Agent(tls === undefined ? {} : { connect: { ca: tls.cert } })
      resolve({
        url,
        host: new URL(url).host,
        pid: child.pid ?? 0,
        stats: async () => {
          const answer = await request(`${url}${statsPath}`, { dispatcher })
          const parsed: unknown = JSON.parse(await answer.body.text())
          const served = typeof parsed === "object" && parsed !== null && "served" in parsed && typeof parsed.served === "number" ? parsed.served : 0
          const misses = typeof parsed === "object" && parsed !== null && "misses" in parsed && Array.isArray(parsed.misses)
            ? parsed.misses.map(String)
            : []
          return { served, misses }
        },
        stop: async () => {
          await dispatcher.close()
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
          await exited
          rmSync(dir, { recursive: true, force: true })
        }
      })
    }
    child.stdout.on("data", onData)
    child.once("error", reject)
    void exited.then(() => reject(new Error("the replay server exited before listening")))
  })
}
