/**
 * OVH's error bodies on the core taxonomy. Two families: gateway errors `{"errorCode", "httpCode", "message"}`
 * (`INVALID_SIGNATURE`, `QUERY_TIME_OUT`, `NOT_GRANTED_CALL`, …) and API errors `{"class": "Client::NotFound",
 * "message", "details"?}`. `errorCode` — else `class` — is kept as `code`, `details` as `details`, and
 * `X-Ovh-QueryID` as `requestId`. The OAuth2 token endpoint answers `{"error", "error_description"}` (RFC 6749 §5.2).
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"
import type { StatusKind } from "../core/Errors.js"
import type { ErrorBody, ErrorResponse } from "../core/RestClient.js"

/** The error code OVH answers a timestamp outside its window with: the client's clock delta is stale. */
export const queryTimeOut = "QUERY_TIME_OUT"

const byErrorCode: Readonly<Record<string, StatusKind>> = {
  INVALID_SIGNATURE: "AuthenticationError",
  INVALID_KEY: "AuthenticationError",
  INVALID_CREDENTIAL: "AuthenticationError",
  NOT_CREDENTIAL: "AuthenticationError",
  NOT_GRANTED_CALL: "PermissionError",
  FORBIDDEN: "PermissionError"
}

const byClass: Readonly<Record<string, StatusKind>> = {
  Unauthorized: "AuthenticationError",
  Forbidden: "PermissionError",
  NotFound: "NotFoundError",
  Conflict: "ConflictError",
  BadRequest: "BadRequestError",
  ValidationError: "BadRequestError",
  InternalServerError: "ServerError"
}

/** OAuth2 token errors that mean the client id or secret is wrong. */
const oauth2Refusals: ReadonlySet<string> = new Set(["invalid_client", "unauthorized_client", "invalid_grant"])

const text = (u: unknown): string | undefined => (typeof u === "string" && u.trim() !== "" ? u : undefined)

/** Reads an OVH error response. */
export const errorBody = (response: ErrorResponse): ErrorBody => {
  if (!response.isJson || !Predicate.isRecord(response.json)) {
    const body = response.text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim()
    return body === "" ? {} : { message: body.slice(0, 500) }
  }
  const json = response.json
  const oauth2 = text(json["error"])
  if (oauth2 !== undefined && json["errorCode"] === undefined) {
    return {
      ...(oauth2Refusals.has(oauth2) ? { kind: "AuthenticationError" } : {}),
      message: text(json["error_description"]) ?? oauth2,
      code: oauth2
    }
  }
  const errorCode = text(json["errorCode"])
  const errorClass = text(json["class"])
  // `Client::NotFound::Detail` → NotFound
  const kindName = errorClass?.split("::")[1]
  const kind = (errorCode === undefined ? undefined : byErrorCode[errorCode]) ??
    (kindName === undefined ? undefined : byClass[kindName])
  return {
    ...(kind === undefined ? {} : { kind }),
    message: text(json["message"]),
    code: errorCode ?? errorClass,
    details: json
  }
}

/** Response headers holding OVH's query id. */
export const requestIdHeaders: ReadonlyArray<string> = ["x-ovh-queryid"]

/** Headers whose values are secrets (the application secret is never sent at all). */
export const secretHeaders: ReadonlyArray<string> = ["x-ovh-consumer", "x-ovh-signature", "authorization"]
