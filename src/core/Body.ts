/**
 * Reading response bodies within bounds: a buffered body is never longer than a limit (a declared length over it is
 * refused before reading; an undeclared one is counted as it arrives and cut off at the limit), and a streamed body
 * fails when it stalls.
 *
 * @since 0.1.0
 */
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { type Duration, Effect, Predicate, Stream } from "effect"

/** The default limit of a buffered response body: 64 MiB. */
export const defaultMaxBytes = 64 * 1024 * 1024

/** The length a response declares (`Content-Length`), when it declares a valid one. */
export const declaredLength = (headers: Readonly<Record<string, string | undefined>>): number | undefined => {
  const text = headers["content-length"]
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined
  return Number(text)
}

/**
 * The body as text, at most `limit` bytes; `tooLarge` is the failure beyond. A declared length within the limit is
 * read in one piece (HTTP framing then ends the body there); otherwise chunks are counted as they arrive.
 */
export const readText = <E>(
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  tooLarge: () => E
): Effect.Effect<string, HttpClientError.ResponseError | E> => {
  const declared = declaredLength(response.headers)
  if (declared !== undefined) return declared > limit ? Effect.fail(tooLarge()) : response.text
  const read = Effect.map(
    Stream.runFoldEffect(
      response.stream,
      { size: 0, chunks: new Array<Uint8Array>() },
      (read, chunk): Effect.Effect<{ size: number; chunks: Array<Uint8Array> }, E> => {
        if (read.size + chunk.length > limit) return Effect.fail(tooLarge())
        read.chunks.push(chunk)
        read.size += chunk.length
        return Effect.succeed(read)
      }
    ),
    ({ chunks, size }) => {
      if (chunks.length === 1 && chunks[0] !== undefined) return new TextDecoder().decode(chunks[0])
      const all = new Uint8Array(size)
      let at = 0
      for (const chunk of chunks) {
        all.set(chunk, at)
        at += chunk.length
      }
      return new TextDecoder().decode(all)
    }
  )
  // A response without a body at all (204, 304, or a web `Response` made with `null`) reads as "".
  return Effect.catchIf(
    read,
    (error): error is HttpClientError.ResponseError =>
      Predicate.isTagged(error, "ResponseError") && Predicate.hasProperty(error, "reason") && error.reason === "EmptyBody",
    () => Effect.succeed("")
  )
}

/** A streamed body that fails with `stalled` when no chunk arrives for `idle`. */
export const withIdleTimeout = <A, E, E2, R>(
  body: Stream.Stream<A, E, R>,
  idle: Duration.Duration,
  stalled: () => E2
): Stream.Stream<A, E | E2, R> => Stream.timeoutFail(body, stalled, idle)

/** Bytes to send: a stream, an async iterable (a Node `fs.createReadStream`, a fetch body…) or one buffer. */
export type ByteSource = Stream.Stream<Uint8Array, unknown> | AsyncIterable<Uint8Array> | Uint8Array

/** The bytes of a source as a stream (an async iterable's failure is the stream's). */
export const byteStream = (source: ByteSource): Stream.Stream<Uint8Array, unknown> =>
  source instanceof Uint8Array
    ? Stream.make(source)
    : Symbol.asyncIterator in source
    ? Stream.fromAsyncIterable(source, (error) => error)
    : source
