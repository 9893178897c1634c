/**
 * `npm run simulate -- veil` stops when npm's own process is killed: npm forwards the signal to the `sh -c` it runs
 * the script with, which dies without passing it on, and the simulator notices that its parent has gone.
 */
import { describe, expect, it } from "@effect/vitest"
import { accepts, alive, start, within } from "./Process.js"

describe("npm run simulate", () => {
  it("-- veil --port 0, then kill <npm's pid>: the simulator stops and its port refuses connections", async () => {
    const served = await start(["npm", ["run", "simulate", "--", "veil", "--port", "0"]], { ...process.env, npm_config_update_notifier: "false" })
    try {
      expect(served.printedPid).not.toBe(served.child.pid)
      expect(alive(served.printedPid)).toBe(true)
      expect(await accepts(served.port)).toBe(true)
      served.child.kill("SIGTERM")
      // Resolves once npm has exited and the simulator, which shares npm's stdout and stderr pipes, has too.
      await within(15_000, `the simulator (pid ${served.printedPid}) kept running after npm was killed`, served.closed)
      expect(await accepts(served.port)).toBe(false)
    } finally {
      if (alive(served.printedPid)) process.kill(served.printedPid, "SIGKILL")
      served.child.kill("SIGKILL")
    }
  }, 60_000)
})
