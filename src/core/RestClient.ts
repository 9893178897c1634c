/**
 * The request engine every API client is built on: one way for data to flow from an API resource to the ambient
 * `HttpClient` and back.
 *
 * It renders the path (refusing hostile parameters), adds the API's headers, credentials and default query,
 * sends the request with a per-attempt timeout, reads the body within a size limit (a streamed body within an idle
 * timeout), maps every failure onto the core error taxonomy (with the API's own error-body parser), retries under the
 * {@link RetryPolicy} when the request is replay-safe, decodes the body with a `Schema`, serves every safe read from
 * the {@link ResponseCache} (when one is provided), invalidates what a mutation makes stale, and wraps it all in one
 * span per request. URLs shown in errors and spans never carry secrets (secret query values, `user:password@`).
 *
 * @since 0.1.0
 */
import { Headers, HttpClient, type HttpClientError, HttpClientRequest, type HttpMethod } from "@effect/platform"
import { Cause, Clock, Duration, Effect, Either, Exit, Option, type ParseResult, Predicate, Schema, Stream } from "effect"
import * as Body from "./Body.js"
import * as Credentials from "./Credentials.js"
import * as Decoding from "./Decoding.js"
import * as Handle from "./Handle.js"
import {
  ApiError,
  DecodeError,
  DecodeIssue,
  type ErrorFields,
  fromKind,
  InvalidInputError,
  kindOfStatus,
  ResponseTooLargeError,
  SessionClosedError,
  type StatusKind,
  TimeoutError,
  tlsCertificateCodes,
  TransportError
} from "./Errors.js"
import type { Path } from "./Path.js"
import * as ResponseCache from "./ResponseCache.js"
import * as RetryPolicy from "./RetryPolicy.js"
import * as Transport from "./Transport.js"
import * as Version from "./Version.js"
import * as Wire from "./Wire.js"

/** Query parameters as sent: every value already in the API's text form; arrays repeat the key. */
export type Query = Wire.Query

/** A raw request body. */
export type Content = Wire.Content

/** One request, as an API resource describes it. */
export interface RestRequest {
  readonly method: HttpMethod.HttpMethod
  readonly path: Path
  readonly query?: Query | undefined
  /** A JSON body; serialised once, so every retry sends the same bytes. */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Overrides the client's retry policy for this request. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /** The caller states that sending this request twice is harmless (opt-in for non-idempotent methods). */
  readonly replaySafe?: boolean | undefined
  /** `false` bypasses the cache for this read. */
  readonly cache?: boolean | undefined
  /** Overrides the client's per-attempt timeout (for a download: how long its body may stall). */
  readonly timeout?: Duration.DurationInput | undefined
  /** A raw body instead of JSON: bytes (sent again on a retry) or a stream (sent once, never retried). */
  readonly content?: Content | undefined
  /** Statuses besides 2xx that answer this request successfully (e.g. a 409 that carries the answer). */
  readonly accept?: ReadonlyArray<number> | undefined
  /** Overrides the client's limit of a buffered response body, in bytes. */
  readonly maxResponseBytes?: number | undefined
}

/** A successful response whose body is read as it arrives (a handle: Promise code iterates `body()`). */
export interface Download extends Handle.Handle {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Stream.Stream<Uint8Array, ApiError>
}

/** A response whose status was a success, with its body read. */
export interface RestResponse {
  readonly status: number
  readonly headers: Headers.Headers
  /** The body as text ("" when empty). */
  readonly text: string
  /** The body parsed as JSON; `undefined` when the body was empty. */
  readonly json: unknown
}

/** What an API's error-body parser sees. */
export interface ErrorResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  /** Whether the body is JSON (by content type, or parsed successfully when no content type was sent). */
  readonly isJson: boolean
  /** The parsed JSON body, when it is JSON. */
  readonly json: unknown
}

/** What an API's error-body parser extracts; `kind` overrides the status table (e.g. VeiL's 418). */
export interface ErrorBody {
  readonly kind?: StatusKind | undefined
  readonly message?: string | undefined
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly details?: unknown
}

/** How one API speaks HTTP. */
export interface RestClientOptions {
  /** Name of the API, used in errors and span names. */
  readonly api: string
  /** Base URL every path is relative to; ends with `/`. */
  readonly baseUrl: string
  /** A digest of the credentials (never the secret itself): part of cache keys. */
  readonly caller: string
  /** Headers on every request (no secrets here). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** What authenticates each attempt; on a 401 they are asked to renew, and the request is sent once more. */
  readonly credentials?: Credentials.Credentials | undefined
  /** Header names whose values are secrets, beyond `authorization`/`cookie`: redacted wherever headers are shown. */
  readonly secretHeaders?: ReadonlyArray<string> | undefined
  /** Query parameters on every request; a request's own parameters win. */
  readonly query?: Readonly<Record<string, string>> | undefined
  /** The default retry policy. */
  readonly retry: RetryPolicy.RetryPolicy
  /** Timeout of one attempt (send + read the body). */
  readonly timeout: Duration.DurationInput
  /** Parses the API's error bodies. */
  readonly errorBody: (response: ErrorResponse) => ErrorBody
  /** Error kind for a successful status whose body is not JSON where JSON was expected. Default `DecodeError`. */
  readonly nonJsonKind?: "UnavailableError" | "DecodeError" | undefined
  /** Whether the API makes a request safe to send twice (beyond idempotent methods), e.g. an idempotency key. */
  readonly replaySafe?: ((request: RestRequest) => boolean) | undefined
  /** Paths (relative to the base URL) whose cached reads a mutation of `path` makes stale. */
  readonly invalidates?: ((request: RestRequest, path: string) => ReadonlyArray<string>) | undefined
  /** Response headers holding the server's request id, most specific first. */
  readonly requestIdHeaders?: ReadonlyArray<string> | undefined
  /** Query parameter names whose values are secrets (removed from URLs in errors). */
  readonly secretQuery?: ReadonlyArray<string> | undefined
  /** Longest URL sent; a longer one fails with `InvalidInputError` before anything is sent. */
  readonly maxUrlLength?: number | undefined
  /** Longest buffered response body read, in bytes (default 64 MiB); beyond it, `ResponseTooLargeError`. */
  readonly maxResponseBytes?: number | undefined
  /** Adapts the ambient `HttpClient` (a proxy, extra tracing, a test double) before any request is sent. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** The caller's product tokens, sent in `User-Agent` before the library's own (a `user-agent` in `headers` wins). */
  readonly userAgent?: string | undefined
}

/** The REST engine of one API client. */
export interface RestClient {
  readonly options: RestClientOptions
  /** Sends a request; a non-success status fails with the mapped error. */
  readonly send: (request: RestRequest) => Effect.Effect<RestResponse, ApiError>
  /** Sends a request and decodes its JSON body with `schema`; a `GET` is served from the cache unless `cache: false`. */
  readonly json: <A, I>(request: RestRequest, schema: Schema.Schema<A, I>) => Effect.Effect<A, ApiError>
  /** Like {@link json}, and also answers the response (for its headers). */
  readonly exchange: <A, I>(
    request: RestRequest,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<{ readonly value: A; readonly response: RestResponse }, ApiError>
  /**
   * A decoder for reads of one schema that serves `GET`s from the {@link ResponseCache} (when one is provided).
   * Create it once, when the client is built.
   */
  readonly reader: <A, I>(
    name: string,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<(request: RestRequest) => Effect.Effect<A, ApiError>>
  /**
   * Sends a request and answers as soon as the head arrives, with the body as a `Stream` that fails with a
   * `TimeoutError` when it stalls for the timeout. A non-success status fails with the mapped error (its body read
   * for the message). Never cached.
   */
  readonly download: (request: RestRequest) => Effect.Effect<Download, ApiError>
  /** Drops cached reads under `path` (relative to the base URL). */
  readonly invalidate: (path: string) => Effect.Effect<void>
  /** Ends the session: every later request fails at once, without being sent (so old credentials stay unused). */
  readonly close: Effect.Effect<void>
}

/** Methods that are idempotent by definition (RFC 9110 §9.2.2). */
const idempotentMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/** Request-id headers used by common servers. */
export const defaultRequestIdHeaders: ReadonlyArray<string> = ["x-request-id", "x-openstack-request-id"]

/** Query parameter names treated as secrets in every API. */
const alwaysSecretQuery = ["token", "password", "secret", "signature", "sig", "temp_url_sig", "api_key", "key"]

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
export const isJsonContentType = Wire.isJsonContentType

const collectionOf = (path: string): string => {
  const slash = path.indexOf("/")
  return slash === -1 ? path : path.slice(0, slash + 1)
}

/** Whether a request's body can be sent again (a stream cannot). */
const replayable = (request: RestRequest): boolean =>
  request.content === undefined || request.content.body instanceof Uint8Array

/** The first `code` (e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`) along an error's cause chain. */
const errorCode = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 5 || !Predicate.hasProperty(cause, "message")) return undefined
  if (Predicate.hasProperty(cause, "code") && typeof cause.code === "string") return cause.code
  return Predicate.hasProperty(cause, "cause") ? errorCode(cause.cause, depth + 1) : undefined
}

/**
 * Effect's built-in tracer: spans it makes go nowhere (no exporter). While it is the fiber's tracer, requests run
 * with tracing off — neither the engine's span nor the HttpClient's — which saves a third of the engine's CPU per
 * request; install a tracer (OpenTelemetry, a test's) and every request has its span again.
 */
const builtInTracer = Effect.runSync(Effect.tracer)

/** The issues of a parse error as `{ path, message }` pairs, never quoting a value (see `Decoding.issues`). */
export const decodeIssues = Decoding.issues

/** The schema of a cached response: what `send`, `json` and `exchange` serve a repeated read from. */
const CachedResponse: Schema.Schema<RestResponse, {
  readonly status: number
  readonly headers: { readonly [x: string]: string }
  readonly text: string
  readonly json: unknown
}> = Schema.Struct({
  status: Schema.Number,
  headers: Headers.schema,
  text: Schema.String,
  json: Schema.Unknown
})

/** What a transport failure's code usually means, said after the message. */
const hints: Readonly<Record<string, string>> = {
  ECONNREFUSED: "nothing listens at that address and port",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now (DNS)",
  ERR_SSL_WRONG_VERSION_NUMBER: "the server does not speak TLS there: is it http, not https?",
  EPROTO: "the TLS handshake failed: is the server http, not https?",
  HPE_INVALID_CONSTANT: "the answer is not HTTP: is the server https, not http?",
  ECONNRESET: "the server closed the connection"
}

const hint = (code: string | undefined): string => {
  const known = code === undefined ? undefined : hints[code]
  return known === undefined ? "" : ` — ${known}`
}

/** The same error with another message (rebuilt through the taxonomy's schema, so its class is kept). */
const withMessage = (error: ApiError, message: string): ApiError =>
  Either.getOrElse(
    Schema.decodeUnknownEither(ApiError)({ ...Schema.encodeSync(ApiError)(error), message }),
    () => error
  )

/** The span attributes of how a request ended: its status, how often it was re-sent, the error's tag. */
const ended = (exit: Exit.Exit<{ readonly status: number }, ApiError>, resent: number | undefined): Record<string, unknown> =>
  Exit.match(exit, {
    onSuccess: (response) => ({ "http.response.status_code": response.status, "http.request.resend_count": resent }),
    onFailure: (cause) => {
      const error = Option.getOrUndefined(Cause.failureOption(cause))
      return {
        "http.response.status_code": error !== undefined && "status" in error ? error.status : undefined,
        "http.request.resend_count": resent,
        "error.type": error?._tag ?? (Cause.isInterruptedOnly(cause) ? "interrupted" : "defect")
      }
    }
  })

/** Builds the REST engine of one API client. Uses the ambient `HttpClient` and, if provided, `ResponseCache`. */
export const make = (options: RestClientOptions): Effect.Effect<RestClient, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const ambient = yield* HttpClient.HttpClient
    const http = options.transformClient === undefined ? ambient : options.transformClient(ambient)
    const cache = Option.getOrElse(yield* Effect.serviceOption(ResponseCache.ResponseCache), () => ResponseCache.none)
    // A transport that bounds attempts itself is handed the timeout; otherwise the engine races a timer.
    const enforcing = Option.getOrUndefined(yield* Effect.serviceOption(Transport.AttemptTimeouts))
    const responses = yield* cache.region<RestResponse, Schema.Schema.Encoded<typeof CachedResponse>, ApiError>(
      `${options.api} responses`,
      CachedResponse
    )
    const { api, caller } = options
    // A `user:password@` in the base URL is neither sent (none of these APIs authenticates so: credentials go in
    // headers) nor shown: errors, logs and spans show `…@` in its place.
    const baseUrl = Wire.stripUserinfo(options.baseUrl)
    const shownBase = Wire.withoutUserinfo(options.baseUrl)
    const secretQuery = new Set([...alwaysSecretQuery, ...(options.secretQuery ?? [])])
    const requestIdHeaders = options.requestIdHeaders ?? defaultRequestIdHeaders
    const defaultTimeout = Duration.decode(options.timeout)
    const defaultMaxBytes = options.maxResponseBytes ?? Body.defaultMaxBytes
    const baseHeaders = Headers.fromInput({ accept: "application/json", "user-agent": Version.userAgent(api, options.userAgent), ...options.headers })
    const credentials = options.credentials ?? Credentials.none
    const secretHeaders = (options.secretHeaders ?? []).map((name) => name.toLowerCase())
    const redacting = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      secretHeaders.length === 0
        ? effect
        : Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])

    const requestIdOf = (headers: Headers.Headers): string | undefined => {
      for (const name of requestIdHeaders) {
        const value = headers[name]
        if (value !== undefined) return value
      }
      return undefined
    }

    const isReplaySafe = (request: RestRequest): boolean =>
      request.replaySafe === true || idempotentMethods.has(request.method) ||
      (options.replaySafe !== undefined && options.replaySafe(request))

    /** Parses a body that should be JSON; `Left` carries why it is not. */
    const parseJson = (text: string, contentType: string | undefined): Either.Either<unknown, "not-json" | "malformed"> => {
      if (text.trim() === "") return Either.right(undefined)
      if (contentType !== undefined && !isJsonContentType(contentType)) return Either.left("not-json")
      try {
        return Either.right(JSON.parse(text))
      } catch {
        return Either.left("malformed")
      }
    }

    interface Prepared {
      readonly request: RestRequest
      readonly http: HttpClientRequest.HttpClientRequest
      readonly path: string
      readonly url: string
      readonly replaySafe: boolean
      readonly replayable: boolean
      readonly outgoing: Credentials.Outgoing
      readonly maxBytes: number
    }

    let closed = false

    const invalid = (parameter: string, message: string): Either.Either<never, ApiError> =>
      Either.left(new InvalidInputError({ api, parameter, message }))

    const prepare = (request: RestRequest): Either.Either<Prepared, ApiError> => {
      if (closed) {
        return Either.left(
          new SessionClosedError({
            api,
            method: request.method,
            url: `${shownBase}${request.path.template}`,
            message: `${request.method} ${request.path.template}: the session with ${shownBase} is closed`
          })
        )
      }
      const rendered = request.path.rendered
      if (Either.isLeft(rendered)) return invalid(rendered.left.parameter, rendered.left.message)
      const path = rendered.right
      const query: Query = { ...options.query, ...request.query }
      let body: string | undefined
      if (request.body !== undefined) {
        try {
          body = JSON.stringify(request.body)
        } catch (cause) {
          return invalid("body", `body is not JSON-serialisable: ${cause instanceof Error ? cause.message : String(cause)}`)
        }
      }
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        const problem = Wire.headerProblem(name, value)
        if (problem !== undefined) return invalid(name, problem)
      }
      const headers = Headers.merge(baseHeaders, Headers.fromInput(request.headers ?? {}))
      const url = `${baseUrl}${path}${Wire.queryString(query)}`
      if (options.maxUrlLength !== undefined && url.length > options.maxUrlLength) {
        return invalid(
          "query",
          `the URL would be ${url.length} characters, over the limit of ${options.maxUrlLength}; ask for fewer items per request`
        )
      }
      const base = HttpClientRequest.make(request.method)(url).pipe(HttpClientRequest.setHeaders(headers))
      return Either.right({
        request,
        http: request.content !== undefined
          ? Wire.withContent(base, request.content)
          : body === undefined
          ? base
          : HttpClientRequest.bodyText(base, body, "application/json"),
        path,
        // Only errors show the URL: build its secret-free form when one needs it.
        get url() {
          return `${shownBase}${path}${Wire.shownQuery(query, secretQuery)}`
        },
        // A streamed body cannot be sent twice.
        replaySafe: isReplaySafe(request) && replayable(request),
        replayable: replayable(request),
        outgoing: { method: request.method, url, body: body ?? "" },
        maxBytes: request.maxResponseBytes ?? defaultMaxBytes
      })
    }

    const fields = (p: Prepared, extra: Partial<ErrorFields> & { readonly message: string }): ErrorFields => ({
      api,
      method: p.request.method,
      url: p.url,
      ...extra
    })

    const transportError = (p: Prepared, error: HttpClientError.HttpClientError): ApiError => {
      const code = errorCode(error.cause)
      const certificate = code !== undefined && tlsCertificateCodes.has(code)
      return new TransportError({
        api,
        method: p.request.method,
        url: p.url,
        ...(code === undefined ? {} : { code }),
        message: certificate
          ? `${p.request.method} ${p.url}: the server's TLS certificate was refused (${code}); ` +
            "trust its CA, or turn certificate verification off for this server"
          : `${p.request.method} ${p.url}: ${error._tag === "RequestError" ? error.reason.toLowerCase() : "reading the response"} failed${
            error.description === undefined ? "" : ` (${Wire.withoutUserinfo(error.description)})`
          }${code === undefined ? "" : ` [${code}]`}${hint(code)}`
      })
    }

    const timeoutError = (p: Prepared, timeout: Duration.Duration, what = "no response"): ApiError =>
      new TimeoutError({
        api,
        method: p.request.method,
        url: p.url,
        message: `${p.request.method} ${p.url}: ${what} within ${Duration.format(timeout)}`,
        timeoutMillis: Duration.toMillis(timeout)
      })

    const tooLarge = (p: Prepared, status: number, headers: Headers.Headers) => (): ApiError => {
      const declared = Body.declaredLength(headers)
      const requestId = requestIdOf(headers)
      return new ResponseTooLargeError({
        api,
        method: p.request.method,
        url: p.url,
        status,
        limitBytes: p.maxBytes,
        ...(requestId === undefined ? {} : { requestId }),
        message: `${p.request.method} ${p.url} answered ${status} with a body ${
          declared === undefined ? "longer than" : `of ${declared} bytes, over`
        } the limit of ${p.maxBytes} bytes; ask for less per request, or raise maxResponseBytes`
      })
    }

    /** Turns a non-success response into an API error, with the API's own reading of its body. */
    const errorOf = (p: Prepared, status: number, headers: Headers.Headers, text: string, now: number): ApiError => {
      const parsed = parseJson(text, headers["content-type"])
      const isJson = Either.isRight(parsed) && parsed.right !== undefined
      const body = options.errorBody({ status, headers, text, isJson, json: isJson ? parsed.right : undefined })
      const kind = body.kind ?? kindOfStatus(status)
      const said = body.detail ?? body.message
      const retryAfterMillis = RetryPolicy.parseRetryAfter(headers["retry-after"], now)
      return fromKind(kind, fields(p, {
        status,
        message: `${p.request.method} ${p.url} answered ${status}${said === undefined ? "" : `: ${said}`}` +
          (body.code === undefined ? "" : ` (code ${body.code})`),
        code: body.code,
        detail: body.detail ?? body.message,
        details: body.details,
        requestId: requestIdOf(headers),
        retryAfterMillis
      }))
    }

    const succeeded = (p: Prepared, status: number): boolean =>
      (status >= 200 && status < 300) || (p.request.accept !== undefined && p.request.accept.includes(status))

    /** The answer of a successful status whose body should be JSON, or why it is not. */
    const jsonAnswer = (p: Prepared, status: number, headers: Headers.Headers, text: string): Effect.Effect<RestResponse, ApiError> => {
      const parsed = parseJson(text, headers["content-type"])
      if (Either.isRight(parsed)) return Effect.succeed({ status, headers, text, json: parsed.right })
      const requestId = requestIdOf(headers)
      if (parsed.left === "not-json" && options.nonJsonKind === "UnavailableError") {
        return Effect.fail(fromKind("UnavailableError", fields(p, {
          status,
          requestId,
          message: `${p.request.method} ${p.url} answered ${status} with ${
            headers["content-type"] ?? "a body"
          } instead of JSON: the service is not fully available`
        })))
      }
      return Effect.fail(
        new DecodeError({
          api,
          method: p.request.method,
          url: p.url,
          status,
          ...(requestId === undefined ? {} : { requestId }),
          message: `${p.request.method} ${p.url} answered ${status} with ${
            parsed.left === "malformed" ? "malformed JSON" : `${headers["content-type"] ?? "a non-JSON body"}`
          }`,
          issues: [new DecodeIssue({ path: [], message: parsed.left === "malformed" ? "malformed JSON" : "not JSON" })]
        })
      )
    }

    /** A transport failure, read as the attempt's timeout when the transport says it timed out. */
    const failure = (p: Prepared, timeout: Duration.Duration) => (error: HttpClientError.HttpClientError): ApiError => {
      const code = enforcing === undefined ? undefined : errorCode(error.cause)
      return code !== undefined && enforcing !== undefined && enforcing.isTimeout(code)
        ? timeoutError(p, timeout)
        : transportError(p, error)
    }

    /** Bounds one attempt: the transport's own timeout when it has one, else a timer raced here. */
    const bounded = <A>(p: Prepared, timeout: Duration.Duration, effect: Effect.Effect<A, ApiError>): Effect.Effect<A, ApiError> =>
      enforcing === undefined
        ? Effect.timeoutFail(effect, { duration: timeout, onTimeout: () => timeoutError(p, timeout) })
        : Effect.locally(effect, Transport.currentAttemptTimeout, Option.some(timeout))

    /** One attempt: send, read the body (within the limit), classify. JSON is parsed here so a broken body can be retried. */
    const attempt = (
      p: Prepared,
      secret: Credentials.SecretHeaders,
      timeout: Duration.Duration,
      expectJson: boolean
    ): Effect.Effect<RestResponse, ApiError> => {
      const fail = failure(p, timeout)
      return bounded(p, timeout, redacting(http.execute(Wire.withSecret(p.http, secret))).pipe(
        Effect.mapError(fail),
        Effect.flatMap((response) =>
          Effect.map(
            Body.readText(response, p.maxBytes, tooLarge(p, response.status, response.headers)).pipe(
              Effect.mapError((error) => (error._tag === "ResponseError" ? fail(error) : error))
            ),
            (text) => ({ status: response.status, headers: response.headers, text })
          )
        )
      )).pipe(
        Effect.flatMap(({ headers, status, text }): Effect.Effect<RestResponse, ApiError> => {
          if (!succeeded(p, status)) {
            return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorOf(p, status, headers, text, now)))
          }
          return expectJson ? jsonAnswer(p, status, headers, text) : Effect.succeed({ status, headers, text, json: undefined })
        })
      )
    }

    /**
     * Sends with the current credentials; on a 401, lets them renew once and sends once more. A 401 means the server
     * did nothing, so sending again is safe whatever the method.
     */
    const renews = credentials.renews ?? ((error: ApiError) => error._tag === "AuthenticationError")
    const authenticated = <A>(p: Prepared, send: (secret: Credentials.SecretHeaders) => Effect.Effect<A, ApiError>) => {
      const headers = credentials.headers(p.outgoing)
      return Effect.flatMap(headers, (secret) =>
        Effect.catchIf(send(secret), (error) => renews(error) && p.replayable, (error) =>
          Effect.flatMap(credentials.rejected(secret, error), (renewed) =>
            renewed ? Effect.flatMap(headers, send) : Effect.fail(error))))
    }

    const invalidateFor = (p: Prepared): Effect.Effect<void> => {
      const paths = options.invalidates?.(p.request, p.path) ?? [collectionOf(p.path)]
      return Effect.forEach(paths, (path) => cache.invalidate(ResponseCache.prefix(baseUrl, path)), { discard: true })
    }

    /** Says what was tried when a retried call gives up: `…, 4 attempts over 2m 3s`. */
    const onGiveUp = (error: ApiError, outcome: RetryPolicy.Outcome): ApiError =>
      withMessage(error, `${error.message} (${outcome.attempts} attempts over ${Duration.format(Duration.millis(outcome.elapsedMillis))})`)

    /**
     * The request's span, annotated by `annotate` with how it ended — unless no tracer is installed, when tracing is
     * off for the request (see `builtInTracer`) and nothing is annotated: without a span, `annotateCurrentSpan`
     * would build (and drop) a `NoSuchElementException`, stack and all, for every request.
     */
    const span = <A, E, R>(request: RestRequest, effect: Effect.Effect<A, E, R>, annotate: (exit: Exit.Exit<A, E>) => Record<string, unknown>) =>
      Effect.tracerWith((tracer) =>
        tracer === builtInTracer
          ? Effect.withTracerEnabled(effect, false)
          : Effect.withSpan(
            Effect.onExit(effect, (exit) => Effect.annotateCurrentSpan(annotate(exit))),
            `${api} ${request.method} ${request.path.template}`,
            {
              kind: "client",
              captureStackTrace: false,
              attributes: {
                "http.request.method": request.method,
                "url.template": request.path.template,
                "server.address": shownBase
              }
            }
          )
      )

    const execute = (request: RestRequest, expectJson: boolean): Effect.Effect<RestResponse, ApiError> =>
      Either.match(prepare(request), {
        onLeft: Effect.fail,
        onRight: (p) => {
          const timeout = request.timeout === undefined ? defaultTimeout : Duration.decode(request.timeout)
          let retries = 0
          const onRetry = (error: ApiError, n: number) =>
            Effect.sync(() => {
              retries = n
            }).pipe(
              Effect.zipRight(Effect.logDebug(`retrying ${p.request.method} ${p.request.path.template}`)),
              Effect.annotateLogs({ api, retry: n, error: error._tag, status: "status" in error ? error.status : undefined })
            )
          const sent = authenticated(p, (secret) =>
            RetryPolicy.retry(attempt(p, secret, timeout, expectJson), request.retry ?? options.retry, p.replaySafe, {
              onRetry,
              onGiveUp
            }))
          const observed = span(request, sent, (exit) => ended(exit, retries))
          return request.method === "GET" || request.method === "HEAD"
            ? observed
            : Effect.ensuring(observed, invalidateFor(p))
        }
      })

    const decode = <A, I>(schema: Schema.Schema<A, I>) => {
      const decodeUnknown = Decoding.decoder(schema)
      return (request: RestRequest, response: RestResponse): Effect.Effect<A, ApiError> => {
        let result: Either.Either<A, ParseResult.ParseError>
        try {
          result = decodeUnknown(response.json)
        } catch (cause) {
          // A body that defeats the decoder itself (e.g. nested too deep for the call stack) is still a decode error.
          return Effect.fail(decodeError(request, response, [
            new DecodeIssue({ path: [], message: `could not be decoded (${cause instanceof Error ? cause.name : "error"})` })
          ]))
        }
        return Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(decodeError(request, response, Decoding.issues(result.left)))
      }
    }

    const decodeError = (request: RestRequest, response: RestResponse, issues: ReadonlyArray<DecodeIssue>): ApiError => {
      const where = Decoding.summary(issues, issues.length >= Decoding.maxIssues)
      return new DecodeError({
        api,
        method: request.method,
        url: `${shownBase}${Either.getOrElse(request.path.rendered, () => request.path.template)}`,
        status: response.status,
        message: `${request.method} ${request.path.template}: unexpected response body` +
          (response.json === undefined ? " (empty body)" : "") + (where === "" ? "" : `: ${where}`),
        issues
      })
    }

    /** The cache key of a read, or none when it is not a cacheable read. */
    const cacheKey = (request: RestRequest): string | undefined => {
      if (request.method !== "GET" || request.cache === false || Either.isLeft(request.path.rendered)) return undefined
      return ResponseCache.key(
        baseUrl,
        `${request.path.rendered.right}${Wire.queryString({ ...options.query, ...request.query })}`,
        caller,
        request.method
      )
    }

    /** A read served from the cache when it is a cacheable `GET` and a cache is provided. */
    const cached = (request: RestRequest, run: Effect.Effect<RestResponse, ApiError>): Effect.Effect<RestResponse, ApiError> => {
      const key = cache === ResponseCache.none ? undefined : cacheKey(request)
      return key === undefined ? run : responses.get(key, run)
    }

    const send = (request: RestRequest, expectJson = false): Effect.Effect<RestResponse, ApiError> =>
      // Built only on a miss: a hit needs neither the HTTP request nor its headers.
      cached(request, Effect.suspend(() => execute(request, expectJson)))

    const json = <A, I>(request: RestRequest, schema: Schema.Schema<A, I>): Effect.Effect<A, ApiError> => {
      const decoder = decode(schema)
      return Effect.flatMap(send(request, true), (response) => decoder(request, response))
    }

    const download = (request: RestRequest): Effect.Effect<Download, ApiError> =>
      Either.match(prepare(request), {
        onLeft: Effect.fail,
        onRight: (p) => {
          const timeout = request.timeout === undefined ? defaultTimeout : Duration.decode(request.timeout)
          const head = (secret: Credentials.SecretHeaders): Effect.Effect<Download, ApiError> =>
            bounded(p, timeout, Effect.mapError(redacting(http.execute(Wire.withSecret(p.http, secret))), failure(p, timeout))).pipe(
              Effect.flatMap((response): Effect.Effect<Download, ApiError> =>
                succeeded(p, response.status)
                  ? Effect.succeed({
                    [Handle.HandleTypeId]: Handle.HandleTypeId,
                    status: response.status,
                    headers: response.headers,
                    body: Body.withIdleTimeout(
                      Stream.mapError(response.stream, (error) => transportError(p, error)),
                      timeout,
                      () => timeoutError(p, timeout, "no more of the body")
                    )
                  })
                  : Body.readText(response, p.maxBytes, tooLarge(p, response.status, response.headers)).pipe(
                    Effect.mapError((error) => (error._tag === "ResponseError" ? transportError(p, error) : error)),
                    Effect.flatMap((text) =>
                      Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorOf(p, response.status, response.headers, text, now)))
                    )
                  ))
            )
          return authenticated(p, (secret) =>
            RetryPolicy.retry(head(secret), request.retry ?? options.retry, p.replaySafe, { onGiveUp })).pipe(
            (sent) => span(request, sent, (exit) => ended(exit, undefined))
          )
        }
      })

    const exchange = <A, I>(request: RestRequest, schema: Schema.Schema<A, I>) => {
      const decoder = decode(schema)
      return Effect.flatMap(send(request, true), (response) => Effect.map(decoder(request, response), (value) => ({ value, response })))
    }

    const reader = <A, I>(name: string, schema: Schema.Schema<A, I>) =>
      Effect.map(cache.region<A, I, ApiError>(`${api}:${name}`, schema), (region) => {
        const decoder = decode(schema)
        return (request: RestRequest): Effect.Effect<A, ApiError> => {
          // Built only on a miss (see `send`).
          const run = Effect.suspend(() => Effect.flatMap(execute(request, true), (response) => decoder(request, response)))
          const key = cacheKey(request)
          return key === undefined ? run : region.get(key, run)
        }
      })

    return {
      options,
      send: (request) => send(request),
      json,
      exchange,
      download,
      reader,
      invalidate: (path) => cache.invalidate(ResponseCache.prefix(baseUrl, path)),
      close: Effect.sync(() => {
        closed = true
      })
    }
  })
