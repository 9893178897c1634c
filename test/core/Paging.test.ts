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
})
