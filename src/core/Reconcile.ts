/**
 * Creates that are never sent twice, for APIs without an idempotency key (Nova, Cinder, …): the client makes its own
 * — a fresh marker the created thing carries (in its metadata, say) — and sends the create once. A failure that
 * leaves open whether the server acted (a timeout, a connection lost after sending, a 5xx, a 2xx answer that cannot
 * be read) is not answered by sending again, since the first may still be running: the client looks for the thing
 * carrying the marker at once, then every `interval` (default 2 s) until `window` (default 60 s) has passed, answers
 * it when it appears, and otherwise fails with `OutcomeUnknownError` carrying the marker. The create is sent again
 * only after a failure that proves nothing was done (the connection was never made; a 429), under the retry policy.
 *
 * @since 0.1.0
 */
import { Duration, Effect, Option, Schedule } from "effect"
import { type ApiError, OutcomeUnknownError, wasNotSent } from "./Errors.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * How a create looks for what it made, by its marker, after a failure that leaves open whether the server made it: a
 * lookup at once, then every `interval` (default 2 s) until `window` (default 60 s) has passed since the failure.
 */
export interface ReconcileOptions {
  readonly interval?: Duration.DurationInput | undefined
  readonly window?: Duration.DurationInput | undefined
}

/** The errors after which the server may have acted, or may still be acting. */
export type Ambiguous = Extract<
  ApiError,
  { readonly _tag: "TimeoutError" | "TransportError" | "ServerError" | "UnavailableError" | "DecodeError" | "ResponseTooLargeError" }
>

/**
 * A timeout, a transport failure not proven to precede sending, a 5xx, or a 2xx answer that could not be read: the
 * create may have been carried out.
 */
export const isAmbiguous = (error: ApiError): error is Ambiguous => {
  switch (error._tag) {
    case "TimeoutError":
    case "ServerError":
    case "UnavailableError":
    case "DecodeError":
    case "ResponseTooLargeError":
      return true
    case "TransportError":
      return !wasNotSent(error)
    default:
      return false
  }
}

/** A failure that proves nothing was done: the request never left, or the server refused it for the rate (429). */
export const nothingDone = (error: ApiError): boolean => wasNotSent(error) || error._tag === "RateLimitedError"

/** What {@link createOnce} needs: one attempt, a lookup by the marker, and the words of its error. */
export interface CreateOnce<A, F> {
  /** Who makes the thing, in the error (`Nova`). */
  readonly service: string
  /** What is made, in the error (`server`). */
  readonly what: string
  /** The marker the create carries, and where it shows (`metadata client-request-id=<marker>`). */
  readonly marker: string
  readonly markedAs: string
  /** One attempt: the engine must not send it again (not replay-safe, or `retry: none`). */
  readonly send: Effect.Effect<A, ApiError>
  /** The thing carrying the marker, if there is one now (a failed lookup is logged and counts as none found). */
  readonly find: Effect.Effect<Option.Option<A>, F>
  /** Re-sends after failures that prove nothing was done. */
  readonly retry: RetryPolicy.RetryPolicy
  readonly reconcile?: ReconcileOptions | undefined
}

/** Sends a create once, reconciling it by its marker after an ambiguous failure (see the module doc). */
export const createOnce = <A, F extends { readonly message: string }>(create: CreateOnce<A, F>): Effect.Effect<A, ApiError> => {
  const interval = Duration.decode(create.reconcile?.interval ?? "2 seconds")
  const window = Duration.decode(create.reconcile?.window ?? "60 seconds")
  const found = create.find.pipe(
    Effect.tapError((error) => Effect.logDebug(`looking for the ${create.what} by its marker failed: ${error.message}`)),
    Effect.orElseSucceed(() => Option.none<A>())
  )
  // A lookup at once, then every `interval` until `window` has passed; answers the last lookup's result.
  const lookups = Schedule.spaced(interval).pipe(
    Schedule.upTo(window),
    Schedule.whileInput((made: Option.Option<A>) => Option.isNone(made)),
    Schedule.passthrough
  )
  const reconcile = (failure: Ambiguous): Effect.Effect<A, OutcomeUnknownError> =>
    Effect.flatMap(
      Effect.repeat(found, lookups),
      Option.match({
        onSome: (made) => Effect.as(Effect.logDebug(`found the ${create.what} made by an unanswered create (${failure._tag})`), made),
        onNone: () =>
          Effect.fail(
            new OutcomeUnknownError({
              api: failure.api,
              method: failure.method,
              url: failure.url,
              ...(failure.status === undefined ? {} : { status: failure.status }),
              ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
              message: `${failure.method} ${failure.url}: it is unknown whether ${create.service} made the ${create.what} ` +
                `(${failure.message}); no ${create.what} carrying ${create.markedAs} appeared within ` +
                `${Duration.format(window)}, and the create was not sent again: look for the marker before creating again`,
              marker: create.marker,
              after: failure._tag
            })
          )
      })
    ).pipe(Effect.withSpan(`${failure.api} reconcile ${create.what} create`))
  const attempt = Effect.catchIf(create.send, isAmbiguous, reconcile)
  return Effect.retry(attempt, RetryPolicy.schedule(create.retry, true).pipe(Schedule.whileInput(nothingDone)))
}
