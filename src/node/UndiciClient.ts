/**
 * An `HttpClient` straight over an undici `Dispatcher` (`Agent`, `EnvHttpProxyAgent`, `Pool`, …), with as little
 * work per request as the `HttpClient` interface allows.
 *
 * It speaks to the dispatcher's handler interface itself (no `request` promise, no `Readable` per response, no
 * `AbortController` per request): the body's chunks are kept as they arrive and handed over whole to `text`, `json`
 * and `arrayBuffer`, or one after another to `stream` (with back-pressure: the connection pauses while a reader
 * falls behind). A body never read holds its connection only until the response is garbage-collected, when the
 * request is aborted. Interrupting a request, or a read of its body, aborts it: the socket is closed.
 *
 * Tracing: while the tracer is Effect's own (none installed) and no span of another tracer is a parent, requests
 * carry no `http.client` span and no trace-propagation headers; otherwise, and for requests of
 * `HttpClient.withScope`, the request goes through `HttpClient.make` and gets its span, its `traceparent`/`b3`
 * headers and its scope as with `@effect/platform-node`'s client.
 *
 * Attempt timeouts: when the request engine sets `currentAttemptTimeout` (it does when `AttemptTimeouts` is
 * provided, see {@link attemptTimeouts}), the timeout bounds the head — connecting, TLS, waiting for a connection of
 * the pool, sending the request and its body, and the response's status and headers — and every gap in the body
 * (undici's `bodyTimeout`, which does not run while the reader holds the connection paused). It is therefore "the
 * head within the timeout, and no gap longer than it in the body", not one total: a body that keeps coming may
 * take longer. A head too late fails with undici's `HeadersTimeoutError` (`UND_ERR_HEADERS_TIMEOUT`), on a timer of
 * its own; a body gap with undici's `BodyTimeoutError` (`UND_ERR_BODY_TIMEOUT`), whose timer is coarse: a gap is
 * noticed between the timeout and about a second after it. Without that fiber ref the client bounds nothing itself
 * (undici's own limits aside), like `@effect/platform-node`'s: leave it to `Effect.timeout`.
 *
 * @since 0.1.0
 */
import {
  Cookies,
  Headers,
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import { NodeStream } from "@effect/platform-node"
import { Chunk, Context, DefaultServices, Duration, Effect, type Fiber, Inspectable, Option, Predicate, Stream, Tracer } from "effect"
import { globalValue } from "effect/GlobalValue"
import { Readable } from "node:stream"
import { type Dispatcher, errors, util } from "undici"
import { AttemptTimeouts, currentAttemptTimeout } from "../core/Transport.js"

/** The error codes of the timeouts this client enforces: a head too late, a gap in the body. */
export const timeoutCodes: ReadonlySet<string> = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"])

/** The {@link AttemptTimeouts} of this client: its timeouts are undici's headers and body timeouts. */
export const attemptTimeouts: Context.Tag.Service<AttemptTimeouts> = { isTimeout: (code) => timeoutCodes.has(code) }

/** {@link attemptTimeouts} as a context, to provide beside the client. */
export const attemptTimeoutsContext: Context.Context<AttemptTimeouts> = Context.make(AttemptTimeouts, attemptTimeouts)

/** How much of a body is kept before anyone reads it (or while a stream's reader falls behind) before pausing. */
const highWaterMark = 64 * 1024

/** Effect's own tracer: spans nobody collects. */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/** Whether a span of the fiber, or one of its parents, comes from outside Effect (a trace to continue). */
const externalParent = (span: Tracer.AnySpan | undefined): boolean => {
  let current = span
  for (let depth = 0; current !== undefined && depth < 64; depth++) {
    if (current._tag === "ExternalSpan") return true
    current = Option.getOrUndefined(current.parent)
  }
  return false
}

/**
 * The controllers of `HttpClient.withScope`'s requests: `@effect/platform` keeps them in this global map, which
 * `HttpClient.make` reads; a request found here goes through `HttpClient.make`, which honours its scope.
 */
const scopedRequests = globalValue(
  "@effect/platform/HttpClient/scopedRequests",
  () => new WeakMap<HttpClientRequest.HttpClientRequest, AbortController>()
)

/** The attempt's timeout in whole milliseconds, or `undefined` when none is set (or it is infinite). */
const attemptMillis = (fiber: Fiber.RuntimeFiber<unknown, unknown>): number | undefined => {
  const timeout = fiber.getFiberRef(currentAttemptTimeout)
  if (Option.isNone(timeout)) return undefined
  const millis = Duration.toMillis(timeout.value)
  return Number.isFinite(millis) ? Math.max(1, Math.ceil(millis)) : undefined
}

/** No transport timeout of the head: one hour, as `@effect/platform-node` sets it. */
const noHeadersTimeout = 60 * 60 * 1000

const interrupted = (): Error => new errors.RequestAbortedError("Request aborted: interrupted")

/**
 * One request and its response as undici reports them (undici's handler interface): the head, then the body's
 * chunks, kept until they are read.
 */
class Exchange implements Dispatcher.DispatchHandler {
  /** Aborts the request at undici; set once it has a connection. */
  private cancel: ((error?: Error) => void) | undefined = undefined
  /** Why the request was aborted before undici could abort it (applied when it gets a connection). */
  private abortedBy: Error | undefined = undefined
  private resumeParser: (() => void) | undefined = undefined
  private timer: ReturnType<typeof setTimeout> | undefined = undefined
  /** Called once with the head, or with why there is none. */
  onHead: ((error: Error | undefined) => void) | undefined = undefined
  status = 0
  rawHeaders: Array<Buffer> = []
  chunks: Array<Buffer> = []
  size = 0
  /** The body arrived in full. */
  complete = false
  /** Why the body did not arrive in full. */
  failure: Error | undefined = undefined
  /** The body is being read whole: keep everything, never pause. */
  whole = false
  private paused = false
  /** Called when a chunk arrives, the body ends or fails. */
  private waiters: Array<() => void> = []

  /** Bounds the head: after `millis` without it, the request fails with a `HeadersTimeoutError`. */
  expireAfter(millis: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined
      const error = new errors.HeadersTimeoutError()
      this.abort(error)
      this.head(error)
    }, millis)
  }

  private stopTimer(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Reports the head, or why there is none, once. */
  private head(error: Error | undefined): void {
    this.stopTimer()
    const onHead = this.onHead
    this.onHead = undefined
    onHead?.(error)
  }

  /** The caller gave up on the head (interrupted): nothing more is reported, and the request is aborted. */
  interrupt(): void {
    this.stopTimer()
    this.onHead = undefined
    this.abort()
  }

  /** Aborts the request unless its response arrived in full; undici closes the connection. */
  abort(error: Error = interrupted()): void {
    if (this.complete || this.failure !== undefined || this.abortedBy !== undefined) return
    this.abortedBy = error
    if (this.cancel !== undefined) this.cancel(error)
  }

  /** Waits for the next chunk, the end or a failure. */
  wait(wake: () => void): void {
    this.waiters.push(wake)
  }

  /** Stops waiting (an interrupted reader). */
  unwait(wake: () => void): void {
    const at = this.waiters.indexOf(wake)
    if (at !== -1) this.waiters.splice(at, 1)
  }

  private notify(): void {
    if (this.waiters.length === 0) return
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }

  /** The chunks received and not yet taken; resumes the connection if it was paused. */
  take(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.size = 0
    this.flow()
    return chunks
  }

  /** Lets the connection go on if it was paused. */
  flow(): void {
    if (!this.paused) return
    this.paused = false
    this.resumeParser?.()
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.abortedBy !== undefined) abort(this.abortedBy)
    else this.cancel = abort
  }

  onHeaders(status: number, rawHeaders: Array<Buffer>, resume: () => void): boolean {
    if (status < 200) return true
    this.status = status
    this.rawHeaders = rawHeaders
    this.resumeParser = resume
    this.head(undefined)
    return true
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk)
    this.size += chunk.length
    this.notify()
    if (this.whole || this.size < highWaterMark) return true
    this.paused = true
    return false
  }

  onComplete(): void {
    this.complete = true
    this.notify()
  }

  onError(error: Error): void {
    if (this.onHead !== undefined) {
      this.head(error)
      return
    }
    this.failure = error
    this.notify()
  }
}

/** Aborts the request of a response garbage-collected with its body unread. */
const unread = globalValue(
  "effect-cloud-clients/UndiciClient/unread",
  () => new FinalizationRegistry<Exchange>((exchange) => exchange.abort())
)

const utf8Bom = (bytes: Buffer): boolean => bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf

/** UTF-8 text, a leading byte-order mark dropped (as `Response.text()` does). */
const decode = (bytes: Buffer): string => bytes.toString("utf8", utf8Bom(bytes) ? 3 : 0)

const joined = (chunks: ReadonlyArray<Buffer>, size: number): Buffer =>
  chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size)

/** A response of {@link Exchange}: headers parsed when first asked, the body read as asked. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  private parsedHeaders: Headers.Headers | undefined = undefined
  private parsedCookies: Cookies.Cookies | undefined = undefined
  private setCookie: Array<string> | undefined = undefined
  /** How the body is read: not yet, whole (`text`, `json`, …), or as a stream. */
  private reading: "none" | "whole" | "stream" = "none"
  private bytes: Buffer | undefined = undefined
  private textValue: string | undefined = undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, private readonly exchange: Exchange, watched: boolean) {
    super()
    if (watched && !exchange.complete && exchange.failure === undefined) unread.register(this, exchange, this)
  }

  get status(): number {
    return this.exchange.status
  }

  get headers(): Headers.Headers {
    return this.parsedHeaders ?? this.parseHeaders()
  }

  /** Headers as `@effect/platform` has them (names in lower case, repeated ones joined by ", "); `Set-Cookie` kept apart. */
  private parseHeaders(): Headers.Headers {
    const raw = this.exchange.rawHeaders
    const record: Record<string, string> = {}
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const rawName = raw[i]
      const rawValue = raw[i + 1]
      if (rawName === undefined || rawValue === undefined) break
      const name = util.headerNameToString(rawName)
      const value = rawValue.toString("latin1")
      if (name === "set-cookie") (this.setCookie ??= []).push(value)
      // Own properties only: a header named `constructor` or `__proto__` is a header like any other.
      const known = Object.hasOwn(record, name) ? record[name] : undefined
      const joinedValue = known === undefined ? value : `${known}, ${value}`
      if (name === "__proto__") Object.defineProperty(record, name, { value: joinedValue, enumerable: true, configurable: true, writable: true })
      else record[name] = joinedValue
    }
    return this.parsedHeaders = Headers.unsafeFromRecord(record)
  }

  get cookies(): Cookies.Cookies {
    if (this.parsedCookies !== undefined) return this.parsedCookies
    if (this.parsedHeaders === undefined) this.parseHeaders()
    return this.parsedCookies = this.setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(this.setCookie)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown, description?: string): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      cause,
      ...(description === undefined ? {} : { description })
    })
  }

  private claim(how: "whole" | "stream"): HttpClientError.ResponseError | undefined {
    if (this.reading === how && how === "whole") return undefined
    if (this.reading !== "none") return this.decodeError(undefined, "the body was already read")
    this.reading = how
    unread.unregister(this)
    return undefined
  }

  /** The whole body, once; later reads get the same bytes. */
  private get body(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return Effect.suspend(() => {
      if (this.bytes !== undefined) return Effect.succeed(this.bytes)
      const refused = this.claim("whole")
      if (refused !== undefined) return Effect.fail(refused)
      const exchange = this.exchange
      if (exchange.failure !== undefined) return Effect.fail(this.decodeError(exchange.failure))
      if (exchange.complete) {
        const size = exchange.size
        this.bytes = joined(exchange.take(), size)
        return Effect.succeed(this.bytes)
      }
      exchange.whole = true
      exchange.flow()
      return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
        const wake = () => {
          if (exchange.failure !== undefined) resume(Effect.fail(this.decodeError(exchange.failure)))
          else if (exchange.complete) resume(this.body)
          else exchange.wait(wake)
        }
        exchange.wait(wake)
        return Effect.sync(() => {
          exchange.unwait(wake)
          exchange.abort()
        })
      })
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    if (this.textValue !== undefined) return Effect.succeed(this.textValue)
    return Effect.map(this.body, (bytes) => this.textValue ??= decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      if (text === "") return Effect.succeed(null)
      try {
        return Effect.succeed<unknown>(JSON.parse(text))
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.body, (bytes) => new Uint8Array(bytes).buffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.body, (bytes) =>
      Effect.tryPromise({
        try: () => new Response(new Uint8Array(bytes), { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const refused = this.claim("stream")
      if (refused !== undefined) return Stream.fail(refused)
      const exchange = this.exchange
      const pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> = Effect.suspend(() => {
        if (exchange.size > 0) return Effect.succeed(Chunk.unsafeFromArray<Uint8Array>(exchange.take()))
        if (exchange.failure !== undefined) return Effect.fail(Option.some(this.decodeError(exchange.failure)))
        if (exchange.complete) return Effect.fail(Option.none())
        return Effect.async<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>>((resume) => {
          const wake = () => resume(pull)
          exchange.wait(wake)
          return Effect.sync(() => exchange.unwait(wake))
        })
      })
      return Stream.ensuring(Stream.repeatEffectChunkOption(pull), Effect.sync(() => exchange.abort()))
    })
  }

  /**
   * As `@effect/platform` shows a response, with the body only once it was read whole: showing a response (an error
   * logged) never reads its body.
   */
  toJSON(): unknown {
    const shown = {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
    if (this.bytes === undefined) return shown
    const text = this.textValue ??= decode(this.bytes)
    if ((this.headers["content-type"] ?? "").includes("application/json")) {
      try {
        return { ...shown, body: text === "" ? null : JSON.parse(text) }
      } catch {
        return shown
      }
    }
    return { ...shown, body: text }
  }
}

type Body = string | Uint8Array | Readable

/** The chunks of a web stream, for a `Readable`. */
async function* chunksOf(stream: ReadableStream<unknown>): AsyncGenerator<unknown> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const read = await reader.read()
      if (read.done) return
      yield read.value
    }
  } finally {
    reader.releaseLock()
  }
}

const isAsyncIterable = (u: unknown): u is AsyncIterable<unknown> =>
  Predicate.hasProperty(u, Symbol.asyncIterator) && Predicate.isFunction(u[Symbol.asyncIterator])

/** A raw body (`HttpBody.raw`) as undici takes it, `null` for none, or `undefined` when it cannot be sent. */
const rawBody = (body: unknown): Body | null | undefined => {
  if (body === null || body === undefined) return null
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof Readable) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (body instanceof Blob) return Readable.from(chunksOf(body.stream()))
  if (body instanceof ReadableStream) return Readable.from(chunksOf(body))
  return Predicate.isIterable(body) || isAsyncIterable(body) ? Readable.from(body) : undefined
}

const encodeError = (request: HttpClientRequest.HttpClientRequest, description: string) =>
  new HttpClientError.RequestError({ request, reason: "Encode", description })

/**
 * Sends one request through `dispatcher`; answers at the head. `signal` (from `HttpClient.make`) aborts it too;
 * without one, a response whose body is never read is aborted when it is garbage-collected.
 */
const send = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  signal: AbortSignal | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const millis = attemptMillis(fiber)
  const dispatch = (body: Body | null, headers: Headers.Headers = request.headers): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
    Effect.async((resume) => {
      const exchange = new Exchange()
      exchange.onHead = (error) => {
        if (error !== undefined) {
          if (body instanceof Readable) body.destroy()
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: error })))
        } else {
          // Built when the fiber resumes: by then a small body has usually arrived in full, and needs no watching.
          resume(Effect.sync(() => new UndiciResponse(request, exchange, signal === undefined)))
        }
      }
      if (signal !== undefined) {
        if (signal.aborted) exchange.abort()
        else signal.addEventListener("abort", () => exchange.abort(), { once: true })
      }
      if (millis !== undefined) exchange.expireAfter(millis)
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers,
        body,
        headersTimeout: millis ?? noHeadersTimeout,
        bodyTimeout: millis ?? 0
      }, exchange)
      // Interrupted: the request is aborted (closing its connection), or dropped when it reaches one.
      return Effect.sync(() => exchange.interrupt())
    })
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return dispatch(null)
    case "Uint8Array":
      return dispatch(body.body)
    case "FormData": {
      // Encoded as `fetch` encodes it: multipart, with its boundary in the content type.
      const encoded = new Request("http://form.invalid/", { method: "POST", body: body.formData })
      const type = encoded.headers.get("content-type")
      return dispatch(
        encoded.body === null ? null : Readable.from(chunksOf(encoded.body)),
        type === null || request.headers["content-type"] !== undefined ? request.headers : Headers.set(request.headers, "content-type", type)
      )
    }
    case "Raw": {
      const raw = rawBody(body.body)
      return raw === undefined ? Effect.fail(encodeError(request, "a raw body undici cannot send")) : dispatch(raw)
    }
    case "Stream":
      return Effect.flatMap(NodeStream.toReadable(body.stream), dispatch)
  }
}

/**
 * The `HttpClient` over `dispatcher`. Closing the dispatcher is the caller's (`NodeTransport` closes its pool with its
 * scope). Provide {@link attemptTimeoutsContext} beside it for the request engine to hand it each attempt's timeout
 * instead of racing a timer of its own.
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient => {
  // Requests that need a span, trace headers or a scope take `@effect/platform`'s own path.
  const traced = HttpClient.make((request, url, signal, fiber) => send(dispatcher, request, url, fiber, signal))
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
          if (fiber.currentTracer !== nativeTracer || scopedRequests.has(request) || externalParent(fiber.currentSpan)) {
            return traced.execute(request)
          }
          const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
          if (url._tag === "Left") {
            return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
          }
          return send(dispatcher, request, url.right, fiber, undefined)
        })),
    Effect.succeed
  )
}
