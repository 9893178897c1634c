/** The OVH examples, each against its own simulator served on 127.0.0.1 (never the API a developer has configured). */
import { afterEach, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import { Effect } from "effect"
import { applications } from "../../examples/ovh-applications.js"
import { bills } from "../../examples/ovh-bills.js"
import { enableBurst } from "../../examples/ovh-burst.js"
import { consumerKey } from "../../examples/ovh-consumer-key.js"
import { ipmi } from "../../examples/ovh-ipmi.js"
import { mailRedirection } from "../../examples/ovh-mail-redirection.js"
import { clientLayer, simulated, type Target } from "../../examples/ovh-target.js"
import { welcome } from "../../examples/ovh-welcome.js"

let printed: Array<string> = []
beforeEach(() => {
  printed = []
  vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => void printed.push(args.map(String).join(" ")))
})
afterEach(() => vi.restoreAllMocks())

const against = <A>(run: (target: Target) => Effect.Effect<A, unknown>) =>
  Effect.scoped(Effect.flatMap(simulated({ ipmiDelay: "1 second" }), (target) => Effect.map(run(target), (value) => ({ value, target }))))

const log = (line: string) => void printed.push(line)

describe("OVH examples", () => {
  it.live("welcome, consumer key (validated on the simulator's page), mail redirection", () =>
    Effect.gen(function*() {
      yield* against((target) => Effect.promise(() => welcome(target, log)))
      expect(printed).toEqual(["Welcome John Doe (xx11111-ovh, john.doe@example.com)"])
      printed = []
      const { target } = yield* against((target) => Effect.promise(() => consumerKey(target, log)))
      expect(printed[0]).toMatch(/^Please visit http:\/\/127\.0\.0\.1:\d+\/auth\/\?credentialToken=\w+ to authenticate$/)
      expect(printed[1]).toMatch(/^Welcome John: key #\d+ is validated \(5 rules\)$/)
      expect(target.simulator).toBeDefined()
      printed = []
      const mail = yield* against((target) =>
        Effect.zipRight(
          Effect.promise(() => mailRedirection(target, { domain: "example.com", from: "sales@example.com", to: "contact@example.com" }, log)),
          target.simulator?.state ?? Effect.die("no simulator")
        ))
      expect(mail.value.mailDomains[0]?.redirections.map((r) => `${r.from} → ${r.to}`)).toContain("sales@example.com → contact@example.com")
    }))

  it.live("bills five at a time, burst on sbg1, the applications table, IPMI access", () =>
    Effect.gen(function*() {
      yield* against((target) => Effect.provide(bills, clientLayer(target)))
      expect(printed.at(-1)).toBe("24 bills; 2024 EUR 1367.82, 2025 EUR 1367.82")
      const burst = yield* against((target) =>
        Effect.zipRight(Effect.provide(enableBurst("sbg1"), clientLayer(target)), target.simulator?.state ?? Effect.die("no simulator")))
      expect(burst.value.servers.filter((s) => s.burst.status === "active").map((s) => s.detail.datacenter)).toEqual(["sbg1", "sbg1"])
      printed = []
      yield* against((target) => Effect.provide(applications, clientLayer(target)))
      expect(printed[1]).toMatch(/^498601349 +simulator \(simula…\) +active +4 \d{4}-\d\d-\d\d —$/)
      printed = []
      yield* against((target) => Effect.provide(ipmi(undefined, "192.0.2.1"), clientLayer(target)))
      expect(printed.at(-1)).toMatch(/^ {2}https:\/\/ipmi\.simulator\.invalid\/kvm\//)
    }))
})
