import { describe, expect, it } from "@effect/vitest"
import { Domain, isPowered } from "../../../src/veil/Domain.js"
import { Cause, Effect, Exit } from "effect"
import { VeilClient } from "../../../src/veil/Client.js"
import { mock } from "../../../src/veil/testing/Mock.js"

const id = "e00219af-f99a-4615-bd3c-85646be3e1d5"

/** Code under test: a report line for one domain. */
const describeDomain = (domainId: string) =>
  Effect.gen(function*() {
    const veil = yield* VeilClient
    const domain = yield* veil.domains.get(domainId)
    return `${domain.verbose_name} is ${isPowered(domain) ? "on" : "off"}`
  })

describe("mock", () => {
  it.effect("answers the stubbed operations", () =>
    Effect.gen(function*() {
      const line = yield* describeDomain(id)
      expect(line).toBe("alt_linux is on")
    }).pipe(Effect.provide(mock({
      domains: { get: (domainId) => Effect.succeed(Domain.make({ id: domainId, verbose_name: "alt_linux", user_power_state: 3 })) }
    }))))

  it.effect("dies naming an operation that was not stubbed", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const exit = yield* Effect.exit(veil.nodes.list())
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("VeilClient mock: nodes.list is not mocked")
    }).pipe(Effect.provide(mock({}))))

  it.effect("dies naming an operation of a group partly stubbed, and keeps a checked configuration", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      expect(veil.config.baseUrl).toBe("http://veil.mock/api/")
      const exit = yield* Effect.exit(veil.domains.start(id))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("VeilClient mock: domains.start is not mocked")
    }).pipe(Effect.provide(mock({ domains: { get: (domainId) => Effect.succeed(Domain.make({ id: domainId, verbose_name: "vm" })) } }))))
})
