import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import * as Scripted from "../../../src/core/testing/Scripted.js"

describe("Scripted", () => {
  it.effect("replies in order, the last one repeating, and records each request with its virtual time", () =>
    Effect.gen(function*() {
      const scripted = yield* Scripted.make([{ drop: true }, { delay: "2 seconds", then: { status: 200, body: { n: 1 } } }, { status: 204 }])
      const first = yield* Effect.flip(scripted.client.get("http://scripted.test/a"))
      expect(first._tag === "RequestError" ? first.reason : first._tag).toBe("Transport")
      const second = yield* Effect.fork(scripted.client.post("http://scripted.test/b"))
      yield* TestClock.adjust("2 seconds")
      expect(yield* (yield* Fiber.join(second)).json).toEqual({ n: 1 })
      expect((yield* scripted.client.get("http://scripted.test/c")).status).toBe(204)
      expect((yield* scripted.client.get("http://scripted.test/d")).status).toBe(204)
      const sent = yield* scripted.sent
      expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual(["GET /a", "POST /b", "GET /c", "GET /d"])
      expect(Scripted.times(sent)).toEqual([0, 0, 2000, 2000])
    }))

  it.effect("a function picks the reply of each request; the layer provides the client", () =>
    Effect.gen(function*() {
      const scripted = yield* Scripted.make((sent, index) => ({ status: 200, text: `${index}:${sent.method}` }))
      const text = yield* Effect.flatMap(HttpClient.get("http://scripted.test/x"), (r) => r.text).pipe(Effect.provide(scripted.layer))
      expect(text).toBe("0:GET")
      expect(Scripted.ms("1.5 seconds")).toBe(1500)
    }))
})
