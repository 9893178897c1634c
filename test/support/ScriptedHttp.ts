/**
 * A scripted `HttpClient` for core tests: answers each request with the next scripted reply and records when
 * (on the Effect clock) each request was sent.
 */
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Layer, Ref } from "effect"

/** One scripted reply. */
export type Reply =
  | { readonly status: number; readonly body?: unknown; readonly text?: string; readonly headers?: Record<string, string> }
  | { readonly drop: true }
  | { readonly delay: Duration.DurationInput; readonly then: Reply }

/** A recorded request. */
export interface Sent {
  readonly at: number
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined

/** A scripted client: replies are used in order; the last one repeats. */
export const make = (replies: ReadonlyArray<Reply> | ((sent: Sent, index: number) => Reply)) =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
    const answer = (request: HttpClientRequest.HttpClientRequest, reply: Reply): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
      if ("drop" in reply) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: "connection reset" }))
      }
      if ("delay" in reply) return Effect.zipRight(Effect.sleep(reply.delay), answer(request, reply.then))
      const text = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body))
      const headers = reply.headers ?? (reply.body === undefined ? {} : { "content-type": "application/json" })
      return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(reply.status === 204 ? null : text, { status: reply.status, headers })))
    }
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

/** Virtual times (ms) of the recorded requests. */
export const times = (list: ReadonlyArray<Sent>): ReadonlyArray<number> => list.map((s) => s.at)

/** Milliseconds of a duration input. */
export const ms = (d: Duration.DurationInput): number => Duration.toMillis(Duration.decode(d))
