import { HttpClient, HttpClientRequest, HttpRouter, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Faults from "../../../src/core/testing/Faults.js"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import * as Journal from "../../../src/core/testing/Journal.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.post(
    "/things/",
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      Effect.map(Effect.orDie(request.json), (body) => HttpServerResponse.unsafeJson({ received: body })))
  ),
  HttpRouter.get("/things/", Effect.succeed(HttpServerResponse.unsafeJson([])))
)
const app: HttpApp.Default<never, never> = Effect.catchAll(router, () => Effect.succeed(HttpServerResponse.empty({ status: 404 })))

describe("Journal", () => {
  it.effect("records method, path, query, headers, parsed body and virtual time; the app still reads the body", () =>
    Effect.gen(function*() {
      const journal = yield* Journal.make
      const client = InProcess.make(journal.record(app)).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl("http://journal.test"))
      )
      yield* TestClock.adjust("1500 millis")
      const res = yield* client.execute(
        HttpClientRequest.post("/things/", { urlParams: { async: 1, tag: "x" } }).pipe(
          HttpClientRequest.setHeader("Authorization", "jwt abc"),
          HttpClientRequest.bodyUnsafeJson({ name: "vm", idempotency_key: "k-1" })
        )
      )
      expect(yield* res.json).toEqual({ received: { name: "vm", idempotency_key: "k-1" } })
      yield* client.get("/things/")
      const entries = yield* journal.entries
      expect(entries).toHaveLength(2)
      expect(entries[0]).toMatchObject({
        method: "POST",
        path: "/things/",
        query: { async: "1", tag: "x" },
        body: { name: "vm", idempotency_key: "k-1" },
        at: 1500
      })
      expect(entries[0]?.headers["authorization"]).toBe("jwt abc")
      expect(entries[1]).toMatchObject({ method: "GET", path: "/things/", query: {}, body: undefined })
      yield* journal.clear
      expect(yield* journal.entries).toHaveLength(0)
    }))

  it.effect("a request answered by a fault is still journaled", () =>
    Effect.gen(function*() {
      const journal = yield* Journal.make
      const faults = yield* Faults.makeInjector
      const client = InProcess.make(
        journal.record(Faults.middleware(faults, { error: (status) => HttpServerResponse.empty({ status }), malformed: "" })(app))
      ).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("http://journal.test")))
      yield* faults.inject({ fault: { _tag: "Drop" } })
      yield* Effect.either(client.get("/things/"))
      yield* faults.inject({ fault: { _tag: "Status", status: 503 } })
      expect((yield* client.get("/things/")).status).toBe(503)
      const entries = yield* journal.entries
      expect(entries.map((e) => e.method + " " + e.path)).toEqual(["GET /things/", "GET /things/"])
    }))

  it.effect("a body that is not JSON is kept as text", () =>
    Effect.gen(function*() {
      const journal = yield* Journal.make
      const client = InProcess.make(journal.record(app)).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl("http://journal.test"))
      )
      yield* client.execute(HttpClientRequest.put("/things/").pipe(HttpClientRequest.bodyText("not json")))
      expect((yield* journal.entries)[0]?.body).toBe("not json")
    }))

  it.effect("keeps the most recent requests it was made for, oldest first, across its batched trims", () =>
    Effect.gen(function*() {
      const keep = 100
      const journal = yield* Journal.makeWith(keep)
      const client = InProcess.make(journal.record(app)).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl("http://journal.test"))
      )
      const total = keep * 2 + 55
      yield* Effect.forEach(Array.from({ length: total }, (_, i) => i), (i) =>
        client.execute(HttpClientRequest.get("/things/", { urlParams: { i } })), { discard: true })
      const entries = yield* journal.entries
      expect(entries).toHaveLength(keep)
      expect(entries[0]?.query).toEqual({ i: String(total - keep) })
      expect(entries.at(-1)?.query).toEqual({ i: String(total - 1) })
    }))
})
