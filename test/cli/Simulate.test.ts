/**
 * `simulate <api>` in its own process (run from the sources): what it prints is enough for a client, it names a
 * port in use, and SIGTERM, SIGINT and SIGHUP stop it cleanly — exit code 0, the port closed, its certificate removed.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { startSimulator } from "../../bin/child.js"
import { Me, Ovh } from "../../src/ovh/index.js"
import { fromSource, occupy, run, serveThenStop } from "./Process.js"

/** The `export NAME=value` lines of a banner. */
const exportLines = (out: string) => out.match(/^ {2}export \w+=.*$/gm) ?? []

/** What a POSIX shell reads from `lines`: the value of each variable `names`. */
const shellValues = (lines: ReadonlyArray<string>, names: ReadonlyArray<string>): ReadonlyArray<string> =>
  execFileSync("sh", ["-c", `${lines.join("\n")}\nprintf '%s\\n' ${names.map((name) => `"$${name}"`).join(" ")}`], { encoding: "utf8" })
    .split("\n")
    .slice(0, names.length)

describe("npx effect-cloud-clients simulate", () => {
  it("veil prints one export line per variable, its pid last; SIGTERM stops it with exit code 0 and closes the port", async () => {
    await serveThenStop(fromSource("simulate", "veil", "--port", "0"), "SIGTERM", async (served) => {
      expect(served.printedPid).toBe(served.child.pid)
      expect(served.out.trimEnd().split("\n").at(-1)).toBe(`pid ${served.child.pid}. Press Ctrl+C to stop, or kill ${served.child.pid}.`)
      const lines = exportLines(served.out)
      expect(lines.map((line) => /export (\w+)=/.exec(line)?.[1])).toEqual(["VEIL_ADDRESS", "VEIL_SCHEME", "VEIL_TOKEN"])
      expect(lines[0]).toBe(`  export VEIL_ADDRESS=127.0.0.1:${served.port}`)
      expect(lines[1]).toBe("  export VEIL_SCHEME=http")
      expect(lines[2]).toMatch(/^ {2}export VEIL_TOKEN='jwt [\w.-]+'$/)
      const [address, scheme, token] = shellValues(lines, ["VEIL_ADDRESS", "VEIL_SCHEME", "VEIL_TOKEN"])
      const response = await fetch(`${scheme}://${address}/api/domains/`, { headers: { authorization: token ?? "" } })
      expect(response.status).toBe(200)
      await response.arrayBuffer()
    })
  }, 60_000)

  it("openstack prints its OS_* exports; SIGINT stops it with exit code 0 and closes the port", async () => {
    await serveThenStop(fromSource("simulate", "openstack", "--port", "0"), "SIGINT", async (served) => {
      const lines = exportLines(served.out)
      expect(lines[0]).toBe(`  export OS_AUTH_URL='http://127.0.0.1:${served.port}/identity/v3'`)
      expect(lines.length).toBe(10)
    })
  }, 60_000)

  it("ovh stops on SIGHUP (its terminal closed) with exit code 0, the port closed", async () => {
    await serveThenStop(fromSource("simulate", "ovh", "--port", "0"), "SIGHUP", async (served) => {
      expect(exportLines(served.out)[0]).toBe(`  export OVH_ENDPOINT=http://127.0.0.1:${served.port}/1.0`)
    })
  }, 60_000)

  it("a port in use is named, with what to do about it; exit code 1", async () => {
    const taken = await occupy()
    try {
      const ended = await run(fromSource("simulate", "veil", "--port", String(taken.port)))
      expect(ended).toEqual({
        code: 1,
        signal: null,
        stdout: "",
        stderr: `port ${taken.port} on 127.0.0.1 is already in use (EADDRINUSE): choose another with --port, or --port 0 for any free port\n`
      })
    } finally {
      await taken.close()
    }
  }, 60_000)

  it("ovh --tls prints OVH_* values and a certificate with which a client completes signed calls; stopping removes the certificate", async () => {
    const served = await startSimulator(["ovh", "--tls"])
    const certFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(served.out)?.[1] ?? ""
    try {
      const env = Object.fromEntries([...served.out.matchAll(/export (OVH_\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
      expect(Object.keys(env)).toEqual(["OVH_ENDPOINT", "OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY"])
      expect(env["OVH_ENDPOINT"]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/1\.0$/)
      expect(existsSync(certFile)).toBe(true)
      await using ovh = await Ovh.connect({
        endpoint: env["OVH_ENDPOINT"],
        applicationKey: env["OVH_APPLICATION_KEY"],
        applicationSecret: env["OVH_APPLICATION_SECRET"],
        consumerKey: env["OVH_CONSUMER_KEY"],
        ca: readFileSync(certFile, "utf8")
      })
      expect(await ovh.run(Me.get)).toMatchObject({ nichandle: "xx11111-ovh" })
      expect(await ovh.post("/email/domain/example.com/redirection", { from: "a@example.com", to: "b@example.com", localCopy: false })).toMatchObject({ action: "add" })
    } finally {
      expect(await served.stop("SIGTERM")).toBe(0)
    }
    expect(certFile).toMatch(/cert\.pem$/)
    expect(existsSync(certFile)).toBe(false)
  }, 60_000)
})
