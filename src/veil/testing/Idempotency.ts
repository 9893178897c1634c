/**
 * `idempotency_key` handling (veil.md §1.6): the vendor's Python client puts a fresh key into every POST body and
 * resends the same key when it retries. The simulator remembers the answer given to each key and answers a repeat
 * with the very same response (status and body) without doing the work again — so a retried create never makes a
 * second VM. Mutating requests are serialised so a key is checked and stored atomically.
 *
 * @since 0.1.0
 */
import { HttpServerRequest, type HttpApp, type HttpServerResponse } from "@effect/platform"
import { Effect, Option, Ref } from "effect"
import { authorize } from "./Auth.js"
import { badRequest, toResponse } from "./Errors.js"
import { isObject } from "../../core/testing/Json.js"

/**
 * One remembered answer.
 *
 * @since 0.1.0
 */
export interface RememberedResponse {
  readonly method: string
  readonly path: string
  readonly response: HttpServerResponse.HttpServerResponse
}

/**
 * The idempotency store and its middleware.
 *
 * @since 0.1.0
 */
export interface Idempotency {
  readonly middleware: <E, R>(app: HttpApp.Default<E, R>) => HttpApp.Default<E, R>
  readonly keys: Effect.Effect<ReadonlyArray<string>>
}

const keyOf = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Option.Option<string>> =>
  Effect.map(Effect.orElseSucceed(request.text, () => ""), (text) => {
    try {
      const body: unknown = JSON.parse(text)
      return isObject(body) && typeof body["idempotency_key"] === "string" && body["idempotency_key"] !== ""
        ? Option.some(body["idempotency_key"])
        : Option.none()
    } catch {
      return Option.none()
    }
  })

const pathOf = (url: string): string => {
  try {
    return new URL(url, "http://simulator.invalid").pathname
  } catch {
    return url
  }
}

/**
 * Creates the store for one simulator accepting `token`. Only authorised POSTs with a key take part; answers with a
 * status below 500 are remembered. A key reused for a different method or path is a 400.
 *
 * @since 0.1.0
 */
export const makeIdempotency = (token: string): Effect.Effect<Idempotency> =>
  Effect.gen(function*() {
    const store = yield* Ref.make<ReadonlyMap<string, RememberedResponse>>(new Map())
    const mutex = yield* Effect.makeSemaphore(1)
    const middleware = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        if (request.method === "GET" || request.method === "HEAD") return app
        return mutex.withPermits(1)(
          Effect.gen(function*() {
            if (request.method !== "POST" || Option.isSome(authorize(request.headers.authorization, token))) {
              return yield* app
            }
            const key = yield* keyOf(request)
            if (Option.isNone(key)) return yield* app
            const path = pathOf(request.url)
            const seen = (yield* Ref.get(store)).get(key.value)
            if (seen !== undefined) {
              return seen.method === request.method && seen.path === path
                ? seen.response
                : toResponse(badRequest(`idempotency_key ${key.value} was already used for another request.`))
            }
            const response = yield* app
            if (response.status < 500) {
              yield* Ref.update(store, (map) =>
                new Map([...map, [key.value, { method: request.method, path, response }]]))
            }
            return response
          })
        )
      })
    return { middleware, keys: Effect.map(Ref.get(store), (map) => [...map.keys()]) }
  })
