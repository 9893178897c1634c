/**
 * The lean `HttpClient` over undici, against real servers on 127.0.0.1: what a response carries, every kind of request
 * body, failures with undici's error as the cause, interruption closing the connection (of a request, of a body read,
 * of a stream stopped early, of a body never read), tracing when a tracer is installed, `HttpClient.withScope`, and the
 * attempt timeouts it enforces itself.
 */
import { HttpBody, HttpClient, HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Option, Stream, Tracer } from "effect"
import { createServer as createNetServer, type Socket } from "node:net"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Agent } from "undici"
import { currentAttemptTimeout } from "../../src/core/Transport.js"
import * as UndiciClient from "../../src/node/UndiciClient.js"
import { server, sleep } from "./Servers.js"

/** A client over its own pool, closed with the scope. */
const client = (options: Agent.Options = {}) =>
  Effect.map(
    Effect.acquireRelease(Effect.sync(() => new Agent(options)), (agent) => Effect.promise(() => agent.destroy())),
    UndiciClient.make
  )

const within = (millis: number) => Effect.locally(currentAttemptTimeout, Option.some(Duration.millis(millis)))

/** The `code` of an error's cause. */
const causeCode = (error: HttpClientError.HttpClientError): unknown =>
  typeof error.cause === "object" && error.cause !== null && "code" in error.cause ? error.cause.code : undefined

/** Real milliseconds an effect took, with its result. */
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const start = performance.now()
    return Effect.map(effect, (value) => ({ value, millis: performance.now() - start }))
  })

describe("UndiciClient: responses", () => {
  it.scopedLive("status, headers (repeated ones joined), cookies, and the body as text, JSON, bytes, read more than once", () =>
    Effect.gen(function*() {
      const served = yield* server((_, response) => {
        response.setHeader("content-type", "application/json")
        response.setHeader("x-many", ["a", "b"])
        response.setHeader("set-cookie", ["a=1; Path=/", "b=2"])
        response.setHeader("constructor", "c")
        response.setHeader("__proto__", "p")
        response.end(JSON.stringify({ ok: true }))
      })
      const http = yield* client()
      const response = yield* http.get(`${served.url}/answer`)
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toBe("application/json")
      expect(response.headers["x-many"]).toBe("a, b")
      // Names that are also properties of objects are headers like any other.
      expect(response.headers["constructor"]).toBe("c")
      expect(Object.getOwnPropertyDescriptor(response.headers, "__proto__")?.value).toBe("p")
      expect(Object.keys(response.cookies.cookies).sort()).toEqual(["a", "b"])
      expect(response.cookies.cookies["a"]?.value).toBe("1")
      // Showing the response reads nothing; once read, the body is shown too.
      expect(response.toJSON()).not.toHaveProperty("body")
      expect(yield* response.text).toBe(`{"ok":true}`)
      expect(response.toJSON()).toMatchObject({ status: 200, body: { ok: true } })
      expect(yield* response.json).toEqual({ ok: true })
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe(`{"ok":true}`)
      expect(yield* response.text).toBe(`{"ok":true}`)
      // Read again as a stream, it is refused: the body was read.
      const again = yield* Effect.flip(Stream.runDrain(response.stream))
      expect(again).toMatchObject({ _tag: "ResponseError", reason: "Decode", description: "the body was already read" })
    }))

  it.scopedLive("an empty body is \"\" as text and null as JSON; a byte-order mark is dropped; form bodies decode", () =>
    Effect.gen(function*() {
      const served = yield* server((request, response) => {
        if (request.url === "/empty") response.writeHead(204).end()
        else if (request.url === "/bom") response.end("\uFEFFhello")
        else if (request.url === "/form") response.end("a=1&b=two+words")
        else response.end()
      })
      const http = yield* client()
      expect(yield* Effect.flatMap(http.get(`${served.url}/empty`), (r) => r.text)).toBe("")
      expect(yield* Effect.flatMap(http.get(`${served.url}/empty`), (r) => r.json)).toBeNull()
      expect(yield* Effect.flatMap(http.head(`${served.url}/bom`), (r) => r.text)).toBe("")
      expect(yield* Effect.flatMap(http.get(`${served.url}/bom`), (r) => r.text)).toBe("hello")
      expect(yield* Effect.flatMap(http.get(`${served.url}/form`), (r) => r.urlParamsBody)).toEqual([["a", "1"], ["b", "two words"]])
      const malformed = yield* Effect.flip(Effect.flatMap(http.get(`${served.url}/bom`), (r) => r.json))
      expect(malformed).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
    }))

  it.scopedLive("a large body arrives whole, as text and as a stream read slowly (the connection pauses and goes on)", () =>
    Effect.gen(function*() {
      const chunk = Buffer.alloc(64 * 1024)
      for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251
      const count = 64
      const served = yield* server((_, response) => {
        let sent = 0
        const more = () => {
          while (sent < count) {
            sent++
            if (!response.write(chunk)) return void response.once("drain", more)
          }
          response.end()
        }
        more()
      })
      const http = yield* client()
      const text = yield* Effect.flatMap(http.get(`${served.url}/big`), (r) => r.arrayBuffer)
      expect(text.byteLength).toBe(count * chunk.length)
      expect(Buffer.from(text).subarray(chunk.length, 2 * chunk.length).equals(chunk)).toBe(true)
      const response = yield* http.get(`${served.url}/big`)
      let slow = 0
      const sum = yield* response.stream.pipe(
        Stream.tap(() => slow++ < 8 ? Effect.promise(() => sleep(20)) : Effect.void),
        Stream.runFold({ bytes: 0, checksum: 0 }, (acc, piece) => {
          let checksum = acc.checksum
          for (const byte of piece) checksum = (checksum * 31 + byte) % 1_000_003
          return { bytes: acc.bytes + piece.length, checksum }
        })
      )
      let expected = 0
      for (let n = 0; n < count; n++) for (const byte of chunk) expected = (expected * 31 + byte) % 1_000_003
      expect(sum).toEqual({ bytes: count * chunk.length, checksum: expected })
    }))
})

describe("UndiciClient: request bodies", () => {
  /** Echoes the request: method, content type and length, and the body as text. */
  const echo = server((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () =>
      response.end(JSON.stringify({
        method: request.method,
        type: request.headers["content-type"],
        length: request.headers["content-length"],
        chunked: request.headers["transfer-encoding"] === "chunked",
        body: Buffer.concat(chunks).toString()
      })))
  })

  it.scopedLive("text, bytes, a stream, form data and raw bodies are sent with their content types", () =>
    Effect.gen(function*() {
      const served = yield* echo
      const http = yield* client()
      const sent = (request: HttpClientRequest.HttpClientRequest) => Effect.flatMap(http.execute(request), (r) => r.json)
      const post = HttpClientRequest.post(`${served.url}/echo`)
      expect(yield* sent(HttpClientRequest.bodyText(post, "hello"))).toEqual({
        method: "POST",
        type: "text/plain",
        length: "5",
        chunked: false,
        body: "hello"
      })
      expect(yield* sent(HttpClientRequest.bodyUint8Array(HttpClientRequest.put(`${served.url}/echo`), new TextEncoder().encode("bytes")))).toMatchObject({
        method: "PUT",
        type: "application/octet-stream",
        body: "bytes"
      })
      const streamed = HttpClientRequest.bodyStream(post, Stream.make("str", "eam").pipe(Stream.encodeText), { contentType: "text/x-stream" })
      expect(yield* sent(streamed)).toMatchObject({ type: "text/x-stream", chunked: true, body: "stream" })
      const form = new FormData()
      form.append("field", "value")
      const multipart = yield* sent(HttpClientRequest.bodyFormData(post, form))
      expect(multipart).toMatchObject({ type: expect.stringMatching(/^multipart\/form-data; boundary=/) })
      expect(multipart).toMatchObject({ body: expect.stringContaining(`name="field"\r\n\r\nvalue`) })
      expect(yield* sent(HttpClientRequest.setBody(post, HttpBody.raw("raw text", { contentType: "text/plain" })))).toMatchObject({
        type: "text/plain",
        body: "raw text"
      })
      const unsendable = yield* Effect.flip(http.execute(HttpClientRequest.setBody(post, HttpBody.raw(42))))
      expect(unsendable).toMatchObject({ _tag: "RequestError", reason: "Encode" })
    }))
})

describe("UndiciClient: failures", () => {
  it.scopedLive("no server: a RequestError whose cause carries undici's code; a malformed URL: InvalidUrl", () =>
    Effect.gen(function*() {
      const gone = yield* Effect.scoped(server(() => {}))
      const http = yield* client()
      const refused = yield* Effect.flip(http.get(`${gone.url}/`))
      expect(refused).toBeInstanceOf(HttpClientError.RequestError)
      expect(refused).toMatchObject({ _tag: "RequestError", reason: "Transport" })
      expect(causeCode(refused)).toBe("ECONNREFUSED")
      expect(yield* Effect.flip(http.get("http://[not a host/"))).toMatchObject({ _tag: "RequestError", reason: "InvalidUrl" })
    }))

  it.scopedLive("a body cut off mid-way fails its read with a ResponseError whose cause is undici's", () =>
    Effect.gen(function*() {
      const served = yield* server((_, response) => {
        response.writeHead(200, { "content-length": "100" })
        response.write("only ten b", () => response.socket?.destroy())
      })
      const http = yield* client()
      const cut = yield* Effect.flip(Effect.flatMap(http.get(`${served.url}/`), (r) => r.text))
      expect(cut).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
      expect(typeof causeCode(cut)).toBe("string")
      const streamed = yield* Effect.flip(Effect.flatMap(http.get(`${served.url}/`), (r) => Stream.runDrain(r.stream)))
      expect(streamed).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
    }))
})

describe("UndiciClient: interruption closes the connection", () => {
  /** Answers `/hang` never, `/part` with a head and a little of the body, `/big` with more than is kept unread. */
  const stalling = server((request, response) => {
    if (request.url === "/part") {
      response.writeHead(200, { "content-length": "1000000" })
      response.write("x".repeat(100))
    } else if (request.url === "/big") {
      response.writeHead(200, { "content-length": String(4 * 1024 * 1024) })
      response.write(Buffer.alloc(1024 * 1024))
    } else if (request.url === "/ok") response.end("ok")
  })

  it.scopedLive("of a request waiting for its head, and of a body being read; the pool goes on", () =>
    Effect.gen(function*() {
      const served = yield* stalling
      const http = yield* client()
      const waiting = yield* Effect.fork(http.get(`${served.url}/hang`))
      yield* Effect.promise(() => served.arrived(1))
      yield* Fiber.interrupt(waiting)
      yield* Effect.promise(() => served.closed(0))
      const response = yield* http.get(`${served.url}/part`)
      const reading = yield* Effect.fork(response.text)
      yield* Effect.promise(() => sleep(50))
      expect(reading.unsafePoll()).toBeNull()
      yield* Fiber.interrupt(reading)
      yield* Effect.promise(() => served.closed(1))
      expect(yield* Effect.flatMap(http.get(`${served.url}/ok`), (r) => r.text)).toBe("ok")
    }))

  it.scopedLive("of a stream stopped early", () =>
    Effect.gen(function*() {
      const served = yield* stalling
      const http = yield* client()
      const first = yield* Effect.flatMap(http.get(`${served.url}/part`), (r) => Stream.runCollect(Stream.take(r.stream, 1)))
      expect(Chunk.size(first)).toBe(1)
      yield* Effect.promise(() => served.closed(0))
    }))

  it.scopedLive("of a response whose body is never read, once it is garbage-collected", () =>
    Effect.gen(function*() {
      setFlagsFromString("--expose-gc")
      const gc: unknown = runInNewContext("gc")
      const served = yield* stalling
      const http = yield* client()
      // The response is dropped at once, more of its body on the way than is kept unread: the connection pauses.
      yield* Effect.asVoid(http.get(`${served.url}/big`))
      const closed = served.closed(0)
      let done = false
      void closed.then(() => done = true)
      for (let i = 0; i < 50 && !done; i++) {
        if (typeof gc === "function") gc()
        yield* Effect.promise(() => sleep(20))
      }
      expect(done).toBe(true)
    }))
})

describe("UndiciClient: tracing", () => {
  const seen = server((request, response) =>
    response.end(JSON.stringify({ traceparent: request.headers["traceparent"] ?? null, b3: request.headers["b3"] ?? null })))

  it.scopedLive("without a tracer installed: no span, no trace headers", () =>
    Effect.gen(function*() {
      const served = yield* seen
      const http = yield* client()
      expect(yield* Effect.flatMap(http.get(`${served.url}/`), (r) => r.json)).toEqual({ traceparent: null, b3: null })
    }))

  it.scopedLive("with a tracer installed: an http.client span, and its trace headers sent", () =>
    Effect.gen(function*() {
      const served = yield* seen
      const http = yield* client()
      const native = yield* Effect.tracer
      const names: Array<string> = []
      const recording = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          names.push(name)
          return native.span(name, parent, context, links, startTime, kind, options)
        },
        context: native.context
      })
      const headers = yield* Effect.flatMap(http.get(`${served.url}/`), (r) => r.json).pipe(Effect.withTracer(recording))
      expect(names).toEqual(["http.client GET"])
      expect(headers).toMatchObject({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) })
    }))

  it.scopedLive("under a span from outside Effect, the trace goes on: its trace id is sent", () =>
    Effect.gen(function*() {
      const served = yield* seen
      const http = yield* client()
      const parent = Tracer.externalSpan({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" })
      const headers = yield* Effect.flatMap(http.get(`${served.url}/`), (r) => r.json).pipe(
        Effect.withSpan("inner"),
        Effect.withParentSpan(parent)
      )
      expect(headers).toMatchObject({ traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-/) })
    }))
})

describe("UndiciClient: HttpClient.withScope", () => {
  it.scopedLive("closing the request's scope aborts it, its body unread", () =>
    Effect.gen(function*() {
      const served = yield* server((_, response) => {
        response.writeHead(200, { "content-length": "1000" })
        response.write("x")
      })
      const http = HttpClient.withScope(yield* client())
      const response: HttpClientResponse.HttpClientResponse = yield* Effect.scoped(http.get(`${served.url}/`))
      yield* Effect.promise(() => served.closed(0))
      expect(yield* Effect.flip(response.text)).toMatchObject({ _tag: "ResponseError" })
    }))
})

describe("UndiciClient: attempt timeouts (real clock)", () => {
  it.scopedLive("a head that does not come within the attempt's timeout: UND_ERR_HEADERS_TIMEOUT, the connection closed", () =>
    Effect.gen(function*() {
      const served = yield* server(() => {})
      const http = yield* client()
      const { millis, value } = yield* timed(Effect.flip(within(300)(http.get(`${served.url}/`))))
      expect(causeCode(value)).toBe("UND_ERR_HEADERS_TIMEOUT")
      expect(UndiciClient.attemptTimeouts.isTimeout(String(causeCode(value)))).toBe(true)
      expect(millis).toBeGreaterThanOrEqual(250)
      expect(millis).toBeLessThan(2000)
      yield* Effect.promise(() => served.closed(0))
    }))

  it.scopedLive("a body that stalls for longer than the timeout: UND_ERR_BODY_TIMEOUT, the connection closed", () =>
    Effect.gen(function*() {
      const served = yield* server((_, response) => {
        response.writeHead(200, { "content-length": "1000" })
        response.write("some")
      })
      const http = yield* client()
      const response = yield* within(300)(http.get(`${served.url}/`))
      // The bound was set when the request started: it holds for the body read afterwards too.
      const { millis, value } = yield* timed(Effect.flip(response.text))
      expect(value).toMatchObject({ _tag: "ResponseError" })
      expect(causeCode(value)).toBe("UND_ERR_BODY_TIMEOUT")
      expect(millis).toBeGreaterThanOrEqual(200)
      expect(millis).toBeLessThan(2000)
      yield* Effect.promise(() => served.closed(0))
    }))

  it.scopedLive("the head's bound includes waiting for a connection of the pool, and the TLS handshake", () =>
    Effect.gen(function*() {
      const served = yield* server(() => {})
      const http = yield* client({ connections: 1 })
      const first = yield* Effect.fork(http.get(`${served.url}/first`))
      yield* Effect.promise(() => served.arrived(1))
      const queued = yield* timed(Effect.flip(within(300)(http.get(`${served.url}/second`))))
      expect(causeCode(queued.value)).toBe("UND_ERR_HEADERS_TIMEOUT")
      expect(queued.millis).toBeLessThan(2000)
      expect(served.requests.map((r) => r.url)).toEqual(["/first"])
      expect(first.unsafePoll()).toBeNull()
      yield* Fiber.interrupt(first)

      // A server that accepts the connection and never answers the TLS handshake.
      const sockets: Array<Socket> = []
      const silent = createNetServer((socket) => void sockets.push(socket))
      yield* Effect.acquireRelease(
        Effect.async<number>((resume) => {
          silent.listen(0, "127.0.0.1", () => {
            const address = silent.address()
            resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
          })
        }),
        () => Effect.sync(() => {
          for (const socket of sockets) socket.destroy()
          silent.close()
        })
      ).pipe(Effect.flatMap((port) =>
        Effect.gen(function*() {
          const handshake = yield* timed(Effect.flip(within(300)(http.get(`https://127.0.0.1:${port}/`))))
          expect(causeCode(handshake.value)).toBe("UND_ERR_HEADERS_TIMEOUT")
          expect(handshake.millis).toBeGreaterThanOrEqual(250)
          expect(handshake.millis).toBeLessThan(2000)
        })
      ))
    }))

})
