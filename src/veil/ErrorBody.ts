/**
 * VeiL's error bodies on the core taxonomy.
 *
 * ECP answers `{"errors": [{"code": "50004", "detail": "URL is not found."}]}`: `code` is a string (usually five
 * digits, `"invalid"` for an expired token) and stays the error's `code`, `detail` its `detail`, the whole list its
 * `details`. Status 418, or a body that is not JSON, means the platform is upgrading or starting (the Python
 * client's README): `UnavailableError`.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"
import type { ErrorBody, ErrorResponse } from "../core/RestClient.js"

/** One entry of VeiL's `errors[]`. */
export interface VeilErrorEntry {
  readonly code?: string | undefined
  readonly detail?: string | undefined
  readonly msg_key?: string | undefined
}

const entries = (json: unknown): ReadonlyArray<VeilErrorEntry> => {
  if (!Predicate.hasProperty(json, "errors") || !Array.isArray(json.errors)) return []
  return json.errors.filter(Predicate.isRecord).map((e) => ({
    code: e["code"] === undefined || e["code"] === null ? undefined : String(e["code"]),
    detail: typeof e["detail"] === "string" ? e["detail"] : typeof e["message"] === "string" ? e["message"] : undefined,
    msg_key: typeof e["msg_key"] === "string" ? e["msg_key"] : undefined
  }))
}

/** Code ECP gives an unroutable URL (it answers it with status 500). */
export const urlNotFoundCode = "50004"

/** Reads an ECP error response. */
export const errorBody = (response: ErrorResponse): ErrorBody => {
  if (response.status === 418) {
    return { kind: "UnavailableError", message: "VeiL ECP is being updated; try again later" }
  }
  if (!response.isJson) {
    return response.text.trim() === ""
      ? {}
      : { kind: "UnavailableError", message: "the controller answered with a page that is not the ECP API" }
  }
  const list = entries(response.json)
  const first = list[0]
  if (first === undefined) return {}
  return {
    // ECP answers an unknown URL with 500 + 50004: it is a missing resource, not a server fault worth retrying.
    ...(first.code === urlNotFoundCode ? { kind: "NotFoundError" as const } : {}),
    code: first.code,
    detail: first.detail,
    details: list
  }
}
