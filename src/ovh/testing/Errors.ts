/**
 * OVH's error answers as the simulator gives them: the gateway family `{"errorCode", "httpCode", "message"}` for
 * authentication and signature refusals, the API family `{"class", "message"}` for everything else.
 *
 * @since 0.1.0
 */
import { HttpServerResponse } from "@effect/platform"
import { Data } from "effect"
import type { FaultBodies } from "../../core/testing/Faults.js"

/**
 * A refusal: the status and the body OVH answers it with.
 *
 * @since 0.1.0
 */
export class SimError extends Data.TaggedError("OvhSimError")<{ readonly status: number; readonly body: unknown }> {}

const reasons: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable"
}

/**
 * A gateway refusal (`INVALID_SIGNATURE`, `QUERY_TIME_OUT`, `NOT_GRANTED_CALL`, …).
 *
 * @since 0.1.0
 */
export const gateway = (status: number, errorCode: string, message: string): SimError =>
  new SimError({ status, body: { errorCode, httpCode: `${status} ${reasons[status] ?? ""}`.trim(), message } })

/**
 * An API error (`Client::NotFound`, `Client::BadRequest`, …).
 *
 * @since 0.1.0
 */
export const apiError = (status: number, errorClass: string, message: string): SimError =>
  new SimError({ status, body: { class: errorClass, message } })

/**
 * The refusals of the authentication gateway, with OVH's own codes and messages.
 *
 * @since 0.1.0
 */
export const Refusal = {
  mustLogin: apiError(401, "Client::Unauthorized", "You must login first"),
  invalidKey: gateway(403, "INVALID_KEY", "This application key is invalid"),
  queryTimeOut: gateway(400, "QUERY_TIME_OUT", "Query out of time"),
  notCredential: gateway(403, "NOT_CREDENTIAL", "This credential does not exist"),
  invalidCredential: gateway(403, "INVALID_CREDENTIAL", "This credential is not valid"),
  invalidSignature: gateway(400, "INVALID_SIGNATURE", "Invalid signature"),
  notGranted: gateway(403, "NOT_GRANTED_CALL", "This call has not been granted"),
  invalidToken: apiError(401, "Client::Unauthorized", "The access token is invalid or has expired"),
  noRoute: apiError(404, "Client::NotFound", "Got an invalid (or empty) URL")
} as const

/**
 * A resource that does not exist.
 *
 * @since 0.1.0
 */
export const notFound = (message = "This service does not exist"): SimError => apiError(404, "Client::NotFound", message)

/**
 * A parameter the API refuses, named.
 *
 * @since 0.1.0
 */
export const badRequest = (message: string): SimError => apiError(400, "Client::BadRequest", message)

/**
 * The body of an injected fault: the API family, with the class the status implies.
 *
 * @since 0.1.0
 */
export const renderError = (status: number, message: string): unknown => ({
  class: `${status >= 500 ? "Server" : "Client"}::${(reasons[status] ?? "Error").replace(/ /g, "")}`,
  message
})

/**
 * How injected faults answer: OVH's API error body, the reason phrase as message, and a list of ids cut off.
 *
 * @since 0.1.0
 */
export const faultBodies: FaultBodies = {
  error: (status, message) => HttpServerResponse.unsafeJson(renderError(status, message), { status }),
  messages: reasons,
  malformed: "[\"ns1234567.ip-1-2-3.eu\", <<simulator: malformed body>>"
}
