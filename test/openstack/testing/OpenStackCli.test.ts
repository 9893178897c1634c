/**
 * A real peer client — the `openstack` CLI (python3-openstackclient, installed with the local cloud) — against the
 * simulator served on 127.0.0.1. Skips where the CLI is not installed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import * as OpenStackTesting from "../../../src/openstack/testing/index.js"
import { openStackCli as cli, openStackCliMissing } from "../../support/Live.js"

const run = (env: Record<string, string>, ...args: ReadonlyArray<string>) =>
  Effect.async<string, Error>((resume) => {
    execFile(cli, [...args, "-f", "json"], { env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resume(error === null ? Effect.succeed(stdout) : Effect.fail(new Error(`${args.join(" ")}: ${stderr || error.message}`))))
  })

const rows = (text: string): ReadonlyArray<Record<string, unknown>> => {
  const parsed: unknown = JSON.parse(text)
  return Array.isArray(parsed) ? parsed.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null) : []
}

describe("the openstack CLI against the simulator", () => {
  it.live.skipIf(openStackCliMissing !== undefined)("lists flavors, images and networks, and creates a server that becomes ACTIVE", () =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* OpenStackTesting.serve({ buildDuration: "1 second" })
      const flavors = rows(yield* run(served.env, "flavor", "list"))
      expect(flavors.map((f) => f["Name"])).toEqual(["m1.tiny", "m1.small", "m1.medium", "m1.large"])
      expect(rows(yield* run(served.env, "image", "list")).map((i) => i["Name"])).toEqual(["cirros-0.6.2-x86_64-disk"])
      expect(rows(yield* run(served.env, "network", "list")).map((n) => n["Name"])).toEqual(["private"])
      yield* run(served.env, "server", "create", "--image", "cirros-0.6.2-x86_64-disk", "--flavor", "m1.tiny", "--network", "private", "--wait", "cli-vm")
      const servers = rows(yield* run(served.env, "server", "list"))
      expect(servers).toMatchObject([{ Name: "cli-vm", Status: "ACTIVE" }])
      const state = yield* served.simulator.state.servers
      expect(state.length).toBe(1)
    })), 120_000)
})
