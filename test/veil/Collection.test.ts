/**
 * The operations every VeiL collection shares, through the client against the in-process simulator: what a page's
 * envelope says about the next page.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import { Fault } from "../../src/core/testing/Faults.js"
import { VeilClient } from "../../src/veil/Client.js"
import { VeilSimulator } from "../../src/veil/testing/Simulator.js"
import * as VeilSim from "../support/VeilSim.js"

const row = (id: string) => ({ id, verbose_name: `vm-${id}` })

/** The next answer of `GET domains/` is `body`. */
const answer = (body: unknown, times = 1) =>
  Effect.flatMap(VeilSimulator, (sim) =>
    sim.faults.inject({ method: "GET", path: "/api/domains/", fault: Fault.status(200, { body }), times }))

describe("VeiL collections: the list envelope", () => {
  it.effect("an envelope without next and previous has no next page, as one with next: null", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* answer({ count: 5, results: [row("a"), row("b")] })
      const bare = yield* veil.domains.list({ limit: 2 })
      expect(bare.items.map((d) => d.id)).toEqual(["a", "b"])
      expect(bare.count).toBe(5)
      expect(bare.next).toEqual(Option.none())
      yield* answer({ count: 5, next: null, previous: null, results: [row("a"), row("b")] })
      expect((yield* veil.domains.list({ limit: 2 })).next).toEqual(Option.none())
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("an envelope with a next URL leads to the next offset", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* answer({ count: 3, next: "http://ecp.simulator/api/domains/?limit=2&offset=2", results: [row("a"), row("b")] })
      expect((yield* veil.domains.list({ limit: 2 })).next).toEqual(Option.some(2))
      yield* answer({ count: 3, next: "http://ecp.simulator/api/domains/?limit=2&offset=2", results: [row("a"), row("b")] })
      yield* answer({ count: 3, results: [row("c")] })
      const all = yield* Stream.runCollect(veil.domains.listAll({ limit: 2 }))
      expect(Chunk.toReadonlyArray(all).map((d) => d.id)).toEqual(["a", "b", "c"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("an envelope whose next is neither a URL nor null is a decode error naming it", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* answer({ count: 3, next: 2, results: [row("a")] }, 10)
      const error = yield* Effect.flip(veil.domains.list({ limit: 2 }))
      expect(error).toMatchObject({ _tag: "DecodeError" })
      expect(error.message).toContain("next")
    }).pipe(Effect.provide(VeilSim.layer())))
})
