import { Headers, HttpClient, HttpClientRequest, HttpRouter, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Ref, TestClock } from "effect"
import * as Faults from "../../../src/core/testing/Faults.js"
import * as InProcess from "../../../src/core/testing/InProcess.js"

/** The tiny API's wording of faults: its JSON error body, one message of its own, its list cut off. */
const bodies: Faults.FaultBodies = {
  error: (status, message) => HttpServerResponse.unsafeJson({ error: { status, message } }, { status }),
  messages: { 503: "Service temporarily unavailable." },
  rateLimited: (seconds) => `Request was throttled. Expected available in ${seconds} seconds.`,
  malformed: "{\"items\": [1, <<cut>>"
}

/** A tiny API: GET /items/ answers a JSON list; POST /items/ counts calls. */
const makeApi = Effect.gen(function*() {
  const calls = yield* Ref.make(0)
  const router = HttpRouter.empty.pipe(
    HttpRouter.get("/items/", Effect.succeed(HttpServerResponse.unsafeJson({ items: [1, 2, 3], name: "abcdefghij" }))),
    HttpRouter.post("/items/", Effect.as(Ref.update(calls, (n) => n + 1), HttpServerResponse.unsafeJson({ ok: true }, { status: 201 })))
  )
  const app: HttpApp.Default<never, never> = Effect.catchAll(router, () =>
    Effect.succeed(HttpServerResponse.unsafeJson({ error: "not found" }, { status: 404 })))
  const injector = yield* Faults.makeInjector
  const client = InProcess.make(Faults.middleware(injector, bodies)(app)).pipe(
    HttpClient.mapRequest(HttpClientRequest.prependUrl("http://api.test"))
  )
  return { calls, injector, client }
})

describe("Faults", () => {
  it.effect("Status fault answers the API's own error body by default, then the rule is spent", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.status(503) })
      expect(yield* injector.pending).toBe(1)
      const first = yield* client.get("/items/")
      expect(first.status).toBe(503)
      expect(yield* first.json).toEqual({ error: { status: 503, message: "Service temporarily unavailable." } })
      expect(yield* injector.pending).toBe(0)
      const second = yield* client.get("/items/")
      expect(second.status).toBe(200)
    }))

  it.effect("Status fault with an explicit body and headers", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.status(500, { body: { custom: true }, headers: { "x-request-id": "r-1" } }) })
      const res = yield* client.get("/items/")
      expect(res.status).toBe(500)
      expect(res.headers["x-request-id"]).toBe("r-1")
      expect(yield* res.json).toEqual({ custom: true })
    }))

  it.effect("RateLimit answers 429 with Retry-After and the error body", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.rateLimit(7) })
      const res = yield* client.get("/items/")
      expect(res.status).toBe(429)
      expect(res.headers["retry-after"]).toBe("7")
      expect(yield* res.json).toEqual({
        error: { status: 429, message: "Request was throttled. Expected available in 7 seconds." }
      })
    }))

  it.effect("Latency sleeps on the TestClock, then answers normally", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.latency("5 seconds") })
      const fiber = yield* Effect.fork(client.get("/items/"))
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 millis")
      const res = yield* Fiber.join(fiber)
      expect(res.status).toBe(200)
    }))

  it.effect("Drop becomes a Transport RequestError in-process", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.drop })
      const error = yield* Effect.flip(client.get("/items/"))
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" ? error.reason : undefined).toBe("Transport")
      expect(error._tag === "RequestError" ? error.description : undefined).toBe("connection dropped by simulator")
      expect((yield* client.get("/items/")).status).toBe(200)
    }))

  it.effect("Malformed answers 200 application/json that does not parse", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.malformed })
      const res = yield* client.get("/items/")
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toBe("application/json")
      const parsed = yield* Effect.either(res.json)
      expect(parsed._tag).toBe("Left")
    }))

  it.effect("Html answers a proxy error page (502 by default)", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.html() })
      yield* injector.inject({ fault: Faults.Fault.html(504) })
      const first = yield* client.get("/items/")
      expect(first.status).toBe(502)
      expect(first.headers["content-type"]).toBe("text/html")
      expect(yield* first.text).toContain("<h1>502 Bad Gateway</h1>")
      const second = yield* client.get("/items/")
      expect(second.status).toBe(504)
    }))

  it.effect("Truncated cuts the real body in half with a consistent length", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      const full = yield* Effect.flatMap(client.get("/items/"), (r) => r.text)
      yield* injector.inject({ fault: Faults.Fault.truncated })
      const res = yield* client.get("/items/")
      const text = yield* res.text
      expect(res.status).toBe(200)
      expect(text).toBe(full.slice(0, Math.floor(full.length / 2)))
      expect(res.headers["content-length"]).toBe(String(text.length))
      expect(res.headers["content-type"]).toBe("application/json")
    }))

  it.effect("Empty answers an empty JSON body", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.empty() })
      yield* injector.inject({ fault: Faults.Fault.empty(204) })
      const res = yield* client.get("/items/")
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toBe("application/json")
      expect(yield* res.text).toBe("")
      expect((yield* client.get("/items/")).status).toBe(204)
    }))

  it.effect("rules match by method and path prefix or RegExp, in insertion order", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ method: "post", path: "/items/", fault: Faults.Fault.status(500) })
      yield* injector.inject({ path: /^\/other/, fault: Faults.Fault.status(418) })
      yield* injector.inject({ path: "/items", fault: Faults.Fault.status(502) })
      yield* injector.inject({ path: "/items", fault: Faults.Fault.status(503) })
      expect((yield* client.get("/items/")).status).toBe(502)
      expect((yield* client.get("/items/")).status).toBe(503)
      expect((yield* client.execute(HttpClientRequest.post("/items/"))).status).toBe(500)
      expect((yield* client.get("/other/x")).status).toBe(418)
      expect(yield* injector.pending).toBe(0)
    }))

  it.effect("times counts matching requests; Infinity until cleared", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.status(503), times: 2 })
      expect(yield* injector.pending).toBe(2)
      expect((yield* client.get("/items/")).status).toBe(503)
      expect((yield* client.get("/items/")).status).toBe(503)
      expect((yield* client.get("/items/")).status).toBe(200)
      yield* injector.inject({ fault: Faults.Fault.status(500), times: Infinity })
      expect(yield* injector.pending).toBe(Infinity)
      expect((yield* client.get("/items/")).status).toBe(500)
      expect((yield* client.get("/items/")).status).toBe(500)
      yield* injector.clear
      expect(yield* injector.pending).toBe(0)
      expect((yield* client.get("/items/")).status).toBe(200)
    }))

  it.effect("phase before: the request is not processed; phase after: processed, then the response is lost", () =>
    Effect.gen(function*() {
      const { calls, client, injector } = yield* makeApi
      yield* injector.inject({ method: "POST", fault: Faults.Fault.status(503) })
      expect((yield* client.execute(HttpClientRequest.post("/items/"))).status).toBe(503)
      expect(yield* Ref.get(calls)).toBe(0)
      yield* injector.inject({ method: "POST", fault: Faults.Fault.drop, phase: "after" })
      const lost = yield* Effect.either(client.execute(HttpClientRequest.post("/items/")))
      expect(lost._tag).toBe("Left")
      expect(yield* Ref.get(calls)).toBe(1)
    }))

  it.effect("Latency after processing delays the real response", () =>
    Effect.gen(function*() {
      const { calls, client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.latency("2 seconds"), phase: "after" })
      const fiber = yield* Effect.fork(client.execute(HttpClientRequest.post("/items/")))
      yield* TestClock.adjust("1 second")
      expect(yield* Ref.get(calls)).toBe(1)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).status).toBe(201)
    }))
  it.effect("a status the API has no message for carries the neutral default message", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.status(418) })
      const res = yield* client.get("/items/")
      expect(res.status).toBe(418)
      expect(yield* res.json).toEqual({ error: { status: 418, message: Faults.defaultMessage(418) } })
    }))

  it.effect("the API renders the whole answer: an XML fault with its own content type and headers", () =>
    Effect.gen(function*() {
      const xml: Faults.FaultBodies = {
        error: (status, message) =>
          HttpServerResponse.text(`<fault><reason>${message}</reason></fault>`, {
            status,
            contentType: "application/xml",
            headers: Headers.fromInput({ "x-fault": "yes" })
          }),
        malformed: "<vms><vm id="
      }
      const injector = yield* Faults.makeInjector
      const client = InProcess.make(Faults.middleware(injector, xml)(HttpServerResponse.unsafeJson({}))).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl("http://api.test"))
      )
      yield* injector.inject({ fault: Faults.Fault.status(409) })
      const res = yield* client.get("/vms")
      expect(res.status).toBe(409)
      expect(res.headers["content-type"]).toBe("application/xml")
      expect(res.headers["x-fault"]).toBe("yes")
      expect(yield* res.text).toBe(`<fault><reason>${Faults.defaultMessage(409)}</reason></fault>`)
      yield* injector.inject({ fault: Faults.Fault.rateLimit(1) })
      const limited = yield* client.get("/vms")
      expect(limited.headers["retry-after"]).toBe("1")
      expect(yield* limited.text).toBe(`<fault><reason>${Faults.defaultRateLimited(1)}</reason></fault>`)
      yield* injector.inject({ fault: Faults.Fault.malformed })
      expect(yield* (yield* client.get("/vms")).text).toBe("<vms><vm id=")
    }))

  it.effect("Malformed answers the API's own cut-off list", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.malformed })
      expect(yield* (yield* client.get("/items/")).text).toBe(bodies.malformed)
    }))

  it.effect("a Status fault with headers keeps them on the API's answer", () =>
    Effect.gen(function*() {
      const { client, injector } = yield* makeApi
      yield* injector.inject({ fault: Faults.Fault.status(503, { headers: { "retry-after": "3" } }) })
      const res = yield* client.get("/items/")
      expect(res.headers["retry-after"]).toBe("3")
      expect(yield* res.json).toEqual({ error: { status: 503, message: "Service temporarily unavailable." } })
    }))
  it.effect("the wording may depend on the request: each service of an API answers in its own shape", () =>
    Effect.gen(function*() {
      const shaped = (shape: string): Faults.FaultBodies => ({
        error: (status, message) => HttpServerResponse.unsafeJson({ [shape]: message }, { status }),
        malformed: `{"${shape}": [`
      })
      const injector = yield* Faults.makeInjector
      const wording = (request: HttpServerRequest.HttpServerRequest) => shaped(request.url.startsWith("/compute") ? "computeFault" : "error")
      const client = InProcess.make(Faults.middleware(injector, wording)(HttpServerResponse.unsafeJson({}))).pipe(
        HttpClient.mapRequest(HttpClientRequest.prependUrl("http://api.test"))
      )
      yield* injector.inject({ fault: Faults.Fault.status(500), times: 2 })
      expect(yield* (yield* client.get("/compute/servers")).json).toEqual({ computeFault: Faults.defaultMessage(500) })
      expect(yield* (yield* client.get("/identity/v3")).json).toEqual({ error: Faults.defaultMessage(500) })
    }))
})
