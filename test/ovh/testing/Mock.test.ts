import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import * as Me from "../../../src/ovh/Me.js"
import { mock } from "../../../src/ovh/testing/index.js"

describe("OVH mock", () => {
  it.effect("runs the typed operations over the calls stubbed", () =>
    Effect.gen(function*() {
      const me = yield* Me.get
      expect(me.nichandle).toBe("ab12345-ovh")
    }).pipe(Effect.provide(mock({
      get: (path: unknown) => Effect.succeed(path === "/me" ? { nichandle: "ab12345-ovh", email: "ops@example.org" } : {})
    }))))

  it.effect("dies naming a call that was not stubbed", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Me.get)
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("OvhClient mock: get is not mocked")
    }).pipe(Effect.provide(mock({}))))
})
