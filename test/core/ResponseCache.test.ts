import { describe, expect, it } from "@effect/vitest"
import { Effect, Ref, Schema, TestClock } from "effect"
import * as ResponseCache from "../../src/core/ResponseCache.js"

const counter = Effect.gen(function*() {
  const calls = yield* Ref.make(0)
  const fetch = (value: string) => Effect.as(Ref.update(calls, (n) => n + 1), value)
  return { calls: Ref.get(calls), fetch }
})

describe("ResponseCache", () => {
  it.scoped("serves a read from memory up to its time to live, and fetches again 1 ms later", () =>
    Effect.gen(function*() {
      const cache = yield* ResponseCache.makeMemory({ timeToLive: "10 seconds" })
      const region = yield* cache.region<string, string, never>("things", Schema.String)
      const { calls, fetch } = yield* counter
      expect(yield* region.get("k", fetch("a"))).toBe("a")
      yield* TestClock.adjust("9999 millis")
      expect(yield* region.get("k", fetch("b"))).toBe("a")
      expect(yield* calls).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* region.get("k", fetch("b"))).toBe("a")
      yield* TestClock.adjust("1 millis")
      expect(yield* region.get("k", fetch("c"))).toBe("c")
      expect(yield* calls).toBe(2)
    }))

  it.scoped("makes one request for many identical concurrent reads", () =>
    Effect.gen(function*() {
      const cache = yield* ResponseCache.makeMemory({ timeToLive: "1 minute" })
      const region = yield* cache.region<string, string, never>("things", Schema.String)
      const { calls, fetch } = yield* counter
      const slow = Effect.zipRight(Effect.sleep("100 millis"), fetch("v"))
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 100 }, () => region.get("k", slow)), { concurrency: "unbounded" }))
      yield* TestClock.adjust("100 millis")
      const values = yield* fiber
      expect(new Set(values)).toEqual(new Set(["v"]))
      expect(yield* calls).toBe(1)
      expect((yield* cache.stats).misses).toBe(1)
    }))

  it.scoped("never keeps a failure", () =>
    Effect.gen(function*() {
      const cache = yield* ResponseCache.makeMemory({ timeToLive: "1 minute" })
      const region = yield* cache.region<string, string, string>("things", Schema.String)
      const attempts = yield* Ref.make(0)
      const flaky = Effect.flatMap(Ref.updateAndGet(attempts, (n) => n + 1), (n) => (n === 1 ? Effect.fail("boom") : Effect.succeed("ok")))
      expect(yield* Effect.flip(region.get("k", flaky))).toBe("boom")
      expect(yield* region.get("k", flaky)).toBe("ok")
      expect(yield* Ref.get(attempts)).toBe(2)
    }))

  it.scoped("invalidates by prefix across regions, and only there", () =>
    Effect.gen(function*() {
      const cache = yield* ResponseCache.makeMemory({ timeToLive: "1 minute" })
      const a = yield* cache.region<string, string, never>("a", Schema.String)
      const b = yield* cache.region<string, string, never>("b", Schema.String)
      const { calls, fetch } = yield* counter
      const domains = ResponseCache.key("http://x/api/", "domains/1/", "me")
      const nodes = ResponseCache.key("http://x/api/", "nodes/1/", "me")
      yield* a.get(domains, fetch("d"))
      yield* b.get(nodes, fetch("n"))
      yield* cache.invalidate(ResponseCache.prefix("http://x/api/", "domains/"))
      yield* a.get(domains, fetch("d2"))
      yield* b.get(nodes, fetch("n2"))
      expect(yield* calls).toBe(3)
    }))

  it.scoped("keys include the identity, so two callers never share an entry", () =>
    Effect.gen(function*() {
      const cache = yield* ResponseCache.makeMemory({ timeToLive: "1 minute" })
      const region = yield* cache.region<string, string, never>("a", Schema.String)
      const mine = ResponseCache.key("http://x/api/", "domains/", "alice")
      const theirs = ResponseCache.key("http://x/api/", "domains/", "bob")
      expect(yield* region.get(mine, Effect.succeed("alice's"))).toBe("alice's")
      expect(yield* region.get(theirs, Effect.succeed("bob's"))).toBe("bob's")
    }))

  it.scoped("the 'none' cache always fetches", () =>
    Effect.gen(function*() {
      const region = yield* ResponseCache.none.region<string, string, never>("a", Schema.String)
      const { calls, fetch } = yield* counter
      yield* region.get("k", fetch("a"))
      yield* region.get("k", fetch("a"))
      expect(yield* calls).toBe(2)
    }))
})
