import { HttpServerRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Json from "../../../src/core/testing/Json.js"

const withBody = (body: string) =>
  HttpServerRequest.fromWeb(new Request("http://json.test/", { method: "POST", body }))

const read = (body: string) =>
  Json.readBody((problem) => problem).pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, withBody(body)))

describe("Json", () => {
  it.effect("a JSON body is parsed; a blank one is {}; one that is not JSON names the parser's problem", () =>
    Effect.gen(function*() {
      expect(yield* read("{\"a\":[1]}")).toEqual({ a: [1] })
      expect(yield* read("  ")).toEqual({})
      const problem = yield* Effect.flip(read("{nope"))
      expect(problem._tag).toBe("NotJson")
      expect(problem._tag === "NotJson" ? problem.message.length : 0).toBeGreaterThan(0)
    }))

  it("parse, parseLenient, pick and isObject", () => {
    expect(Json.parse("[1]")).toEqual(Either.right([1]))
    expect(Either.isLeft(Json.parse("{"))).toBe(true)
    expect(Json.parseLenient("")).toBeUndefined()
    expect(Json.parseLenient("<html>")).toBe("<html>")
    expect(Json.parseLenient("{\"x\":1}")).toEqual({ x: 1 })
    expect(Json.pick({ a: 1, b: 2, c: 3 }, ["c", "a", "z"])).toEqual({ c: 3, a: 1 })
    expect(Object.keys(Json.pick({ a: 1, b: 2, c: 3 }, ["c", "a"]))).toEqual(["c", "a"])
    expect([Json.isObject({}), Json.isObject([]), Json.isObject(null)]).toEqual([true, false, false])
  })
})
