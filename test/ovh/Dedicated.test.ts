import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import type { OvhClient } from "../../src/ovh/Client.js"
import * as Dedicated from "../../src/ovh/Dedicated.js"
import * as Fixtures from "../support/Fixtures.js"
import { observe } from "../support/Observe.js"
import * as OvhScripted from "../support/OvhScripted.js"

/** The recorded list at `/dedicated/server`, the recorded detail anywhere under it. */
const withClient = <A, E>(effect: Effect.Effect<A, E, OvhClient>) =>
  OvhScripted.run(
    (path) => Fixtures.json("ovh", path === "/1.0/dedicated/server" ? "dedicated-server-list.json" : "dedicated-server-detail.json"),
    effect
  )

describe("OVH dedicated servers", () => {
  it.effect("decodes the recorded list and detail, an unlisted state and the older shape included", () =>
    Effect.gen(function*() {
      const { value } = yield* withClient(Effect.all([Dedicated.list, Dedicated.get("ns3001234.ip-1-2-3.eu")]))
      const [names, server] = value
      expect(names).toEqual(Fixtures.json("ovh", "dedicated-server-list.json"))
      expect(server).toMatchObject({ name: "abcde", serverId: 1234, datacenter: "gra3", state: "test", rescueMail: null, bootScript: null })
      expect(server.region).toBeUndefined()
    }))

  it.effect("encodes the service name as one segment, and spans show the template, not the name", () =>
    Effect.gen(function*() {
      const recorded = yield* observe(withClient(Dedicated.get("a b/c")))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      const sent = Exit.isSuccess(recorded.exit) ? yield* recorded.exit.value.http.sent : []
      expect(sent.map((s) => s.url)).toContain("http://ovh.test/1.0/dedicated/server/a%20b%2Fc")
      const templates = recorded.spans.map((s) => s.attributes.get("url.template")).filter((t) => t !== undefined)
      expect(templates).toContain("/dedicated/server/{serviceName}")
    }))

  it.effect("refuses a service name that would leave the path, before sending it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(withClient(Dedicated.get("..")))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "serviceName" })
    }))
})
