/**
 * VeiL ECP error bodies: `{"errors": [{"code": "<digits>", "detail": "<text>"}]}` (veil.md §5.1).
 *
 * @since 0.1.0
 */
import { HttpServerResponse } from "@effect/platform"
import { Data, ParseResult } from "effect"
import type { FaultBodies } from "../../core/testing/Faults.js"
import type { JsonObject } from "../../core/testing/Json.js"

/**
 * One entry of an ECP `errors` list.
 *
 * @since 0.1.0
 */
export interface ErrorItem {
  readonly code: string
  readonly detail: string
}

/**
 * A handler failure that the simulator answers with an ECP error body.
 *
 * @since 0.1.0
 */
export class VeilError extends Data.TaggedError("VeilError")<{
  readonly status: number
  readonly errors: ReadonlyArray<ErrorItem>
}> {}

/**
 * The ECP error body for a status and a message; the code is the status followed by `00` (e.g. 503 → `"50300"`).
 * Used as the `renderError` of the fault middleware.
 *
 * @since 0.1.0
 */
export const renderError = (status: number, message: string): JsonObject => ({
  errors: [{ code: `${status}00`, detail: message }]
})

/**
 * The body of an error response.
 *
 * @since 0.1.0
 */
export const errorBody = (error: VeilError): JsonObject => ({
  errors: error.errors.map((item) => ({ code: item.code, detail: item.detail }))
})

/**
 * The response for a {@link VeilError}.
 *
 * @since 0.1.0
 */
export const toResponse = (error: VeilError): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(errorBody(error), { status: error.status })

const single = (status: number, code: string, detail: string): VeilError =>
  new VeilError({ status, errors: [{ code, detail }] })

/**
 * 404: `{"errors":[{"code":"40400","detail":"<What> <id> not found."}]}`.
 *
 * @since 0.1.0
 */
export const notFound = (what: string, id: string): VeilError => single(404, "40400", `${what} ${id} not found.`)

/**
 * 400 with a free-form detail.
 *
 * @since 0.1.0
 */
export const badRequest = (detail: string, code = "40000"): VeilError => single(400, code, detail)

/**
 * 400 naming the offending field: detail `"<field>: <message>"`.
 *
 * @since 0.1.0
 */
export const invalidField = (field: string, message: string): VeilError => single(400, "40000", `${field}: ${message}`)

/**
 * 401 for a request without credentials.
 *
 * @since 0.1.0
 */
export const notAuthenticated: VeilError = single(401, "not_authenticated", "Authentication credentials were not provided.")

/**
 * 401 for a wrong or expired token (the body the Python client's tests use).
 *
 * @since 0.1.0
 */
export const signatureExpired: VeilError = single(401, "invalid", "Signature has expired.")

/**
 * The real ECP body for a URL it cannot route (status 500).
 *
 * @since 0.1.0
 */
export const urlNotFound: VeilError = single(500, "50004", "URL is not found.")

/**
 * 500 for an unexpected failure inside the simulator.
 *
 * @since 0.1.0
 */
export const internalError: VeilError = single(500, "50000", "Internal server error.")

/**
 * 400 listing every problem of a request body that failed to decode, each naming its field path.
 *
 * @since 0.1.0
 */
export const fromParseError = (error: ParseResult.ParseError): VeilError =>
  new VeilError({
    status: 400,
    errors: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
      code: "40000",
      detail: `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${
        issue._tag === "Missing" ? "This field is required." : issue.message
      }`
    }))
  })

/**
 * ECP's wording of injected faults: its error body, the messages of its error statuses (Django REST framework's),
 * and the start of a list answer cut off.
 *
 * @since 0.1.0
 */
export const faultBodies: FaultBodies = {
  error: (status, message) => HttpServerResponse.unsafeJson(renderError(status, message), { status }),
  messages: {
    400: "Bad request.",
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    408: "Request timeout.",
    409: "Conflict.",
    429: "Request was throttled.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service temporarily unavailable.",
    504: "Gateway timeout."
  },
  rateLimited: (seconds) => `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
  malformed: "{\"count\": 1, \"results\": [{\"id\": <<simulator: malformed body>>"
}
