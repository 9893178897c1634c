/**
 * The request engine every API client is built on: one way for data to flow from an API resource to the ambient
 * `HttpClient` and back.
 *
 * It renders the path (refusing hostile parameters), adds the API's headers, credentials and default query,
 * sends the request with a per-attempt timeout, reads the body, maps every failure onto the core error taxonomy
 * (with the API's own error-body parser), retries under the {@link RetryPolicy} when the request is replay-safe,
 * decodes the body with a `Schema`, serves safe reads from the {@link ResponseCache}, invalidates what a mutation
 * makes stale, and wraps it all in one span per request.
 *
 * @since 0.1.0
 */
import { Headers, HttpClient, type HttpClientError, HttpClientRequest, type HttpMethod } from "@effect/platform"
import { Clock, Duration, Effect, Either, Option, ParseResult, Predicate, Redacted, Schema, type Scope, Stream } from "effect"
import {
  type ApiError,
  DecodeError,
  DecodeIssue,
  type ErrorFields,
  fromKind,
  InvalidInputError,
  kindOfStatus,
  SessionClosedError,
  tlsCertificateCodes,
  type StatusKind,
  TimeoutError,
  TransportError
} from "./Errors.js"
import * as Credentials from "./Credentials.js"
import type { Path } from "./Path.js"
import * as ResponseCache from "./ResponseCache.js"
import * as RetryPolicy from "./RetryPolicy.js"

/** Query parameters as sent: every value already in the API's text form; arrays repeat the key. */
export type Query = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

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
  /** Overrides the client's per-attempt timeout. */
  readonly timeout?: Duration.DurationInput | undefined
  /** A raw body instead of JSON: bytes (sent again on a retry) or a stream (sent once, never retried). */
  readonly content?: Content | undefined
}

/** A raw request body. */
export interface Content {
  readonly body: Uint8Array | Stream.Stream<Uint8Array, unknown>
  readonly contentType?: string | undefined
  /** Length of a streamed body, when known (sent as `Content-Length`). */
  readonly contentLength?: number | undefined
}

/** A successful response whose body is read as it arrives. */
export interface Download {
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
  readonly identity: string
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
  /** Adapts the ambient `HttpClient` (a proxy, extra tracing, a test double) before any request is sent. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/** The REST engine of one API client. */
export interface RestClient {
  readonly options: RestClientOptions
  /** Sends a request; a non-success status fails with the mapped error. */
  readonly send: (request: RestRequest) => Effect.Effect<RestResponse, ApiError>
  /** Sends a request and decodes its JSON body with `schema`. Never cached. */
  readonly json: <A, I>(request: RestRequest, schema: Schema.Schema<A, I>) => Effect.Effect<A, ApiError>
  /** Like {@link json}, and also answers the response (for its headers). Never cached. */
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
  ) => Effect.Effect<(request: RestRequest) => Effect.Effect<A, ApiError>, never, Scope.Scope>
  /**
   * Sends a request and answers as soon as the head arrives, with the body as a `Stream`. A non-success status fails
   * with the mapped error (its body read for the message).
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
export const isJsonContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/([\w.-]+\+)?json\b/i.test(contentType.trim())

const queryString = (query: Query): string => {
  const params = new URLSearchParams()
  for (const name of Object.keys(query).sort()) {
    const value = query[name]
    if (value === undefined) continue
    if (typeof value === "string") params.append(name, value)
    else for (const v of value) params.append(name, v)
  }
  const text = params.toString()
  return text === "" ? "" : `?${text}`
}

const collectionOf = (path: string): string => {
  const slash = path.indexOf("/")
  return slash === -1 ? path : path.slice(0, slash + 1)
}

/** Whether a request's body can be sent again (a stream cannot). */
const replayable = (request: RestRequest): boolean =>
  request.content === undefined || request.content.body instanceof Uint8Array

/** The request with a raw body. */
const withContent = (request: HttpClientRequest.HttpClientRequest, content: Content): HttpClientRequest.HttpClientRequest =>
  content.body instanceof Uint8Array
    ? HttpClientRequest.bodyUint8Array(request, content.body, content.contentType ?? "application/octet-stream")
    : HttpClientRequest.bodyStream(request, content.body, {
      contentType: content.contentType ?? "application/octet-stream",
      ...(content.contentLength === undefined ? {} : { contentLength: content.contentLength })
    })

/** The request with its secret headers set, unwrapped only here, at the wire. */
const withSecret = (
  request: HttpClientRequest.HttpClientRequest,
  secret: Credentials.SecretHeaders
): HttpClientRequest.HttpClientRequest => {
  let out = request
  for (const [name, value] of Object.entries(secret)) out = HttpClientRequest.setHeader(out, name, Redacted.value(value))
  return out
}

/** The first `code` (e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`) along an error's cause chain. */
const errorCode = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 5 || !Predicate.hasProperty(cause, "message")) return undefined
  if (Predicate.hasProperty(cause, "code") && typeof cause.code === "string") return cause.code
  return Predicate.hasProperty(cause, "cause") ? errorCode(cause.cause, depth + 1) : undefined
}

/** The issues of a parse error as `{ path, message }` pairs. */
export const decodeIssues = (error: ParseResult.ParseError): ReadonlyArray<DecodeIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    new DecodeIssue({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message })
  )

/** Builds the REST engine of one API client. Uses the ambient `HttpClient` and, if provided, `ResponseCache`. */
export const make = (options: RestClientOptions): Effect.Effect<RestClient, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const ambient = yield* HttpClient.HttpClient
    const http = options.transformClient === undefined ? ambient : options.transformClient(ambient)
    const cache = Option.getOrElse(yield* Effect.serviceOption(ResponseCache.ResponseCache), () => ResponseCache.none)
    const { api, baseUrl, identity } = options
    const secretQuery = new Set([...alwaysSecretQuery, ...(options.secretQuery ?? [])])
    const requestIdHeaders = options.requestIdHeaders ?? defaultRequestIdHeaders
    const defaultTimeout = Duration.decode(options.timeout)
    const baseHeaders = Headers.fromInput({ accept: "application/json", ...options.headers })
    const credentials = options.credentials ?? Credentials.none
    const secretHeaders = (options.secretHeaders ?? []).map((name) => name.toLowerCase())
    const redacting = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      secretHeaders.length === 0
        ? effect
        : Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])

    const publicUrl = (path: string, query: Query): string => {
      const shown: Record<string, string | ReadonlyArray<string> | undefined> = {}
      for (const [name, value] of Object.entries(query)) {
        shown[name] = secretQuery.has(name.toLowerCase()) && value !== undefined ? "<redacted>" : value
      }
      return `${baseUrl}${path}${queryString(shown).replaceAll("%3Credacted%3E", "<redacted>")}`
    }

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
    }

    let closed = false

    const prepare = (request: RestRequest): Either.Either<Prepared, ApiError> =>
      closed
        ? Either.left(
          new SessionClosedError({
            api,
            method: request.method,
            url: `${baseUrl}${request.path.template}`,
            message: `${request.method} ${request.path.template}: the session with ${baseUrl} is closed`
          })
        )
        : Either.flatMap(
        Either.mapLeft(request.path.rendered, (problem) =>
          new InvalidInputError({ api, parameter: problem.parameter, message: problem.message })),
        (path) => {
          const query: Query = { ...options.query, ...request.query }
          let body: string | undefined
          if (request.body !== undefined) {
            try {
              body = JSON.stringify(request.body)
            } catch (cause) {
              return Either.left(
                new InvalidInputError({ api, parameter: "body", message: `body is not JSON-serialisable: ${String(cause)}` })
              )
            }
          }
          const headers = Headers.merge(baseHeaders, Headers.fromInput(request.headers ?? {}))
          const url = `${baseUrl}${path}${queryString(query)}`
          if (options.maxUrlLength !== undefined && url.length > options.maxUrlLength) {
            return Either.left(
              new InvalidInputError({
                api,
                parameter: "query",
                message: `the URL would be ${url.length} characters, over the limit of ${options.maxUrlLength}; ` +
                  "ask for fewer items per request"
              })
            )
          }
          const base = HttpClientRequest.make(request.method)(url).pipe(
            HttpClientRequest.setHeaders(headers)
          )
          return Either.right({
            request,
            http: request.content !== undefined
              ? withContent(base, request.content)
              : body === undefined
              ? base
              : HttpClientRequest.bodyText(base, body, "application/json"),
            path,
            // Only errors show the URL: build its secret-free form when one needs it.
            get url() {
              return publicUrl(path, query)
            },
            // A streamed body cannot be sent twice.
            replaySafe: isReplaySafe(request) && replayable(request),
            replayable: replayable(request),
            outgoing: { method: request.method, url, body: body ?? "" }
          })
        }
      )

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
            error.description === undefined ? "" : ` (${error.description})`
          }${code === undefined ? "" : ` [${code}]`}`
      })
    }

    const timeoutError = (p: Prepared, timeout: Duration.Duration): ApiError =>
      new TimeoutError({
        api,
        method: p.request.method,
        url: p.url,
        message: `${p.request.method} ${p.url}: no response within ${Duration.format(timeout)}`,
        timeoutMillis: Duration.toMillis(timeout)
      })

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

    /** One attempt: send, read the body, classify. JSON is parsed here so a broken body can be retried. */
    const attempt = (
      p: Prepared,
      secret: Credentials.SecretHeaders,
      timeout: Duration.Duration,
      expectJson: boolean
    ): Effect.Effect<RestResponse, ApiError> =>
      redacting(http.execute(withSecret(p.http, secret))).pipe(
        Effect.flatMap((response) =>
          Effect.map(response.text, (text) => ({ status: response.status, headers: response.headers, text }))
        ),
        Effect.mapError((error) => transportError(p, error)),
        Effect.timeoutFail({ duration: timeout, onTimeout: () => timeoutError(p, timeout) }),
        Effect.flatMap(({ headers, status, text }): Effect.Effect<RestResponse, ApiError> => {
            if (status < 200 || status >= 300) {
              return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorOf(p, status, headers, text, now)))
            }
            if (!expectJson) return Effect.succeed({ status, headers, text, json: undefined })
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
          })
      )

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
            RetryPolicy.retry(attempt(p, secret, timeout, expectJson), request.retry ?? options.retry, p.replaySafe, onRetry)
          )
          const observed = sent.pipe(
            Effect.tap((response) =>
              Effect.annotateCurrentSpan({ "http.response.status_code": response.status, "http.request.resend_count": retries })
            ),
            Effect.tapError((error) =>
              Effect.annotateCurrentSpan({
                "http.response.status_code": "status" in error ? error.status : undefined,
                "http.request.resend_count": retries,
                "error.type": error._tag
              })
            ),
            Effect.withSpan(`${api} ${request.method} ${request.path.template}`, {
              kind: "client",
              captureStackTrace: false,
              attributes: {
                "http.request.method": request.method,
                "url.template": request.path.template,
                "server.address": baseUrl
              }
            })
          )
          return request.method === "GET" || request.method === "HEAD"
            ? observed
            : Effect.ensuring(observed, invalidateFor(p))
        }
      })

    const decode = <A, I>(schema: Schema.Schema<A, I>) => {
      const decodeUnknown = Schema.decodeUnknown(schema, { errors: "all" })
      return (request: RestRequest, response: RestResponse): Effect.Effect<A, ApiError> =>
        Effect.mapError(decodeUnknown(response.json), (error) => {
          const issues = decodeIssues(error)
          const first = issues[0]
          const where = first === undefined ? "" : `${first.path.length === 0 ? "body" : first.path.join(".")} ${first.message}`
          return new DecodeError({
            api,
            method: request.method,
            url: `${baseUrl}${Either.getOrElse(request.path.rendered, () => request.path.template)}`,
            status: response.status,
            message: `${request.method} ${request.path.template}: unexpected response body` +
              (response.json === undefined ? " (empty body)" : "") + (where === "" ? "" : `: ${where}`) +
              (issues.length > 1 ? ` (+${issues.length - 1} more)` : ""),
            issues
          })
        })
    }

    const json = <A, I>(request: RestRequest, schema: Schema.Schema<A, I>): Effect.Effect<A, ApiError> => {
      const decoder = decode(schema)
      return Effect.flatMap(execute(request, true), (response) => decoder(request, response))
    }

    const download = (request: RestRequest): Effect.Effect<Download, ApiError> =>
      Either.match(prepare(request), {
        onLeft: Effect.fail,
        onRight: (p) => {
          const timeout = request.timeout === undefined ? defaultTimeout : Duration.decode(request.timeout)
          const head = (secret: Credentials.SecretHeaders): Effect.Effect<Download, ApiError> =>
            redacting(http.execute(withSecret(p.http, secret))).pipe(
              Effect.mapError((error) => transportError(p, error)),
              Effect.timeoutFail({ duration: timeout, onTimeout: () => timeoutError(p, timeout) }),
              Effect.flatMap((response): Effect.Effect<Download, ApiError> =>
                response.status >= 200 && response.status < 300
                  ? Effect.succeed({
                    status: response.status,
                    headers: response.headers,
                    body: Stream.mapError(response.stream, (error) => transportError(p, error))
                  })
                  : Effect.flatMap(
                    Effect.mapError(response.text, (error) => transportError(p, error)),
                    (text) => Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorOf(p, response.status, response.headers, text, now)))
                  ))
            )
          return authenticated(p, (secret) => RetryPolicy.retry(head(secret), request.retry ?? options.retry, p.replaySafe)).pipe(
            Effect.withSpan(`${api} ${request.method} ${request.path.template}`, {
              kind: "client",
              captureStackTrace: false,
              attributes: { "http.request.method": request.method, "url.template": request.path.template, "server.address": baseUrl }
            })
          )
        }
      })

    const exchange = <A, I>(request: RestRequest, schema: Schema.Schema<A, I>) => {
      const decoder = decode(schema)
      return Effect.flatMap(execute(request, true), (response) =>
        Effect.map(decoder(request, response), (value) => ({ value, response })))
    }

    const reader = <A, I>(name: string, schema: Schema.Schema<A, I>) =>
      Effect.map(cache.region<A, I, ApiError>(`${api}:${name}`, schema), (region) => {
        const decoder = decode(schema)
        return (request: RestRequest): Effect.Effect<A, ApiError> => {
          const run = Effect.flatMap(execute(request, true), (response) => decoder(request, response))
          if (request.method !== "GET" || request.cache === false || Either.isLeft(request.path.rendered)) return run
          const key = ResponseCache.key(
            baseUrl,
            `${request.path.rendered.right}${queryString({ ...options.query, ...request.query })}`,
            identity,
            request.method
          )
          return region.get(key, run)
        }
      })

    return {
      options,
      send: (request) => execute(request, false),
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
