/**
 * The one error taxonomy every API client maps onto.
 *
 * Each error carries what a caller needs to act and what an operator needs to debug: the API, the method, the URL
 * (secrets removed), the HTTP status, the server's message, its own error code and details, and its request id.
 * APIs keep their vendor's vocabulary in `code` / `detail` / `details` (VeiL `errors[].code`, OVH `errorCode`, …).
 *
 * @since 0.1.0
 */
import { Duration, Option, Predicate, Schema } from "effect"

/** Fields shared by every API error. */
const common = {
  /** Which API answered (`"veil"`, `"openstack"`, …). */
  api: Schema.String,
  /** HTTP method of the request. */
  method: Schema.String,
  /** URL of the request with secret query values removed. */
  url: Schema.String,
  /** HTTP status, when a response arrived. */
  status: Schema.optional(Schema.Number),
  /** Human-readable summary. */
  message: Schema.String,
  /** The server's own error code (VeiL `errors[0].code`, OVH `errorCode`, …). */
  code: Schema.optional(Schema.String),
  /** The server's own error text. */
  detail: Schema.optional(Schema.String),
  /** The server's structured error payload, kept whole. */
  details: Schema.optional(Schema.Unknown),
  /** The server's request id (for support tickets and log correlation). */
  requestId: Schema.optional(Schema.String)
}

/** Milliseconds the server asked us to wait (`Retry-After`). */
const retryAfter = { retryAfterMillis: Schema.optional(Schema.Number) }

/** 401: the credentials are missing, wrong or expired. */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", common) {}

/** 403: the credentials are valid but do not allow this. */
export class PermissionError extends Schema.TaggedError<PermissionError>()("PermissionError", common) {}

/** 404 / 410: the resource does not exist (any more). */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", common) {}

/** 409 / 412: the request conflicts with the resource's current state. */
export class ConflictError extends Schema.TaggedError<ConflictError>()("ConflictError", common) {}

/** The request would exceed a quota of the account or project (Nova answers 403, others 413 or 400). */
export class QuotaExceededError extends Schema.TaggedError<QuotaExceededError>()("QuotaExceededError", common) {}

/** 429: too many requests; `retryAfterMillis` holds the server's `Retry-After`. */
export class RateLimitedError extends Schema.TaggedError<RateLimitedError>()("RateLimitedError", {
  ...common,
  ...retryAfter
}) {}

/** 400 / 422 and other 4xx: the server rejected the request as invalid. */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()("BadRequestError", common) {}

/** 500 and other 5xx: the server failed. */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", common) {}

/** 502 / 503 / 504, or an answer that is not the API's (an HTML page, an upgrading platform). */
export class UnavailableError extends Schema.TaggedError<UnavailableError>()("UnavailableError", {
  ...common,
  ...retryAfter
}) {}

/** No usable response: connection refused, reset or dropped. */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", common) {}

/** No response within the request timeout (or a 408 from the server). */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  ...common,
  timeoutMillis: Schema.optional(Schema.Number)
}) {}

/** One problem found while decoding a body: where and what. */
export class DecodeIssue extends Schema.Class<DecodeIssue>("DecodeIssue")({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
}) {}

/** The response arrived but its body is not what the API documents (malformed, empty, wrong types, missing fields). */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...common,
  issues: Schema.Array(DecodeIssue)
}) {}

/** The caller's input was rejected before anything was sent. */
export class InvalidInputError extends Schema.TaggedError<InvalidInputError>()("InvalidInputError", {
  api: Schema.String,
  /** The parameter that was wrong. */
  parameter: Schema.String,
  message: Schema.String
}) {}

/** The response's body is larger than the client accepts (`maxResponseBytes`): it was not read further, and is never retried. */
export class ResponseTooLargeError extends Schema.TaggedError<ResponseTooLargeError>()("ResponseTooLargeError", {
  ...common,
  /** The limit that was exceeded, in bytes. */
  limitBytes: Schema.Number
}) {}

/**
 * A request that changes something failed in a way that does not say whether the server carried it out (a timeout
 * or a connection lost after sending), and looking for its effect did not settle it: it was not sent again, so that
 * nothing is done twice. `marker` is what identifies its effect (e.g. the metadata a created server carries).
 */
export class OutcomeUnknownError extends Schema.TaggedError<OutcomeUnknownError>()("OutcomeUnknownError", {
  ...common,
  /** What to look for to find out (a server's `client-request-id` metadata, …). */
  marker: Schema.optional(Schema.String),
  /** The tag of the failure that left the outcome open (`TimeoutError`, `TransportError`, …). */
  after: Schema.String
}) {}

/**
 * The session was closed (`close()`, `await using`, the end of its scope) before the call: nothing was sent. Method
 * and URL are known when the engine refused the request, not when the Promise facade did.
 */
export class SessionClosedError extends Schema.TaggedError<SessionClosedError>()("SessionClosedError", {
  ...common,
  method: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String)
}) {}

/** Every error an API operation can fail with. */
export type ApiError =
  | AuthenticationError
  | PermissionError
  | NotFoundError
  | ConflictError
  | QuotaExceededError
  | RateLimitedError
  | BadRequestError
  | ServerError
  | UnavailableError
  | TransportError
  | TimeoutError
  | DecodeError
  | InvalidInputError
  | SessionClosedError
  | ResponseTooLargeError
  | OutcomeUnknownError

/** The schema of {@link ApiError}, for serialising errors (caches, RPC, logs). */
export const ApiError: Schema.Union<[
  typeof AuthenticationError,
  typeof PermissionError,
  typeof NotFoundError,
  typeof ConflictError,
  typeof QuotaExceededError,
  typeof RateLimitedError,
  typeof BadRequestError,
  typeof ServerError,
  typeof UnavailableError,
  typeof TransportError,
  typeof TimeoutError,
  typeof DecodeError,
  typeof InvalidInputError,
  typeof SessionClosedError,
  typeof ResponseTooLargeError,
  typeof OutcomeUnknownError
]> = Schema.Union(
  AuthenticationError,
  PermissionError,
  NotFoundError,
  ConflictError,
  QuotaExceededError,
  RateLimitedError,
  BadRequestError,
  ServerError,
  UnavailableError,
  TransportError,
  TimeoutError,
  DecodeError,
  InvalidInputError,
  SessionClosedError,
  ResponseTooLargeError,
  OutcomeUnknownError
)

/** The `_tag` of an {@link ApiError}: the error kinds a retry policy can name. */
export type ErrorKind = ApiError["_tag"]

/** The kinds that describe an answer from the server (everything but transport, timeout, decode, input and a closed session). */
export type StatusKind = Exclude<
  ErrorKind,
  | "TransportError"
  | "TimeoutError"
  | "DecodeError"
  | "InvalidInputError"
  | "SessionClosedError"
  | "ResponseTooLargeError"
  | "OutcomeUnknownError"
>

const errorKinds: ReadonlySet<string> = new Set<ErrorKind>([
  "AuthenticationError",
  "PermissionError",
  "NotFoundError",
  "ConflictError",
  "QuotaExceededError",
  "RateLimitedError",
  "BadRequestError",
  "ServerError",
  "UnavailableError",
  "TransportError",
  "TimeoutError",
  "DecodeError",
  "InvalidInputError",
  "SessionClosedError",
  "ResponseTooLargeError",
  "OutcomeUnknownError"
])

/** Whether `u` is one of the core API errors. */
export const isApiError = (u: unknown): u is ApiError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && errorKinds.has(u._tag)

/** The one status → kind table. APIs may override single cases (VeiL's 418) through their error-body mapper. */
export const kindOfStatus = (status: number): StatusKind | "TimeoutError" => {
  switch (status) {
    case 401:
      return "AuthenticationError"
    case 403:
      return "PermissionError"
    case 404:
    case 410:
      return "NotFoundError"
    case 408:
      return "TimeoutError"
    case 409:
    case 412:
      return "ConflictError"
    case 429:
      return "RateLimitedError"
    case 502:
    case 503:
    case 504:
      return "UnavailableError"
  }
  return status >= 500 ? "ServerError" : "BadRequestError"
}

/** What a response said about the failure, before it becomes an error instance. */
export interface ErrorFields {
  readonly api: string
  readonly method: string
  readonly url: string
  readonly status?: number | undefined
  readonly message: string
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly details?: unknown
  readonly requestId?: string | undefined
  readonly retryAfterMillis?: number | undefined
}

const definedOnly = (fields: ErrorFields) => ({
  api: fields.api,
  method: fields.method,
  url: fields.url,
  message: fields.message,
  ...(fields.status !== undefined ? { status: fields.status } : {}),
  ...(fields.code !== undefined ? { code: fields.code } : {}),
  ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
  ...(fields.details !== undefined ? { details: fields.details } : {}),
  ...(fields.requestId !== undefined ? { requestId: fields.requestId } : {})
})

/** The error class of each kind a status (or a failed exchange) maps to. */
const errorClasses = {
  AuthenticationError, PermissionError, NotFoundError, ConflictError, QuotaExceededError, BadRequestError, ServerError,
  RateLimitedError, UnavailableError,
  TimeoutError, TransportError
} as const

/** Builds the error of a given kind from the fields a response gave (`Retry-After` kept on the kinds that carry it). */
export const fromKind = (kind: StatusKind | "TimeoutError" | "TransportError", fields: ErrorFields): ApiError => {
  const waits = (kind === "RateLimitedError" || kind === "UnavailableError") && fields.retryAfterMillis !== undefined
  return new errorClasses[kind]({
    ...definedOnly(fields),
    ...(waits ? { retryAfterMillis: fields.retryAfterMillis } : {})
  })
}

/** The delay the server asked for, if the error carries one. */
export const retryAfterOf = (error: ApiError): Option.Option<Duration.Duration> =>
  (error._tag === "RateLimitedError" || error._tag === "UnavailableError") && error.retryAfterMillis !== undefined
    ? Option.some(Duration.millis(error.retryAfterMillis))
    : Option.none()

/** Node's codes for a server certificate the client refused: retrying cannot change the answer. */
export const tlsCertificateCodes: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH"
])

/** Whether the error is a refused server certificate (never worth retrying). */
export const isCertificateError = (error: ApiError): boolean =>
  error._tag === "TransportError" && error.code !== undefined && tlsCertificateCodes.has(error.code)

/**
 * Node's and undici's codes for a connection that was never made (refused, a name that does not resolve, no route,
 * a connect timeout, a TLS handshake that failed): a request failing with one of them was not sent. A reset or a
 * closed socket (`ECONNRESET`, `EPIPE`, `UND_ERR_SOCKET`, …) may come after the request was sent, and is not here.
 */
export const unsentCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
  ...tlsCertificateCodes
])

/** Whether the error proves the request never left the client (so the server did nothing). */
export const wasNotSent = (error: ApiError): boolean =>
  error._tag === "TransportError" && error.code !== undefined && unsentCodes.has(error.code)

/** The HTTP status of the error, if a response arrived. */
export const statusOf = (error: ApiError): number | undefined =>
  error._tag === "InvalidInputError" ? undefined : error.status

/** One setting that is missing or wrong, named as the place it was read from spells it. */
export class ConfigurationProblem extends Schema.Class<ConfigurationProblem>("ConfigurationProblem")({
  /** The option, variable or key: `token`, `VEIL_TOKEN`, `OS_AUTH_URL`, `application_key`. */
  setting: Schema.String,
  /** What is wrong with it (never its value when it is a secret). */
  message: Schema.String
}) {}

/**
 * A client cannot be configured: every missing or wrong setting at once, and where values were looked for. The one
 * configuration error of every API; it never shows a secret.
 */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  /** Which API's configuration (`"veil"`, `"openstack"`, …). */
  api: Schema.String,
  /** Every problem found, in the order the settings are read. */
  problems: Schema.Array(ConfigurationProblem),
  /** Where values were looked for: `explicit options`, `VEIL_* environment`, files read. */
  sources: Schema.Array(Schema.String),
  /** All problems in one sentence. */
  message: Schema.String
}) {
  /** Builds the error, its message listing every problem. */
  static of(
    api: string,
    problems: ReadonlyArray<{ readonly setting: string; readonly message: string }>,
    sources: ReadonlyArray<string> = []
  ): ConfigurationError {
    const listed = problems.map((p) => new ConfigurationProblem({ setting: p.setting, message: p.message }))
    const where = sources.length === 0 ? "" : ` (looked in: ${sources.join(", ")})`
    return new ConfigurationError({
      api,
      problems: listed,
      sources: [...sources],
      message: `${api} configuration: ${listed.map((p) => p.message).join("; ")}${where}`
    })
  }

  /** The settings named, in order. */
  get settings(): ReadonlyArray<string> {
    return this.problems.map((p) => p.setting)
  }
}
