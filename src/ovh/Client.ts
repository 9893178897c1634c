/**
 * The OVH client service: signed calls to any OVH endpoint.
 *
 * Opening a session reads the server's clock (`GET /auth/time`) once; every signed call carries `X-Ovh-Application`,
 * `X-Ovh-Consumer`, `X-Ovh-Timestamp` (local time + that delta) and `X-Ovh-Signature` over the exact URL and body
 * sent. When OVH answers `QUERY_TIME_OUT`, the delta is read again and the call signed and sent once more.
 * Unauthenticated calls (`/auth/time`, `POST /auth/credential`, many `/order` calls) go without a signature.
 * With OAuth2 client credentials, calls carry a bearer token instead (see `OAuth2`) and the clock is never read.
 *
 * @since 0.1.0
 */
import type { FileSystem, HttpClient } from "@effect/platform"
import { Clock, Context, Duration, Effect, Either, Layer, RateLimiter, Redacted, Ref, Schema, type Scope } from "effect"
import type { ClientOptions } from "../core/Configuration.js"
import type * as Credentials from "../core/Credentials.js"
import { type ApiError, type ConfigurationError, InvalidInputError } from "../core/Errors.js"
import * as Caller from "../core/Caller.js"
import * as Path from "../core/Path.js"
import * as RestClient from "../core/RestClient.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { load, type OvhConfig, type OvhOptions } from "./Config.js"
import { errorBody, queryTimeOut, requestIdHeaders, secretHeaders } from "./ErrorBody.js"
import * as OAuth2 from "./OAuth2.js"
import { sign } from "./Signature.js"

/** The API name in errors and spans. */
export const api = "ovh"

/** A query or body parameter value. */
export type ParamValue = string | number | boolean | Date | null | undefined | ReadonlyArray<string | number | boolean>

/** A call's path: as written (`/me/bill`), or built with `Path.make("/me/bill/{billId}", { billId })`. */
export type CallPath = string | Path.Path

/** Query parameters (GET, DELETE): `{"date.from": "2024-01-01", status: "validated"}`. */
export type Params = Readonly<Record<string, ParamValue>>

/** Options of one call. */
export interface CallOptions {
  /** Send without a signature (only `X-Ovh-Application`), for the calls OVH allows so. */
  readonly unauthenticated?: boolean | undefined
  /** Overrides the session's retry policy (by default only GET is retried). */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
  /**
   * `false` asks OVH even when a `ResponseCache` is provided (reads polled for a change, such as a task's state);
   * by default a GET is served from the cache when there is one.
   */
  readonly cache?: boolean | undefined
}

/** The whole answer of a raw call. */
export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/**
 * One HTTP method of a session: the path, its argument (query parameters for `GET`/`DELETE`, the JSON body for
 * `POST`/`PUT`), then either the options (the answer is `unknown`) or a schema that decodes the answer and the options.
 */
export interface OvhCall<Argument> {
  (path: CallPath, argument?: Argument, options?: CallOptions): Effect.Effect<unknown, ApiError>
  <A, I>(path: CallPath, argument: Argument | undefined, schema: Schema.Schema<A, I>, options?: CallOptions): Effect.Effect<A, ApiError>
}

/** Everything one OVH session offers. */
export interface OvhClientService {
  readonly config: OvhConfig
  /** The server's clock minus ours, in seconds, as last read. */
  readonly timeDelta: Effect.Effect<number>
  readonly get: OvhCall<Params>
  readonly delete: OvhCall<Params>
  readonly post: OvhCall<object>
  readonly put: OvhCall<object>
  /** Any call, answering status, headers and body (JSON when it is JSON, else text) — for the rare cases. */
  readonly raw: (
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: CallPath,
    paramsOrBody?: Params | object,
    options?: CallOptions
  ) => Effect.Effect<RawAnswer, ApiError>
}

/** The OVH client: `OvhClient.layer(options)` — options, `OVH_*`, `ovh.conf` — or `OvhClient.layerConfig(config)`. */
export class OvhClient extends Context.Tag("effect-cloud-clients/OvhClient")<OvhClient, OvhClientService>() {
  /** The client from options, `OVH_*` and the `ovh.conf` files; needs an `HttpClient` and a `FileSystem`. */
  static readonly layer = (options?: OvhOptions, session?: SessionOptions) => layer(options, session)
  /** The client from a checked configuration; needs an `HttpClient`. */
  static readonly layerConfig = (config: OvhConfig, session?: SessionOptions) => layerConfig(config, session)
  /** Opens a session in a `Scope`: reads the server's clock for signed calls. */
  static readonly make = (config: OvhConfig, session?: SessionOptions) => make(config, session)
}

/** Query values as OVH reads them: booleans lower-case, dates ISO-8601, arrays as repeated keys, nulls dropped. */
export const encodeParams = (params: Params): RestClient.Query => {
  const out: Record<string, string | ReadonlyArray<string>> = {}
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    out[key] = value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
      ? value.map(String)
      : String(value)
  }
  return out
}

/** Whether the argument in a schema's place is one. */
export const isSchema = <A, I>(u: Schema.Schema<A, I> | CallOptions | undefined): u is Schema.Schema<A, I> => Schema.isSchema(u)

/** Whether an entry of a parameter object is a parameter value. */
const isParam = (entry: readonly [string, unknown]): entry is [string, ParamValue] => {
  const value = entry[1]
  return value === null || value === undefined || value instanceof Date ||
    ["string", "number", "boolean"].includes(typeof value) ||
    (Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v)))
}

/**
 * A caller's path (`/me/bill`, `/v2/iam/policy`) under the API root: `1.0/me/bill`, `v2/iam/policy`. A `Path` built
 * from a template keeps the template for spans and has its parameters encoded and checked.
 *
 * A string path is taken as written, percent-escapes included (`/ip/1.2.3.0%2F29`), and made canonical by
 * `Path.written`: that one URL is both signed and sent. Where the official `ovh` npm client differs, it is not sane:
 * it signs `a b` or `é` as written while Node refuses to send the first (`ERR_UNESCAPED_CHARACTERS`) and sends the
 * second as a raw Latin-1 byte; here both are percent-encoded (UTF-8), signed and sent so. It sends `%2e%2e` as is,
 * for the server to resolve into another path; here it is refused, as `..` is.
 */
const pathOf = (version: string, path: CallPath): Either.Either<Path.Path, InvalidInputError> => {
  if (typeof path !== "string") {
    return Either.match(path.rendered, {
      onLeft: (refused) => Either.left(new InvalidInputError({ api, parameter: refused.parameter, message: refused.message })),
      onRight: (rendered) => Either.map(pathOf(version, rendered), (under) => ({ template: path.template, rendered: under.rendered }))
    })
  }
  const problem = (message: string) => Either.left(new InvalidInputError({ api, parameter: "path", message }))
  if (!path.startsWith("/")) return problem(`path must start with "/", got "${path}"`)
  if (/[?#]/.test(path)) return problem(`put query parameters in params, not in the path ("${path}")`)
  return Either.match(Path.written("path", path), {
    onLeft: (refused) => problem(refused.message),
    onRight: (canonical) => {
      const relative = /^\/v[12](\/|$)/.test(canonical) || version === "" ? canonical.slice(1) : `${version}${canonical}`
      return Either.right({ template: path, rendered: Either.right(relative) })
    }
  })
}

/** Session settings beyond the configuration: `retry` applies to every call (reading the server's clock included) unless the call gives its own. */
export interface SessionOptions extends Pick<ClientOptions, "retry" | "transformClient" | "userAgent"> {
  /** At most `limit` calls per `interval` leave this session — a token bucket: a burst of `limit`, then one call every `interval / limit` (OVH rate-limits per application). Unlimited by default. */
  readonly rateLimit?: { readonly limit: number; readonly interval: Duration.DurationInput } | undefined
}

/**
 * The per-attempt timeout when the configuration sets none (`timeout`, `OVH_TIMEOUT`): 60 seconds, as VeiL's and
 * OpenStack's. python-ovh waits 180 seconds; with retries that made a silent server take 12 minutes to report.
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(60)

/** Opens a session: reads the server's clock for signed calls. */
export const make = (
  config: OvhConfig,
  session: SessionOptions = {}
): Effect.Effect<OvhClientService, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const limited = session.rateLimit === undefined ? <A, E, R>(effect: Effect.Effect<A, E, R>) => effect : yield* RateLimiter.make(session.rateLimit)
    const base = /^(https?:\/\/[^/]+)\/?(.*)$/.exec(config.endpoint.api)
    const root = `${base?.[1] ?? config.endpoint.api}/`
    const version = base?.[2] ?? ""
    const credentials = config.credentials
    const applicationKey = credentials.type === "signature" ? credentials.applicationKey : undefined
    const engine = (signing: Credentials.Credentials | undefined) =>
      RestClient.make({
        api,
        baseUrl: root,
        caller: Caller.digest(root, applicationKey ?? "", credentials.type === "signature" ? credentials.consumerKey ?? "" : credentials.clientId),
        headers: { "content-type": "application/json", ...(applicationKey === undefined ? {} : { "x-ovh-application": applicationKey }) },
        ...(signing === undefined ? {} : { credentials: signing }),
        secretHeaders,
        // OVH has no idempotency key: only GET is retried unless the caller asks.
        retry: session.retry ?? RetryPolicy.defaultPolicy,
        timeout: config.timeout ?? defaultTimeout,
        transformClient: session.transformClient,
        userAgent: session.userAgent,
        errorBody,
        requestIdHeaders
      })
    const unsigned = yield* engine(undefined)

    const serverTime = Effect.flatMap(
      Either.match(pathOf(version, "/auth/time"), { onLeft: Effect.fail, onRight: Effect.succeed }),
      (path) => unsigned.json({ method: "GET", path, cache: false }, Schema.Number)
    )
    const readDelta = Effect.flatMap(serverTime, (server) =>
      Effect.map(Clock.currentTimeMillis, (now) => server - Math.floor(now / 1000)))
    const delta = yield* Ref.make(credentials.type === "signature" && credentials.consumerKey !== undefined ? yield* readDelta : 0)

    const signing: Credentials.Credentials | undefined = credentials.type === "oauth2"
      ? (yield* OAuth2.credentials(api, config.endpoint.oauth2, credentials, session)).credentials
      : credentials.consumerKey === undefined
      ? undefined
      : {
        headers: (outgoing) =>
          Effect.gen(function*() {
            const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000) + (yield* Ref.get(delta))
            const consumerKey = credentials.consumerKey ?? Redacted.make("")
            return {
              "x-ovh-consumer": consumerKey,
              "x-ovh-timestamp": Redacted.make(String(timestamp)),
              "x-ovh-signature": Redacted.make(sign({ applicationSecret: credentials.applicationSecret, consumerKey, ...outgoing, timestamp }))
            }
          }),
        renews: (error) => error._tag !== "InvalidInputError" && error.code === queryTimeOut,
        // The clock delta is stale: read the server's clock again, then the call is signed and sent once more.
        rejected: () => Effect.as(Effect.flatMap(readDelta, (fresh) => Ref.set(delta, fresh)), true)
      }
    const signed = signing === undefined ? unsigned : yield* engine(signing)

    /** GET and DELETE carry their parameters in the query; POST and PUT in a JSON body. */
    const request = (
      method: "GET" | "POST" | "PUT" | "DELETE",
      path: CallPath,
      argument: Params | object | undefined,
      options: CallOptions
    ): Effect.Effect<RestClient.RestRequest, ApiError> =>
      Either.match(pathOf(version, path), {
        onLeft: Effect.fail,
        onRight: (p): Effect.Effect<RestClient.RestRequest, ApiError> => {
          const wrong = (method === "GET" || method === "DELETE") && argument !== undefined
            ? Object.entries(argument).find((entry) => !isParam(entry))
            : undefined
          if (wrong !== undefined) {
            return Effect.fail(
              new InvalidInputError({ api, parameter: wrong[0], message: `query parameter ${wrong[0]} must be a string, number, boolean, date or a list of them` })
            )
          }
          return Effect.succeed({
            method,
            path: p,
            ...(options.cache === undefined ? {} : { cache: options.cache }),
            ...(options.retry === undefined ? {} : { retry: options.retry }),
            ...(argument === undefined
              ? {}
              : method === "GET" || method === "DELETE"
              ? { query: encodeParams(Object.fromEntries(Object.entries(argument).filter(isParam))) }
              : { body: argument })
          })
        }
      })

    const engineFor = (options: CallOptions) => (options.unauthenticated === true ? unsigned : signed)

    const call = <A, I>(
      method: "GET" | "POST" | "PUT" | "DELETE",
      path: CallPath,
      paramsOrBody: Params | object | undefined,
      schema: Schema.Schema<A, I>,
      options: CallOptions
    ): Effect.Effect<A, ApiError> =>
      Effect.flatMap(request(method, path, paramsOrBody, options), (r) => limited(engineFor(options).json(r, schema)))

    /** One implementation behind the overloads: a schema decodes the answer, else it is `unknown`. */
    const dispatch = <A, I>(
      method: "GET" | "POST" | "PUT" | "DELETE",
      path: CallPath,
      argument: Params | object | undefined,
      schemaOrOptions: Schema.Schema<A, I> | CallOptions | undefined,
      options: CallOptions | undefined
    ): Effect.Effect<unknown, ApiError> =>
      isSchema(schemaOrOptions)
        ? call(method, path, argument, schemaOrOptions, options ?? {})
        : call(method, path, argument, Schema.Unknown, schemaOrOptions ?? {})

    /** The overloads of one method, all answered by `dispatch`. */
    const method = <Argument extends Params | object>(name: "GET" | "POST" | "PUT" | "DELETE"): OvhCall<Argument> => {
      function send(path: CallPath, argument?: Argument, options?: CallOptions): Effect.Effect<unknown, ApiError>
      function send<A, I>(path: CallPath, argument: Argument | undefined, schema: Schema.Schema<A, I>, options?: CallOptions): Effect.Effect<A, ApiError>
      function send<A, I>(path: CallPath, argument?: Argument, schemaOrOptions?: Schema.Schema<A, I> | CallOptions, options?: CallOptions) {
        return dispatch(name, path, argument, schemaOrOptions, options)
      }
      return send
    }

    return {
      config,
      timeDelta: Ref.get(delta),
      get: method<Params>("GET"),
      delete: method<Params>("DELETE"),
      post: method<object>("POST"),
      put: method<object>("PUT"),
      raw: (method, path, paramsOrBody, options = {}) =>
        Effect.flatMap(request(method, path, paramsOrBody, options), (r) =>
          Effect.map(limited(engineFor(options).send(r)), (response): RawAnswer => {
            const isJson = RestClient.isJsonContentType(response.headers["content-type"])
            let body: unknown = response.text
            if (isJson && response.text.trim() !== "") {
              try {
                body = JSON.parse(response.text)
              } catch {
                body = response.text
              }
            }
            return { status: response.status, headers: { ...response.headers }, body }
          }))
    }
  })

/** The client from a checked configuration; needs an `HttpClient`. */
export const layerConfig = (config: OvhConfig, session: SessionOptions = {}): Layer.Layer<OvhClient, ApiError, HttpClient.HttpClient> =>
  Layer.scoped(OvhClient, make(config, session))

/** The client from options, `OVH_*` and the `ovh.conf` files; needs an `HttpClient` and a `FileSystem`. */
export const layer = (
  options: OvhOptions = {},
  session: SessionOptions = {}
): Layer.Layer<OvhClient, ApiError | ConfigurationError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  Layer.scoped(OvhClient, Effect.flatMap(load(options), (config) => make(config, session)))
