import {
  HttpClient,
  HttpClientRequest,
  HttpRouter,
  HttpServerRequest,
  HttpServerResponse,
  type HttpApp
} from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Layer, Option, Stream, TestClock } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.post(
    "/echo",
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const body = yield* Effect.orDie(request.json)
      return HttpServerResponse.unsafeJson({
        method: request.method,
        url: request.url,
        contentType: request.headers["content-type"] ?? null,
        custom: request.headers["x-custom"] ?? null,
        body
      })
    })
  ),
  HttpRouter.get("/clock", Effect.map(Clock.currentTimeMillis, (now) => HttpServerResponse.unsafeJson({ now }))),
  HttpRouter.get("/slow", Effect.as(Effect.sleep("10 seconds"), HttpServerResponse.text("late"))),
  HttpRouter.get("/boom", Effect.die("kaboom")),
  HttpRouter.get("/nothing", Effect.succeed(HttpServerResponse.empty({ status: 204 })))
)
const app: HttpApp.Default<never, never> = Effect.catchTag(router, "RouteNotFound", () =>
  Effect.succeed(HttpServerResponse.unsafeJson({ missing: true }, { status: 404 })))

const client = InProcess.make(app).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("http://inproc.test")))

describe("InProcess", () => {
  it.effect("sends method, URL, headers and JSON body; receives status and JSON", () =>
    Effect.gen(function*() {
      const res = yield* client.execute(
        HttpClientRequest.post("/echo", { urlParams: { a: 1 } }).pipe(
          HttpClientRequest.setHeader("x-custom", "yes"),
          HttpClientRequest.bodyUnsafeJson({ hello: "world" })
        )
      )
      expect(res.status).toBe(200)
      expect(yield* res.json).toEqual({
        method: "POST",
        url: "/echo?a=1",
        contentType: "application/json",
        custom: "yes",
        body: { hello: "world" }
      })
    }))

  it.effect("runs the app in the calling fiber: the TestClock is shared", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("42 seconds")
      const res = yield* client.get("/clock")
      expect(yield* res.json).toEqual({ now: 42_000 })
      const fiber = yield* Effect.fork(Effect.flatMap(client.get("/slow"), (r) => r.text))
      yield* TestClock.adjust("9 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("late")
    }))

  it.effect("defects become 500, unknown routes follow the app, 204 has no body", () =>
    Effect.gen(function*() {
      expect((yield* client.get("/boom")).status).toBe(500)
      expect((yield* client.get("/nope")).status).toBe(404)
      const none = yield* client.get("/nothing")
      expect(none.status).toBe(204)
      expect(yield* none.text).toBe("")
    }))

  it.effect("stream bodies fail with an Encode RequestError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        client.execute(
          HttpClientRequest.post("/echo").pipe(
            HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("{}")))
          )
        )
      )
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" ? error.reason : undefined).toBe("Encode")
    }))

  it.effect("layer provides the HttpClient service", () =>
    Effect.gen(function*() {
      const http = yield* HttpClient.HttpClient
      const res = yield* http.get("http://any.host/clock")
      expect(res.status).toBe(200)
    }).pipe(Effect.provide(Layer.fresh(InProcess.layer(app)))))
})
