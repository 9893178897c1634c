/**
 * An `HttpClient` that runs an `HttpApp` in the calling fiber: no socket, no Promise boundary around the app, so
 * `TestClock`, `TestRandom` and every other service of the test apply to the client and the simulator alike.
 *
 * @since 0.1.0
 */
import {
  Headers,
  HttpClient,
  HttpClientError,
  HttpClientResponse,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  type HttpApp,
  type HttpClientRequest
} from "@effect/platform"
import { Effect, Layer } from "effect"
import { isDrop } from "./Faults.js"

type WebBody = Uint8Array<ArrayBuffer> | string | FormData | undefined

const bodyOf = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<WebBody, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(undefined)
    case "Uint8Array":
      return Effect.succeed(new Uint8Array(body.body))
    case "FormData":
      return Effect.succeed(body.formData)
    case "Raw":
      if (typeof body.body === "string") return Effect.succeed(body.body)
      if (body.body instanceof Uint8Array) return Effect.succeed(new Uint8Array(body.body))
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Encode",
          description: "the in-process client sends only string or byte raw bodies"
        })
      )
    case "Stream":
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Encode",
          description: "the in-process client does not send stream bodies"
        })
      )
  }
}

const toWebRequest = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal
): Effect.Effect<Request, HttpClientError.RequestError> =>
  Effect.flatMap(bodyOf(request), (body) =>
    Effect.try({
      try: () =>
        new Request(url, {
          method: request.method,
          // the Request computes its own length (as fetch does)
          headers: Headers.remove(request.headers, "content-length"),
          signal,
          ...(body !== undefined ? { body } : {})
        }),
      catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
    }))

/**
 * Runs a server app against one web request and returns its response; failures and defects become responses the
 * way a server would render them (`RouteNotFound` → 404, defects → 500).
 *
 * @since 0.1.0
 */
export const runApp = <E>(
  app: HttpApp.Default<E, never>,
  request: Request
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  app.pipe(
    Effect.provideService(HttpServerRequest.HttpServerRequest, HttpServerRequest.fromWeb(request)),
    Effect.catchAllCause((cause) => Effect.map(HttpServerError.causeResponse(cause), ([response]) => response)),
    Effect.scoped
  )

/** Statuses a web `Response` must have no body for. */
const nullBodyStatus = (status: number): boolean => status === 101 || status === 204 || status === 205 || status === 304

/**
 * An `HttpClient` backed by `app`, run in the calling fiber. A response carrying the drop marker of `Faults`
 * becomes a `RequestError` with reason `"Transport"`.
 *
 * @since 0.1.0
 */
export const make = <E>(app: HttpApp.Default<E, never>): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(toWebRequest(request, url, signal), (webRequest) =>
      Effect.flatMap(runApp(app, webRequest), (response) =>
        isDrop(response)
          ? Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              description: "connection dropped by simulator"
            })
          )
          : Effect.succeed(
            HttpClientResponse.fromWeb(
              request,
              HttpServerResponse.toWeb(response, { withoutBody: nullBodyStatus(response.status) })
            )
          )))
  )

/**
 * A layer providing the in-process `HttpClient` of {@link make}.
 *
 * @since 0.1.0
 */
export const layer = <E>(app: HttpApp.Default<E, never>): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, make(app))
