import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import { OpenStackClient } from "../../../src/openstack/Client.js"
import { mock } from "../../../src/openstack/testing/index.js"

/** Code under test: the names of the flavors with at least `ram` MiB. */
const bigFlavors = (ram: number) =>
  Effect.gen(function*() {
    const os = yield* OpenStackClient
    const page = yield* os.flavors.list()
    return page.items.filter((f) => f.ram >= ram).map((f) => f.name)
  })

describe("OpenStack mock", () => {
  it.effect("answers the stubbed operations", () =>
    Effect.gen(function*() {
      expect(yield* bigFlavors(2048)).toEqual(["m1.small"])
    }).pipe(Effect.provide(mock({
      flavors: {
        list: () =>
          Effect.succeed({
            items: [{ id: "1", name: "m1.tiny", links: [], ram: 512, vcpus: 1, disk: 1 }, { id: "2", name: "m1.small", links: [], ram: 2048, vcpus: 1, disk: 20 }],
            total: Option.none(),
            next: Option.none()
          })
      }
    }))))

  it.effect("dies naming an operation that was not stubbed", () =>
    Effect.gen(function*() {
      const os = yield* OpenStackClient
      const exit = yield* Effect.exit(os.servers.get("vm-1"))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("OpenStackClient mock: servers.get is not mocked")
    }).pipe(Effect.provide(mock({}))))
})
