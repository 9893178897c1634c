/** The account's API applications, declared with core's `Resource`, against the simulator. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Applications from "../../src/ovh/Applications.js"
import { OvhClient } from "../../src/ovh/Client.js"
import { SeedKeys } from "../../src/ovh/testing/Seed.js"
import * as OvhSim from "../support/OvhSim.js"

describe("OVH API applications", () => {
  it.scoped("lists the ids, gets one as auth.ApiApplication, and deleting it revokes its credentials", () =>
    Effect.gen(function*() {
      const { client, simulator } = yield* OvhSim.open()
      const run = <A, E>(effect: Effect.Effect<A, E, OvhClient>) => Effect.provideService(effect, OvhClient, client)
      expect(yield* run(Applications.list)).toEqual([SeedKeys.applicationId])
      const app = yield* run(Applications.get(SeedKeys.applicationId))
      expect(app).toMatchObject({ applicationId: SeedKeys.applicationId, status: "active" })
      expect(Object.keys(app)).not.toContain("applicationSecret")
      expect(yield* Effect.flip(run(Applications.remove(1)))).toMatchObject({ _tag: "NotFoundError", status: 404 })
      yield* run(Applications.remove(SeedKeys.applicationId))
      expect((yield* simulator.state).applications).toEqual([])
      expect(yield* Effect.flip(run(Applications.list))).toMatchObject({ status: 403 })
      const calls = (yield* simulator.journal.entries).filter((e) => e.path.includes("/me/api/application")).map((e) => `${e.method} ${e.path}`)
      expect(calls).toContain(`DELETE /1.0/me/api/application/${SeedKeys.applicationId}`)
    }))
})
