import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Http from "../../../src/core/testing/Http.js"

describe("Http", () => {
  it("json answers carry the status and headers; empty answers have no body", async () => {
    const answer = HttpServerResponse.toWeb(Http.json({ ok: true }, 201, { "x-id": "7" }))
    expect(answer.status).toBe(201)
    expect(answer.headers.get("x-id")).toBe("7")
    expect(await answer.json()).toEqual({ ok: true })
    const none = HttpServerResponse.toWeb(Http.empty(), { withoutBody: true })
    expect(none.status).toBe(204)
    expect(Http.empty(202, { location: "/x" }).headers.location).toBe("/x")
  })

  it("the absolute URL of an in-process request is its own", () => {
    const request = HttpServerRequest.fromWeb(new Request("http://origin.test:8080/a/b?c=d"))
    expect(Http.absoluteUrl(request).href).toBe("http://origin.test:8080/a/b?c=d")
  })
})
