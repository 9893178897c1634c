/** The core engine over a scripted `HttpClient`, as the engine's own tests build it. */
import { Effect, Layer, Redacted } from "effect"
import * as Credentials from "../../src/core/Credentials.js"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

/** The bearer token every request carries (to check it never shows). */
export const secret = "s3cr3t-t0ken-value"

/** Engine options for `http://api.test/v1/`: no retries, 5 s per attempt, `{ error }` bodies read as message + code `E1`. */
export const options = (overrides: Partial<RestClient.RestClientOptions> = {}): RestClient.RestClientOptions => ({
  api: "test",
  baseUrl: "http://api.test/v1/",
  caller: "me",
  credentials: Credentials.fixed({ authorization: Redacted.make(`Bearer ${secret}`) }),
  retry: RetryPolicy.none,
  timeout: "5 seconds",
  errorBody: (r) => {
    const json = r.json
    return typeof json === "object" && json !== null && "error" in json && typeof json.error === "string"
      ? { message: json.error, code: "E1" }
      : {}
  },
  ...overrides
})

/** An engine answering with `replies`, and the requests it sent. */
export const engine = (
  replies: Parameters<typeof Scripted.make>[0],
  overrides: Partial<RestClient.RestClientOptions> = {},
  cache: Layer.Layer<ResponseCache.ResponseCache> = ResponseCache.layerNone
) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make(replies)
    const rest = yield* RestClient.make(options(overrides)).pipe(Effect.provide(Layer.merge(http.layer, cache)))
    return { rest, sent: http.sent }
  })
