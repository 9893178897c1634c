/**
 * What goes on the wire, and how it is shown: query strings, the secret-free form of a URL (secret query values and
 * any `user:password@` removed) for errors, logs and spans, header values checked before sending, raw bodies and
 * secret headers set at the last moment.
 *
 * @since 0.1.0
 */
import { HttpClientRequest } from "@effect/platform"
import { Redacted, type Stream } from "effect"
import type * as Credentials from "./Credentials.js"

/** Query parameters as sent: every value already in the API's text form; arrays repeat the key. */
export type Query = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** A raw request body. */
export interface Content {
  readonly body: Uint8Array | Stream.Stream<Uint8Array, unknown>
  readonly contentType?: string | undefined
  /** Length of a streamed body, when known (sent as `Content-Length`). */
  readonly contentLength?: number | undefined
}

/** `?a=1&b=2` with names sorted (so equal queries give equal URLs and cache keys), or "" when empty. */
export const queryString = (query: Query): string => {
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

/**
 * A URL's `user:password@`: everything from the scheme to the last `@` before the query, so that even a URL too
 * broken to parse (a raw `/` in the password) never shows the secret it held.
 */
const userinfo = /^(\s*[a-z][a-z0-9+.-]*:\/\/)[^?#]*@/i

/** A URL with any `user:password@` replaced by `…@` (`http://…@host/v3`): what messages, errors, logs and spans may show. */
export const withoutUserinfo = (url: string): string => url.replace(userinfo, "$1…@")

/** A URL without its `user:password@`, if it has one. */
export const stripUserinfo = (url: string): string => url.replace(userinfo, "$1")

/** The query with the values of secret parameters replaced, for display. */
export const shownQuery = (query: Query, secret: ReadonlySet<string>): string => {
  const shown: Record<string, string | ReadonlyArray<string> | undefined> = {}
  for (const [name, value] of Object.entries(query)) {
    shown[name] = secret.has(name.toLowerCase()) && value !== undefined ? "<redacted>" : value
  }
  return queryString(shown).replaceAll("%3Credacted%3E", "<redacted>")
}

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
export const isJsonContentType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/([\w.-]+\+)?json\b/i.test(contentType.trim())

/**
 * Why a header value cannot be sent, or `undefined` when it can: HTTP field values are Latin-1 text without CR, LF
 * or NUL (a CR/LF would start another header; beyond Latin-1 Node refuses the request).
 */
export const headerProblem = (name: string, value: string): string | undefined => {
  // Code units 0x00, 0x0A, 0x0D and anything beyond 0xFF; one pass, no allocation for the usual ASCII value.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0 || c === 10 || c === 13) return `the value of header ${name} contains a line break or NUL`
    if (c > 0xff) return `the value of header ${name} has characters beyond Latin-1 (encode it first)`
  }
  return undefined
}

/** The request with a raw body. */
export const withContent = (request: HttpClientRequest.HttpClientRequest, content: Content): HttpClientRequest.HttpClientRequest =>
  content.body instanceof Uint8Array
    ? HttpClientRequest.bodyUint8Array(request, content.body, content.contentType ?? "application/octet-stream")
    : HttpClientRequest.bodyStream(request, content.body, {
      contentType: content.contentType ?? "application/octet-stream",
      ...(content.contentLength === undefined ? {} : { contentLength: content.contentLength })
    })

/** The request with its secret headers set, unwrapped only here, at the wire. */
export const withSecret = (
  request: HttpClientRequest.HttpClientRequest,
  secret: Credentials.SecretHeaders
): HttpClientRequest.HttpClientRequest => {
  let out = request
  for (const [name, value] of Object.entries(secret)) out = HttpClientRequest.setHeader(out, name, Redacted.value(value))
  return out
}
