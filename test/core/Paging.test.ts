import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Option, Ref, Stream } from "effect"
import * as Paging from "../../src/core/Paging.js"

describe("Paging", () => {
  it.effect("streams every item and fetches pages only as they are pulled", () =>
    Effect.gen(function*() {
      const fetched = yield* Ref.make<ReadonlyArray<number>>([])
      const items = Array.from({ length: 25 }, (_, i) => i)
      const fetch = (offset: number) =>
        Effect.as(
          Ref.update(fetched, (l) => [...l, offset]),
          Paging.page(items.slice(offset, offset + 10), Paging.nextOffset(offset, items.slice(offset, offset + 10).length, { total: 25 }), Option.some(25))
        )
      const all = yield* Stream.runCollect(Paging.stream(0, fetch))
      expect(Chunk.toReadonlyArray(all)).toEqual(items)
      expect(yield* Ref.get(fetched)).toEqual([0, 10, 20])
      yield* Ref.set(fetched, [])
      const first12 = yield* Stream.runCollect(Stream.take(Paging.stream(0, fetch), 12))
      expect(Chunk.size(first12)).toBe(12)
      expect(yield* Ref.get(fetched)).toEqual([0, 10])
    }))

  it("computes the next offset from what the server said", () => {
    expect(Paging.nextOffset(0, 10, { total: 25 })).toEqual(Option.some(10))
    expect(Paging.nextOffset(20, 5, { total: 25 })).toEqual(Option.none())
    expect(Paging.nextOffset(0, 10, { hasNext: false })).toEqual(Option.none())
    expect(Paging.nextOffset(0, 0, {})).toEqual(Option.none())
  })

  it.effect.each([
    ["the same marker again", (marker: string) => (marker === "" ? "m1" : marker)],
    ["a marker read before", (marker: string) => (marker === "m1" ? "m2" : "m1")]
  ] as const)("fails a listing whose server answers %s, instead of asking forever", ([, nextOf]) =>
    Effect.gen(function*() {
      const fetched = yield* Ref.make<ReadonlyArray<string>>([])
      const fetch = (marker: string) =>
        Effect.as(Ref.update(fetched, (l) => [...l, marker]), Paging.page<number, string>([], Option.some(nextOf(marker))))
      const error = yield* Effect.flip(Stream.runDrain(Paging.stream("", fetch, Paging.stalled("test", "GET", "things"))))
      expect(error).toMatchObject({ _tag: "DecodeError", api: "test", method: "GET", url: "things" })
      expect(error.message).toContain("the listing would never end")
      expect((yield* Ref.get(fetched)).length).toBeLessThanOrEqual(3)
    }))

  it.effect("without an error for it, a stalled listing ends with what it read", () =>
    Effect.gen(function*() {
      const fetch = (marker: number) => Effect.succeed(Paging.page([marker], Option.some(marker === 0 ? 1 : 1)))
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(Paging.stream(0, fetch)))).toEqual([0, 1])
    }))
})
