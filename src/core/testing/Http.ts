/**
 * Request plumbing every API simulator needs: the absolute URL of a request (to build links and catalogs on the
 * request's own origin) and atomic state steps.
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "@effect/platform"
import { Effect, Either, Ref } from "effect"

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
 * Runs a pure step against the latest state atomically: on Right the new state is stored and the value returned,
 * on Left nothing changes and the error is raised.
 *
 * @since 0.1.0
 */
export const transact = <S, A, E>(
  state: Ref.Ref<S>,
  f: (state: S) => Either.Either<readonly [A, S], E>
): Effect.Effect<A, E> =>
  Effect.flatMap(
    Ref.modify(state, (current): readonly [Either.Either<A, E>, S] =>
      Either.match(f(current), {
        onLeft: (error) => [Either.left(error), current],
        onRight: ([value, next]) => [Either.right(value), next]
      })),
    Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })
  )
