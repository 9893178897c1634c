/**
 * Starts `npm run simulate -- <args>` in a child process (for benchmarks, so that client and simulator do not share a
 * CPU, and for the command's own tests), and answers what it printed once it listens.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

/** The simulator's printed lines (its `export` lines among them), and how to stop it. */
export const startSimulator = (args: ReadonlyArray<string>) =>
  new Promise<{ readonly out: string; readonly stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bin/simulate.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes("Press Ctrl+C")) resolve({ out, stop: () => child.kill("SIGINT") })
    })
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}`)))
  })
