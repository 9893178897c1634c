/**
 * The engine against hostile answers: bodies too large, endless, too deep or of the wrong shape; downloads that
 * stall; header values that would split a request; URLs with userinfo — and what it says after retrying, how long
 * it retries, which statuses a request accepts, and that every safe read goes through the cache.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Ref, Schema, Stream, TestClock } from "effect"
import * as Path from "../../src/core/Path.js"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { everything, observe } from "../support/Observe.js"
import { engine, options } from "../support/RestEngine.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const retrying = RetryPolicy.make({ attempts: 4, baseDelay: "1 second", factor: 2, jitter: 0 })

/** A client whose every answer is `200` with the body `stream` (no declared length), counting requests. */
const streaming = (body: () => ReadableStream<Uint8Array>, overrides: Partial<RestClient.RestClientOptions> = {}) =>
  Effect.gen(function*() {
    const count = yield* Ref.make(0)
    const client = HttpClient.make((request) =>
      Effect.as(
        Ref.update(count, (n) => n + 1),
        HttpClientResponse.fromWeb(request, new Response(body(), { status: 200, headers: { "content-type": "application/json" } }))
      )
    )
    const rest = yield* RestClient.make(options(overrides)).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client)))
    return { rest, requests: Ref.get(count) }
  })

const endless = () => {
  const chunk = new TextEncoder().encode("[1,2,3,4,5,6,7,8],".repeat(64))
  return new ReadableStream<Uint8Array>({
    pull: (controller) => {
      controller.enqueue(chunk)
    }
  })
}

const silentAfterHead = () => new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => {}) })

const get = { method: "GET", path: Path.make("things/{id}/", { id: "t1" }) } as const
const Thing = Schema.Struct({ id: Schema.String, size: Schema.Number })

describe("RestClient bounds: sizes", () => {
  it.effect("refuses a declared length over the limit before reading it, and never retries it", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(
        [{ status: 200, text: "{}", headers: { "content-type": "application/json", "content-length": String(2 * 1024 ** 3) } }],
        { maxResponseBytes: 1024, retry: retrying }
      )
      const error = yield* Effect.flip(rest.json(get, Thing))
      expect(error).toMatchObject({ _tag: "ResponseTooLargeError", limitBytes: 1024, status: 200 })
      expect(error.message).toContain(`of ${2 * 1024 ** 3} bytes, over the limit of 1024 bytes`)
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("cuts an endless body off at the limit", () =>
    Effect.gen(function*() {
      const { requests, rest } = yield* streaming(endless, { maxResponseBytes: 64 * 1024, retry: retrying })
      const error = yield* Effect.flip(rest.json(get, Thing))
      expect(error).toMatchObject({ _tag: "ResponseTooLargeError", limitBytes: 64 * 1024 })
      expect(error.message).toContain("longer than the limit of 65536 bytes")
      expect(yield* requests).toBe(1)
    }))

  it.effect("a request can lower or raise its own limit", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ id: "t1", size: 1, pad: "x".repeat(2000) })
      const { rest } = yield* engine([{ status: 200, text: body, headers: { "content-type": "application/json" } }], {
        maxResponseBytes: 1000
      })
      expect((yield* Effect.flip(rest.json(get, Thing)))._tag).toBe("ResponseTooLargeError")
      expect((yield* rest.json({ ...get, maxResponseBytes: 4000 }, Thing)).id).toBe("t1")
    }))
})

describe("RestClient bounds: shapes", () => {
  it.effect("10,000 nested arrays are a DecodeError that serialises, not a RangeError", () =>
    Effect.gen(function*() {
      const text = "[".repeat(10_000) + "]".repeat(10_000)
      const { rest } = yield* engine([{ status: 200, text, headers: { "content-type": "application/json" } }])
      const error = yield* Effect.flip(rest.json(get, Thing))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toBe("GET things/{id}/: unexpected response body: body expected an object, got an array of 1 item")
      expect(JSON.stringify(error).length).toBeLessThan(1000)
    }))

  it.effect("never quotes the body: a 16 MB answer of the wrong shape gives a short message", () =>
    Effect.gen(function*() {
      const text = JSON.stringify(["x".repeat(16 * 1024 * 1024)])
      const { rest } = yield* engine([{ status: 200, text, headers: { "content-type": "application/json" } }])
      const error = yield* Effect.flip(rest.json(get, Thing))
      expect(error.message.length).toBeLessThan(200)
      expect(JSON.stringify(error).length).toBeLessThan(1000)
    }))

  it.effect("never shows a secret of a wrongly shaped answer, even outside its Redacted field", () =>
    Effect.gen(function*() {
      const Token = Schema.Struct({ access_token: Schema.Redacted(Schema.String), expires_in: Schema.Number })
      const { rest } = yield* engine([
        { status: 200, body: { access_token: "tok-SECRET-1", expires_in: "soon" } },
        { status: 200, body: ["tok-SECRET-2"] }
      ])
      const wrongField = yield* Effect.flip(rest.json(get, Token))
      expect(wrongField.message).toContain("expires_in expected number, got a string")
      const wrongShape = yield* Effect.flip(rest.json(get, Token))
      expect(wrongShape.message).toContain("body expected an object, got an array of 1 item")
      for (const error of [wrongField, wrongShape]) expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/tok-SECRET/)
    }))

  it.effect("keeps at most 20 issues of a page of bad rows, and says there were more", () =>
    Effect.gen(function*() {
      const rows = Array.from({ length: 500 }, (_, i) => ({ id: i }))
      const { rest } = yield* engine([{ status: 200, body: rows }])
      const error = yield* Effect.flip(rest.json(get, Schema.Array(Thing)))
      expect(error._tag === "DecodeError" && error.issues.length).toBe(20)
      expect(error.message).toContain("0.id expected string, got a number (+19 more, and others not listed)")
    }))
})

describe("RestClient bounds: time", () => {
  it.effect("a download whose body stalls after the head fails after the timeout", () =>
    Effect.gen(function*() {
      const { rest } = yield* streaming(silentAfterHead)
      const download = yield* rest.download(get)
      const fiber = yield* Effect.fork(Effect.flip(Stream.runDrain(download.body)))
      yield* TestClock.adjust("4999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 5000 })
      expect(error.message).toBe("GET http://api.test/v1/things/t1/: no more of the body within 5s")
    }))

  it.effect("says what was tried when it gives up", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 503 }], { retry: retrying })
      const fiber = yield* Effect.fork(Effect.flip(rest.send(get)))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("UnavailableError")
      expect(error.message).toBe("GET http://api.test/v1/things/t1/ answered 503 (4 attempts over 7s)")
    }))

  it.effect("starts no retry, nor waits for one, past the policy's ceiling after the first attempt began", () =>
    Effect.gen(function*() {
      const slow = RetryPolicy.make({ attempts: 10, baseDelay: "20 seconds", factor: 2, jitter: 0, maxDelay: "5 minutes" })
      const { rest, sent } = yield* engine([{ status: 503 }], { retry: slow })
      const fiber = yield* Effect.fork(Effect.flip(rest.send(get)))
      yield* TestClock.adjust("10 minutes")
      const error = yield* Fiber.join(fiber)
      // Waits of 20 s and 40 s end at the 1-minute ceiling; the next (80 s) would cross it.
      expect(Scripted.times(yield* sent)).toEqual([0, 20_000, 60_000])
      expect(error.message).toContain("(3 attempts over 1m)")
    }))
})

describe("RestClient bounds: requests", () => {
  it.effect.each([
    ["a line break", "a\r\nX-Injected: 1"],
    ["a NUL", "a\u0000b"],
    ["a character beyond Latin-1", "Zoë ✓"]
  ] as const)("refuses a header value with %s before sending, and never retries it", ([, value]) =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 200, body: {} }], { retry: retrying })
      const error = yield* Effect.flip(rest.send({ ...get, headers: { "x-meta": value } }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "x-meta" })
      expect((yield* sent).length).toBe(0)
    }))

  it.effect("answers a status the request accepts besides 2xx", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 409, body: { id: "t1", size: 7 } }])
      expect(yield* rest.json({ ...get, accept: [409] }, Thing)).toEqual({ id: "t1", size: 7 })
      expect((yield* Effect.flip(rest.json(get, Thing)))._tag).toBe("ConflictError")
    }))

  it.effect("never sends nor shows the userinfo of a base URL: not in the request, errors, messages or spans", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 404 }], { baseUrl: "http://admin:hunter2@api.test/v1/" })
      const recorded = yield* observe(rest.send(get))
      const error = yield* Effect.flip(recorded.exit)
      expect(error._tag !== "InvalidInputError" && error.url).toBe("http://…@api.test/v1/things/t1/")
      expect((yield* sent).map((s) => s.url)).toEqual(["http://api.test/v1/things/t1/"])
      expect(`${error.message} ${JSON.stringify(error)} ${everything(recorded)}`).not.toContain("hunter2")
    }))
})

describe("RestClient: every safe read through the cache", () => {
  it.effect("json, send and exchange serve a repeated GET from the cache; cache: false and mutations go to the server", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(
        (request) => (request.method === "GET" ? { status: 200, body: { id: "t1", size: 1 } } : { status: 204 }),
        {},
        ResponseCache.layerMemory({ timeToLive: "1 minute" })
      )
      yield* rest.json(get, Thing)
      yield* rest.json(get, Thing)
      yield* rest.send(get)
      expect((yield* rest.exchange(get, Thing)).response.status).toBe(200)
      expect((yield* sent).length).toBe(1)
      yield* rest.json({ ...get, cache: false }, Thing)
      expect((yield* sent).length).toBe(2)
      yield* rest.send({ method: "DELETE", path: Path.make("things/{id}/", { id: "t1" }) })
      yield* rest.json(get, Thing)
      expect((yield* sent).map((s) => s.method)).toEqual(["GET", "GET", "DELETE", "GET"])
    }))

  it.effect("100 concurrent identical reads make one request", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(
        [{ delay: "1 second", then: { status: 200, body: { id: "t1", size: 1 } } }],
        {},
        ResponseCache.layerMemory({ timeToLive: "1 minute" })
      )
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 100 }, () => rest.json(get, Thing)), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      expect(Chunk.size(Chunk.fromIterable(yield* Fiber.join(fiber)))).toBe(100)
      expect((yield* sent).length).toBe(1)
    }))
})
