/**
 * Starts the simulate command (`npm run simulate -- <args>`, here `node --import tsx src/cli/main.ts simulate
 * <args>`) in a child process — for benchmarks, so that client and simulator do not share a CPU, and for the
 * command's own tests — and answers what it printed once it listens.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

/** A simulator running in a child process. */
export interface StartedSimulator {
  /** What it printed up to and including its last banner line (its `export` lines among them). */
  readonly out: string
  /** The child's pid. */
  readonly pid: number
  /** Sends `signal` (default SIGINT) and answers the exit code once the child has exited. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/** Starts `simulate <args>` and answers once it prints "Press Ctrl+C to stop"; rejects if it exits before. */
export const startSimulator = (args: ReadonlyArray<string>) =>
  new Promise<StartedSimulator>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "simulate", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"]
    })
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    let out = ""
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (!out.includes("Press Ctrl+C to stop")) return
      child.stdout.off("data", onData)
      child.stdout.resume()
      resolve({
        out,
        pid: child.pid ?? 0,
        stop: (signal = "SIGINT") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          return exited
        }
      })
    }
    child.stdout.on("data", onData)
    child.once("error", reject)
    void exited.then((code) => reject(new Error(`simulator exited with ${code} before listening`)))
  })
