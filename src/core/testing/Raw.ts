/**
 * Raw HTTP against a simulator in tests: one request, its answer read whole (status, headers, body as received).
 *
 * @since 0.1.0
 */
import { type HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import { parseLenient } from "./Json.js"

/**
 * A raw answer: status, lower-case headers and the body (parsed JSON, the text when it is not JSON, `undefined`
 * when empty).
 *
 * @since 0.1.0
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/**
 * Options of {@link request}: `query` values are sent as given; `body` is sent as JSON.
 *
 * @since 0.1.0
 */
export interface RawOptions {
  readonly query?: Readonly<Record<string, string | number>>
  readonly body?: unknown
}

/**
 * Sends one request through `client` and reads the answer whole.
 *
 * @since 0.1.0
 */
export const request = (
  client: HttpClient.HttpClient,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD",
  path: string,
  options?: RawOptions
): Effect.Effect<RawResponse, HttpClientError.HttpClientError> =>
  Effect.gen(function*() {
    const base = HttpClientRequest.make(method)(path, options?.query !== undefined ? { urlParams: options.query } : {})
    const sent = options?.body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, options.body)
    const response = yield* client.execute(sent)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, body: parseLenient(text) }
  })
