/** Runs the command line in child processes for its tests: to completion, or until it listens and then stopped. */
import { expect } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { createConnection, createServer } from "node:net"
import { fileURLToPath } from "node:url"

/** The project's root. */
export const root = fileURLToPath(new URL("../../", import.meta.url))

/** `node` with the arguments that run the command from its sources: `node --import tsx src/cli/main.ts`. */
export const fromSource = (...args: ReadonlyArray<string>): readonly [string, ReadonlyArray<string>] => [
  process.execPath,
  ["--import", "tsx", "src/cli/main.ts", ...args]
]

/** How a child process ended, and what it printed. */
export interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

const collect = (child: ChildProcess) => {
  const printed = { stdout: "", stderr: "" }
  child.stdout?.on("data", (chunk: Buffer) => (printed.stdout += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (printed.stderr += chunk.toString()))
  // "close" comes once the process has exited AND every holder of its stdout/stderr pipes (its children too) has
  // closed them.
  const closed = new Promise<Ended>((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code, signal) => resolve({ code, signal, ...printed }))
  })
  return { printed, closed }
}

/** Runs `command args` to its end. */
export const run = ([command, args]: readonly [string, ReadonlyArray<string>]): Promise<Ended> =>
  collect(spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] })).closed

/** A long-running command that has printed its banner. */
export interface Running {
  readonly child: ChildProcess
  /** stdout up to the banner's last line. */
  readonly out: string
  /** The pid the banner gives. */
  readonly printedPid: number
  /** The port of the first `127.0.0.1:PORT` in the banner. */
  readonly port: number
  /** Resolves once the process and every holder of its output pipes are gone. */
  readonly closed: Promise<Ended>
  /** Sends `signal` unless the process has already exited, and waits for {@link closed}. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<Ended>
}

/** Starts `command args` and answers once stdout includes "Press Ctrl+C to stop"; rejects if it ends before. */
export const start = (
  [command, args]: readonly [string, ReadonlyArray<string>],
  env: NodeJS.ProcessEnv = process.env
): Promise<Running> => {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
  const { closed, printed } = collect(child)
  return new Promise<Running>((resolve, reject) => {
    const onData = () => {
      if (!printed.stdout.includes("Press Ctrl+C to stop")) return
      child.stdout?.off("data", onData)
      const out = printed.stdout
      resolve({
        child,
        out,
        printedPid: Number(/^pid (\d+)\. /m.exec(out)?.[1] ?? Number.NaN),
        port: Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? Number.NaN),
        closed,
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          return closed
        }
      })
    }
    child.stdout?.on("data", onData)
    closed.then(
      (ended) => reject(new Error(`${command} ${args.join(" ")} ended (${ended.code ?? ended.signal}) before listening:\n${ended.stderr}`)),
      reject
    )
  })
}

/**
 * Starts a simulator, runs `whileUp` against it, stops it with `signal`, and checks that it ended cleanly: exit code
 * 0, nothing on stderr, and its port no longer accepting connections.
 */
export const serveThenStop = async (
  command: readonly [string, ReadonlyArray<string>],
  signal: NodeJS.Signals,
  whileUp: (served: Running) => Promise<void>
): Promise<void> => {
  const served = await start(command)
  try {
    expect(await accepts(served.port)).toBe(true)
    await whileUp(served)
  } finally {
    const ended = await served.stop(signal)
    expect({ code: ended.code, signal: ended.signal, stderr: ended.stderr }).toEqual({ code: 0, signal: null, stderr: "" })
  }
  expect(await accepts(served.port)).toBe(false)
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

/** Listens on a free port of 127.0.0.1 with node:net, so that the port is in use; `close` frees it. */
export const occupy = (): Promise<{ readonly port: number; readonly close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      resolve({
        port: typeof address === "object" && address !== null ? address.port : 0,
        close: () => new Promise<void>((done) => server.close(() => done()))
      })
    })
  })

/** Whether the process `pid` exists. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves with `promise`, or rejects with `message` after `ms` milliseconds. */
export const within = <A>(ms: number, message: string, promise: Promise<A>): Promise<A> => {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms)
    })
  ]).finally(() => clearTimeout(timer))
}
