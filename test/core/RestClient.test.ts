import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Schema, TestClock } from "effect"
import * as Path from "../../src/core/Path.js"
import * as Version from "../../src/core/Version.js"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { everything, observe } from "../support/Observe.js"
import { engine, secret } from "../support/RestEngine.js"

class Thing extends Schema.Class<Thing>("Thing")({ id: Schema.String, size: Schema.Number }) {}
const Things = Schema.Struct({ items: Schema.Array(Thing) })
const getThing = { method: "GET", path: Path.make("things/{id}/", { id: "t1" }) } as const

describe("RestClient", () => {
  it.effect.each([
    [400, "BadRequestError"],
    [401, "AuthenticationError"],
    [403, "PermissionError"],
    [404, "NotFoundError"],
    [408, "TimeoutError"],
    [409, "ConflictError"],
    [410, "NotFoundError"],
    [418, "BadRequestError"],
    [422, "BadRequestError"],
    [429, "RateLimitedError"],
    [500, "ServerError"],
    [501, "ServerError"],
    [502, "UnavailableError"],
    [503, "UnavailableError"],
    [504, "UnavailableError"]
  ] as const)("maps status %i to %s with the server's message, code and request id", ([status, tag]) =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{
        status,
        body: { error: "it went wrong" },
        headers: { "content-type": "application/json", "x-request-id": "req-7" }
      }])
      const error = yield* Effect.flip(rest.send(getThing))
      expect(error._tag).toBe(tag)
      if (error._tag === "InvalidInputError") return
      expect(error).toMatchObject({
        api: "test",
        method: "GET",
        url: "http://api.test/v1/things/t1/",
        status,
        code: "E1",
        detail: "it went wrong",
        requestId: "req-7"
      })
      expect(error.message).toBe(`GET http://api.test/v1/things/t1/ answered ${status}: it went wrong (code E1)`)
    }))

  it.effect("decodes a body with the schema", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 200, body: { items: [{ id: "a", size: 1, extra: true }] } }])
      const things = yield* rest.json({ method: "GET", path: Path.literal("things/") }, Things)
      expect(things.items[0]).toBeInstanceOf(Thing)
      expect(things.items[0]?.size).toBe(1)
    }))

  it.effect("names the path of a missing field and of a wrong type", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 200, body: { items: [{ id: "a", size: 1 }, { id: "b" }, { id: 3, size: "x" }] } }])
      const error = yield* Effect.flip(rest.json({ method: "GET", path: Path.literal("things/") }, Things))
      expect(error._tag).toBe("DecodeError")
      if (error._tag !== "DecodeError") return
      expect(error.issues.map((i) => i.path)).toEqual([["items", 1, "size"], ["items", 2, "id"], ["items", 2, "size"]])
      expect(error.message).toContain("items.1.size is missing")
    }))

  it.effect.each([
    ["malformed JSON", { status: 200, text: "{\"items\": [", headers: { "content-type": "application/json" } }, "malformed JSON"],
    ["an HTML page", { status: 200, text: "<html>proxy</html>", headers: { "content-type": "text/html" } }, "text/html"],
    ["an empty body", { status: 200, text: "", headers: { "content-type": "application/json" } }, "empty body"]
  ] as const)("turns %s into a DecodeError", ([, reply, expected]) =>
    Effect.gen(function*() {
      const { rest } = yield* engine([reply])
      const error = yield* Effect.flip(rest.json({ method: "GET", path: Path.literal("things/") }, Things))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain(expected)
    }))

  it.effect("turns a non-JSON success into UnavailableError when the API says so", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 200, text: "<html>upgrading</html>", headers: { "content-type": "text/html" } }], {
        nonJsonKind: "UnavailableError"
      })
      const error = yield* Effect.flip(rest.json({ method: "GET", path: Path.literal("things/") }, Things))
      expect(error._tag).toBe("UnavailableError")
    }))

  it.effect("times out an attempt at exactly the timeout", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ delay: "1 minute", then: { status: 200, body: {} } }])
      const fiber = yield* Effect.fork(Effect.flip(rest.send(getThing)))
      yield* TestClock.adjust("4999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("TimeoutError")
      expect(error._tag === "TimeoutError" && error.timeoutMillis).toBe(5000)
    }))

  it.effect.each(["", ".", ".."])("refuses the path parameter %j without sending anything", (id) =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 200, body: {} }])
      const error = yield* Effect.flip(rest.send({ method: "GET", path: Path.make("things/{id}/", { id }) }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "id" })
      expect((yield* sent).length).toBe(0)
    }))

  it.effect("refuses a URL over the length limit without sending anything", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 200, body: {} }], { maxUrlLength: 100 })
      const error = yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("things/"), query: { ids: "x".repeat(200) } }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "query" })
      expect((yield* sent).length).toBe(0)
    }))

  it.effect("removes secret query values from error URLs", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 404 }])
      const error = yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("things/"), query: { token: "abc", name: "n" } }))
      expect(error._tag !== "InvalidInputError" && error.url).toBe("http://api.test/v1/things/?name=n&token=<redacted>")
    }))

  it.effect("names itself in User-Agent, after the caller's product tokens", () =>
    Effect.gen(function*() {
      const plain = yield* engine([{ status: 200, body: {} }])
      yield* plain.rest.send({ method: "GET", path: Path.literal("things/") })
      expect((yield* plain.sent)[0]?.headers["user-agent"]).toBe(`effect-cloud-clients/${Version.version} (test)`)
      const named = yield* engine([{ status: 200, body: {} }], { userAgent: "myapp/1.2" })
      yield* named.rest.send({ method: "GET", path: Path.literal("things/") })
      expect((yield* named.sent)[0]?.headers["user-agent"]).toBe(`myapp/1.2 effect-cloud-clients/${Version.version} (test)`)
    }))

  it.effect("sends headers, the authorization and a JSON body", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 201, body: {} }], { headers: { "user-agent": "ua/1" } })
      yield* rest.send({ method: "POST", path: Path.literal("things/"), body: { a: [1, 2] }, query: { b: ["1", "2"] } })
      const [request] = yield* sent
      expect(request?.url).toBe("http://api.test/v1/things/?b=1&b=2")
      expect(request?.headers).toMatchObject({
        "authorization": `Bearer ${secret}`,
        "user-agent": "ua/1",
        "content-type": "application/json",
        "accept": "application/json"
      })
      expect(request?.body).toBe("{\"a\":[1,2]}")
    }))

  it.effect("serves reads from the cache and drops them when a mutation touches the collection", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(
        (request) => (request.method === "GET" ? { status: 200, body: { id: "t1", size: 1 } } : { status: 204 }),
        {},
        ResponseCache.layerMemory({ timeToLive: "1 minute" })
      )
      const read = yield* rest.reader("thing", Thing)
      yield* read(getThing)
      yield* read(getThing)
      expect((yield* sent).length).toBe(1)
      yield* read({ ...getThing, cache: false })
      expect((yield* sent).length).toBe(2)
      yield* rest.send({ method: "DELETE", path: Path.make("things/{id}/", { id: "t1" }) })
      yield* read(getThing)
      expect((yield* sent).map((s) => s.method)).toEqual(["GET", "GET", "DELETE", "GET"])
    }).pipe(Effect.scoped))

  it.effect("records one span per request with method, template, status and resend count — and never the secret", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 503 }, { status: 200, body: { id: "t1", size: 2 } }], {
        retry: RetryPolicy.make({ attempts: 3, baseDelay: "1 second", jitter: 0 })
      })
      const fiber = yield* Effect.fork(observe(rest.json(getThing, Thing)))
      yield* TestClock.adjust("1 second")
      const recorded = yield* Fiber.join(fiber)
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      const span = recorded.spans.find((s) => s.name === "test GET things/{id}/")
      expect(span).toBeDefined()
      expect(Object.fromEntries(span?.attributes ?? [])).toMatchObject({
        "http.request.method": "GET",
        "url.template": "things/{id}/",
        "http.response.status_code": 200,
        "http.request.resend_count": 1
      })
      expect(recorded.logs.some((l) => l.includes("retrying GET things/{id}/"))).toBe(true)
      expect(everything(recorded)).not.toContain(secret)
    }))

  it.effect("keeps the secret out of error messages and serialised errors", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 401, body: { error: "bad token" } }])
      const error = yield* Effect.flip(rest.send(getThing))
      expect(`${error.message} ${JSON.stringify(error)} ${String(error)}`).not.toContain(secret)
    }))
})
