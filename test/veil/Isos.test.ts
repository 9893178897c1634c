/**
 * ISO images, declared with core's `Resource`, against the simulator.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import { VeilClient } from "../../src/veil/Client.js"
import * as Isos from "../../src/veil/Isos.js"
import { SeedIds } from "../../src/veil/testing/Seed.js"
import * as VeilSim from "../support/VeilSim.js"

describe("VeiL ISO images", () => {
  it.effect("creates with PUT iso/, lists by datapool page by page, gets, and deletes with POST iso/{id}/remove/", () =>
    Effect.gen(function*() {
      const isos = yield* Isos.make(yield* VeilClient)
      const a = yield* isos.create({ datapool: SeedIds.datapools.nfs, filename: "a.iso" })
      yield* isos.create({ datapool: SeedIds.datapools.nfs, filename: "b.iso" })
      yield* isos.create({ datapool: SeedIds.datapools.local, filename: "c.iso" })
      expect(a.upload_url).toBe(`/upload/iso/${a.id}/`)
      const page = yield* isos.list({ datapool: SeedIds.datapools.nfs, limit: 1 })
      expect(page.items.map((i) => i.filename)).toEqual(["a.iso"])
      expect([page.total, page.next]).toEqual([Option.some(2), Option.some(1)])
      const all = yield* Stream.runCollect(isos.listAll({ limit: 2 }))
      expect(Chunk.toReadonlyArray(all).map((i) => i.filename).sort()).toEqual(["a.iso", "b.iso", "c.iso"])
      expect((yield* isos.get(a.id)).datapool?.id).toBe(SeedIds.datapools.nfs)
      yield* isos.delete(a.id)
      expect(yield* Effect.flip(isos.get(a.id))).toMatchObject({ _tag: "NotFoundError" })
      const calls = (yield* VeilSim.requestsTo("/api/iso/")).map((e) => `${e.method} ${e.path}`)
      expect(calls).toContain("PUT /api/iso/")
      expect(calls).toContain(`POST /api/iso/${a.id}/remove/`)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("refuses an id that is no UUID before anything is sent", () =>
    Effect.gen(function*() {
      const isos = yield* Isos.make(yield* VeilClient)
      expect(yield* Effect.flip(isos.delete("../x"))).toMatchObject({ _tag: "InvalidInputError", parameter: "id" })
      expect(yield* VeilSim.requestsTo("/api/iso/")).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))
})
