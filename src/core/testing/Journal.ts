/**
 * A journal of the requests a simulator receives, so tests can assert what a client sent.
 *
 * @since 0.1.0
 */
import { HttpServerRequest, type HttpApp } from "@effect/platform"
import { Clock, Effect, Option } from "effect"
import { parseLenient } from "./Json.js"

/**
 * One request as the simulator received it.
 *
 * - `path`: the URL pathname; `query`: the search parameters (the last value wins for a repeated key).
 * - `headers`: lower-case names.
 * - `body`: the parsed JSON body; the raw text when the body is not JSON; `undefined` when there is none.
 * - `at`: `Clock.currentTimeMillis` when the request arrived (virtual under `TestClock`).
 *
 * @since 0.1.0
 */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly at: number
}

/**
 * Records requests.
 *
 * - `record`: middleware that journals each request before passing it on (place it outermost, before faults, so a
 *   faulted request is journaled too).
 * - `entries`: everything recorded so far, oldest first.
 * - `clear`: forget everything.
 *
 * @since 0.1.0
 */
export interface Journal {
  readonly record: <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>
  readonly entries: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly clear: Effect.Effect<void>
}

const parseUrl = (url: string): Option.Option<URL> => {
  try {
    return Option.some(new URL(url, "http://simulator.invalid"))
  } catch {
    return Option.none()
  }
}

/**
 * Reads the request into a {@link RecordedRequest} (the body read is cached by the request, so the app can read it
 * again).
 *
 * @since 0.1.0
 */
export const recordOf = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<RecordedRequest> =>
  Effect.gen(function*() {
    const at = yield* Clock.currentTimeMillis
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    const url = parseUrl(request.url)
    return {
      method: request.method,
      path: Option.match(url, { onNone: () => request.url, onSome: (u) => u.pathname }),
      query: Option.match(url, { onNone: () => ({}), onSome: (u) => Object.fromEntries(u.searchParams) }),
      headers: { ...request.headers },
      body: parseLenient(text),
      at
    }
  })

/**
 * How many requests a journal keeps: the most recent ones (a simulator serving for hours must not grow without
 * bound).
 *
 * @since 0.1.0
 */
export const capacity = 10_000

/**
 * Creates an empty {@link Journal} that keeps the most recent `keep` requests. Appending is O(1): a served
 * simulator answering thousands of calls spends no more per call on its journal at the end than at the start.
 *
 * @since 0.1.0
 */
export const makeWith = (keep: number): Effect.Effect<Journal> => Effect.sync((): Journal => {
  // Fibers run on one thread: a push inside `Effect.sync` is atomic.
  let kept: Array<RecordedRequest> = []
  return {
    record: (app) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        Effect.zipRight(
          Effect.flatMap(recordOf(request), (entry) =>
            Effect.sync(() => {
              kept.push(entry)
              // Trim in batches so that trimming, too, costs O(1) per request on average.
              if (kept.length > keep + Math.ceil(keep / 10)) kept = kept.slice(kept.length - keep)
            })),
          app
        )),
    entries: Effect.sync(() => (kept.length > keep ? kept.slice(kept.length - keep) : [...kept])),
    clear: Effect.sync(() => {
      kept = []
    })
  }
})

/**
 * Creates an empty {@link Journal} that keeps the most recent {@link capacity} requests.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Journal> = makeWith(capacity)
