/**
 * Domain schemas through the client against the in-process simulator: secrets in list rows.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { VeilClient } from "../../src/veil/Client.js"
import { VeilSimulator } from "../../src/veil/testing/Simulator.js"
import * as VeilSim from "../support/VeilSim.js"

describe("VeiL domain rows", () => {
  it.effect("rows listed with every field hold the graphics password redacted, never in clear", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      const passwords = (yield* sim.state.domains).map((d) => d.graphics_password)
      const page = yield* veil.domains.list({ fields: "all", limit: 100 })
      expect(page.items.length).toBe(passwords.length)
      for (const row of page.items) expect(Redacted.isRedacted(row.graphics_password)).toBe(true)
      const revealed = page.items.map((row) =>
        Redacted.isRedacted(row.graphics_password) ? Redacted.value(row.graphics_password) : undefined
      )
      expect(revealed.sort()).toEqual([...passwords].sort())
      const shown = `${JSON.stringify(page.items)} ${String(page.items[0])}`
      for (const password of passwords) expect(shown).not.toContain(password)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("short rows, which have no password, are read as they came", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.domains.list({ limit: 100 })
      for (const row of page.items) expect(row.graphics_password).toBeUndefined()
    }).pipe(Effect.provide(VeilSim.layer())))
})
