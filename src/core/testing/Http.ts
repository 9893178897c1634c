/**
 * Request plumbing and answers every API simulator needs: the absolute URL of a request (to build links and
 * catalogs on the request's own origin), JSON answers with a status, and empty answers.
 *
 * @since 0.1.0
 */
import { Headers, type HttpServerRequest, HttpServerResponse } from "@effect/platform"

/**
 * The absolute URL of a server request: its own URL when absolute (in-process requests), otherwise the path on
 * `http(s)://<Host header>` (served on 127.0.0.1).
 *
 * @since 0.1.0
 */
export const absoluteUrl = (request: HttpServerRequest.HttpServerRequest): URL => {
  const base = `${request.headers["x-forwarded-proto"] === "https" ? "https" : "http"}://${
    request.headers.host ?? "localhost"
  }`
  try {
    return new URL(request.originalUrl)
  } catch {
    try {
      return new URL(request.url, base)
    } catch {
      return new URL("http://localhost/")
    }
  }
}

/**
 * A JSON answer with a status (default 200) and extra headers.
 *
 * @since 0.1.0
 */
export const json = (
  body: unknown,
  status = 200,
  headers: Readonly<Record<string, string>> = {}
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body, { status, headers: Headers.fromInput(headers) })

/**
 * An answer without a body (default status 204).
 *
 * @since 0.1.0
 */
export const empty = (
  status = 204,
  headers: Readonly<Record<string, string>> = {}
): HttpServerResponse.HttpServerResponse => HttpServerResponse.empty({ status, headers: Headers.fromInput(headers) })
