/** `npm run simulate -- ovh --tls` in its own process: what it prints is enough for a client to work against it. */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { startSimulator } from "../../bin/child.js"
import { Me, Ovh } from "../../src/ovh/index.js"

describe("npm run simulate -- ovh", () => {
  it("--tls prints OVH_* values and a certificate with which a client completes signed calls", async () => {
    const served = await startSimulator(["ovh", "--tls"])
    try {
      const env = Object.fromEntries([...served.out.matchAll(/export (OVH_\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
      expect(Object.keys(env)).toEqual(["OVH_ENDPOINT", "OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY"])
      expect(env["OVH_ENDPOINT"]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/1\.0$/)
      const certFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(served.out)?.[1] ?? ""
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
      served.stop()
    }
  }, 60_000)
})
