/**
 * Raw HTTP to the VeiL simulator in tests: the ambient client on the simulator's base URL with its token, and one
 * request read whole.
 *
 * @since 0.1.0
 */
import { HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import * as Raw from "../../core/testing/Raw.js"
import { defaultBaseUrl, VeilSimulator } from "./Simulator.js"

/**
 * The ambient `HttpClient` prefixed with a base URL and sending the simulator's token, for raw HTTP in tests.
 * `token: null` sends no `Authorization` header; a string sends that value instead.
 *
 * @since 0.1.0
 */
export const rawClient = (options?: { readonly baseUrl?: string; readonly token?: string | null }): Effect.Effect<HttpClient.HttpClient, never, HttpClient.HttpClient | VeilSimulator> =>
  Effect.gen(function*() {
    const simulator = yield* VeilSimulator
    const token = options?.token === undefined ? simulator.token : options.token
    return (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(HttpClientRequest.prependUrl(options?.baseUrl ?? defaultBaseUrl)),
      HttpClient.mapRequest((request) => (token === null ? request : HttpClientRequest.setHeader(request, "authorization", token)))
    )
  })

/**
 * A raw answer of the simulator (see `Raw.RawResponse`).
 *
 * @since 0.1.0
 */
export type RawResponse = Raw.RawResponse

/**
 * Sends one raw request through {@link rawClient} and reads the answer whole; `body` is sent as JSON.
 *
 * @since 0.1.0
 */
export const rawRequest = (
  method: "GET" | "POST" | "PUT",
  path: string,
  options?: Raw.RawOptions & { readonly token?: string | null; readonly baseUrl?: string }
): Effect.Effect<RawResponse, HttpClientError.HttpClientError, HttpClient.HttpClient | VeilSimulator> =>
  Effect.flatMap(rawClient(options), (client) => Raw.request(client, method, path, options))

