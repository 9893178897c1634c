/**
 * A scripted `HttpClient`: answers each request with the next scripted reply (a status and body, a dropped
 * connection, or a reply after a delay on the Effect `Clock`) and records when each request was sent, for testing
 * clients against exact sequences of answers.
 *
 * @since 0.1.0
 */
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Layer, Ref } from "effect"

/**
 * One scripted reply: a status with a JSON `body` or a raw `text` (and headers), a dropped connection (a
 * `Transport` error), or another reply after `delay`.
 *
 * @since 0.1.0
 */
export type Reply =
  | { readonly status: number; readonly body?: unknown; readonly text?: string; readonly headers?: Record<string, string> }
  | { readonly drop: true }
  | { readonly delay: Duration.DurationInput; readonly then: Reply }

/**
 * A request as the scripted client received it, at `at` (`Clock` milliseconds).
 *
 * @since 0.1.0
 */
export interface Sent {
  readonly at: number
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

/**
 * A scripted client, its recorded requests and a layer providing it.
 *
 * @since 0.1.0
 */
export interface Scripted {
  readonly client: HttpClient.HttpClient
  readonly sent: Effect.Effect<ReadonlyArray<Sent>>
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined

const answer = (
  request: HttpClientRequest.HttpClientRequest,
  reply: Reply
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  if ("drop" in reply) {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "connection reset" }))
  }
  if ("delay" in reply) return Effect.zipRight(Effect.sleep(reply.delay), answer(request, reply.then))
  const text = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body))
  const headers = reply.headers ?? (reply.body === undefined ? {} : { "content-type": "application/json" })
  return Effect.succeed(
    HttpClientResponse.fromWeb(request, new Response(reply.status === 204 ? null : text, { status: reply.status, headers }))
  )
}

/**
 * A scripted client: replies are used in order and the last one repeats; or a function picks the reply of each
 * request.
 *
 * @since 0.1.0
 */
export const make = (
  replies: ReadonlyArray<Reply> | ((sent: Sent, index: number) => Reply)
): Effect.Effect<Scripted> =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const at = yield* Clock.currentTimeMillis
        const entry: Sent = { at, method: request.method, url: url.toString(), headers: { ...request.headers }, body: bodyText(request) }
        const all = yield* Ref.updateAndGet(sent, (list) => [...list, entry])
        const index = all.length - 1
        const reply = typeof replies === "function" ? replies(entry, index) : replies[Math.min(index, replies.length - 1)]
        if (reply === undefined) return yield* Effect.dieMessage("no scripted reply")
        return yield* answer(request, reply)
      })
    )
    return { client, sent: Ref.get(sent), layer: Layer.succeed(HttpClient.HttpClient, client) }
  })

/**
 * Virtual times (ms) of the recorded requests.
 *
 * @since 0.1.0
 */
export const times = (list: ReadonlyArray<Sent>): ReadonlyArray<number> => list.map((s) => s.at)

/**
 * Milliseconds of a duration input.
 *
 * @since 0.1.0
 */
export const ms = (d: Duration.DurationInput): number => Duration.toMillis(Duration.decode(d))
