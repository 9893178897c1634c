import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import * as Raw from "../../../src/core/testing/Raw.js"

const echo = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.map(request.text, (text) =>
    request.url.startsWith("/text")
      ? HttpServerResponse.text("not json", { status: 502 })
      : HttpServerResponse.unsafeJson({ method: request.method, url: request.url, body: text }, { status: 201 })))

describe("Raw", () => {
  it.effect("one request with a query and a JSON body, its answer read whole", () =>
    Effect.gen(function*() {
      const client = InProcess.make(Effect.orDie(echo))
      const answer = yield* Raw.request(client, "POST", "http://raw.test/x", { query: { a: 1 }, body: { b: true } })
      expect(answer.status).toBe(201)
      expect(answer.headers["content-type"]).toContain("application/json")
      expect(answer.body).toEqual({ method: "POST", url: "/x?a=1", body: "{\"b\":true}" })
      const text = yield* Raw.request(client, "GET", "http://raw.test/text")
      expect([text.status, text.body]).toEqual([502, "not json"])
    }))
})
