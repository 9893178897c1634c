/**
 * What authenticates a request, when it can change during a session: tokens that expire and are renewed, or that
 * the server stops accepting. The request engine asks for the headers at every attempt and, when the server answers
 * 401, tells the credentials which headers it sent: they renew themselves if those are still the current ones (one
 * renewal however many requests failed at once) and the request is sent once more.
 *
 * A renewing token ({@link renewing}) is renewed by one request at a time, however many calls need it:
 *
 * - **One renewal in flight.** Every call that needs a new token while a renewal runs waits for that renewal and
 *   gets its outcome: the new token, or its failure (the very same error, not a request of its own). The renewal
 *   runs in a fiber of its own: a waiting call that is interrupted, the one that started it included, does not cancel
 *   it for the others. A renewal that is itself interrupted hands its waiters the interruption and leaves nothing
 *   behind: the next call starts a new one.
 * - **A failure is kept for a while.** Calls arriving after a renewal failed get the same error at once, without a
 *   request, until the failure is old enough; then the next call renews again (one at a time, as above). So a burst of
 *   calls, or a caller retrying in a tight loop, never becomes a burst of token requests. A failure is kept 1 s, twice
 *   as long after each further failure in a row, up to 30 s — or as long as the token endpoint's `Retry-After` says,
 *   if longer (at most an hour).
 * - **Refused credentials are kept longer.** When the token endpoint refuses the password or secret itself
 *   (`AuthenticationError`, such as a 401 or OAuth2's 400 `invalid_client`; or `PermissionError`), trying it
 *   again can only count towards an account lockout: the refusal is kept 1 minute, then 2, 4, … up to 1 hour after
 *   each further failure in a row. A success starts the count again. (The first token is obtained when the session
 *   opens: its failure fails the opening.)
 * - **A refused token is not handed out again.** Once the server refused the token held, calls get the renewal's
 *   outcome (its failure while that is kept), never that token.
 *
 * @since 0.1.0
 */
import { Cause, Clock, Deferred, Duration, Effect, Exit, Option, Redacted, Ref } from "effect"
import { type ApiError, retryAfterOf } from "./Errors.js"

/** Secret header values, by lower-case header name. */
export type SecretHeaders = Readonly<Record<string, Redacted.Redacted<string>>>

/** What is about to be sent: signing credentials (OVH) cover it. */
export interface Outgoing {
  readonly method: string
  /** The absolute URL, query string included, exactly as sent. */
  readonly url: string
  /** The body text as sent; "" when there is none (or it is a stream). */
  readonly body: string
}

/** Credentials of a session. */
export interface Credentials {
  /** The headers that authenticate this attempt. */
  readonly headers: (outgoing: Outgoing) => Effect.Effect<SecretHeaders, ApiError>
  /** Which refusals renewing can cure (default: `AuthenticationError`, a 401). */
  readonly renews?: ((error: ApiError) => boolean) | undefined
  /**
   * The server refused a request sent with `sent`: renew if they are still current. Succeeds with `true` when new
   * credentials are available (the request is then sent once more), `false` when the refusal is final.
   */
  readonly rejected: (sent: SecretHeaders, error: ApiError) => Effect.Effect<boolean, ApiError>
}

/** Credentials that never change (an API key, an integration token): a 401 is final. */
export const fixed = (headers: SecretHeaders): Credentials => ({
  headers: () => Effect.succeed(headers),
  rejected: () => Effect.succeed(false)
})

/** No credentials. */
export const none: Credentials = fixed({})

/** Credentials backed by a token that expires, and how to read the token held now. */
export interface Renewing<T> {
  readonly credentials: Credentials
  /** The token in use, obtained afresh first when it has expired (or the server refused it). */
  readonly current: Effect.Effect<T, ApiError>
  /** The token held now, as is, without waiting for a renewal. */
  readonly held: Effect.Effect<T>
  /**
   * The token held once the renewal in flight, if any, has ended (whatever its outcome): what to revoke when the
   * session closes, so that a token minted during the close is not left valid behind it.
   */
  readonly afterRenewal: Effect.Effect<T>
}

/** Where the renewal of a token stands. */
type Renewal<T> =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "InFlight"; readonly done: Deferred.Deferred<T, ApiError> }
  | { readonly _tag: "Failed"; readonly cause: Cause.Cause<ApiError>; readonly until: number }

/** The token held and its renewal. */
interface State<T> {
  /** The last token obtained. */
  readonly token: T
  /** The server refused `token`: it needs renewing whatever its expiry says. */
  readonly refused: boolean
  /** Renewals that failed in a row since the last success. */
  readonly failures: number
  readonly renewal: Renewal<T>
}

/** What a call does, decided atomically on the state. */
type Step<T> =
  | { readonly _tag: "Use"; readonly token: T }
  | { readonly _tag: "Await"; readonly done: Deferred.Deferred<T, ApiError> }
  | { readonly _tag: "Start"; readonly done: Deferred.Deferred<T, ApiError> }
  | { readonly _tag: "Fail"; readonly cause: Cause.Cause<ApiError> }

const second = 1_000
const minute = 60 * second
const hour = 60 * minute

/** Errors saying the credentials themselves were refused: retrying them only counts towards a lockout. */
const isRefusal = (error: ApiError): boolean => error._tag === "AuthenticationError" || error._tag === "PermissionError"

/** How long (ms) the `failures`-th failure in a row is kept (see the module's doc). */
const keptFor = (cause: Cause.Cause<ApiError>, failures: number): number => {
  const error = Cause.failureOption(cause)
  const [first, longest] = Option.exists(error, isRefusal) ? [minute, hour] : [second, 30 * second]
  const backoff = Math.min(longest, first * 2 ** Math.min(failures - 1, 32))
  const asked = Option.match(Option.flatMap(error, retryAfterOf), { onNone: () => 0, onSome: Duration.toMillis })
  return Math.min(hour, Math.max(backoff, asked))
}

/**
 * Credentials from a token obtained by `obtain`: obtained once now, again when `expired` says so (checked against the
 * clock at every attempt), and again when the server refuses it — once, however many requests were refused together:
 * a refusal of a token that has already been replaced just sends the request again with the new one. One renewal
 * runs at a time and its outcome, success or failure, goes to every call waiting for it; a failure is kept for a
 * while (see the module's doc).
 */
export const renewing = <T>(options: {
  readonly obtain: Effect.Effect<T, ApiError>
  readonly headers: (token: T) => SecretHeaders
  readonly expired: (token: T, nowMillis: number) => boolean
}): Effect.Effect<Renewing<T>, ApiError> =>
  Effect.gen(function*() {
    const state = yield* Ref.make<State<T>>({ token: yield* options.obtain, refused: false, failures: 0, renewal: { _tag: "Idle" } })

    /** Records a renewal's outcome, then hands it to its waiters. */
    const complete = (done: Deferred.Deferred<T, ApiError>, exit: Exit.Exit<T, ApiError>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(state, (s): State<T> =>
          Exit.match(exit, {
            onSuccess: (token) => ({ token, refused: false, failures: 0, renewal: { _tag: "Idle" } }),
            onFailure: (cause) =>
              Cause.isInterruptedOnly(cause)
                ? { ...s, renewal: { _tag: "Idle" } }
                : { ...s, failures: s.failures + 1, renewal: { _tag: "Failed", cause, until: now + keptFor(cause, s.failures + 1) } }
          }))).pipe(Effect.zipRight(Deferred.done(done, exit)))

    /**
     * One renewal, forked on its own so that no waiter's interruption cancels it. It is forked from an uninterruptible
     * region, whose flags it would inherit: `obtain` is made interruptible again (its timeouts depend on it), and its
     * outcome is always recorded.
     */
    const renewal = (done: Deferred.Deferred<T, ApiError>) =>
      Effect.flatMap(Effect.exit(Effect.interruptible(options.obtain)), (exit) => complete(done, exit))

    /**
     * Runs what `decide` chose: the token as is, the outcome of the renewal in flight or of a new one, or the failure
     * kept. Deciding and starting are one uninterruptible step, so the state never says "in flight" without a renewal.
     */
    const run = (decide: (s: State<T>, now: number, fresh: () => Deferred.Deferred<T, ApiError>) => readonly [Step<T>, State<T>]) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const id = yield* Effect.fiberId
          const step = yield* Ref.modify(state, (s) => decide(s, now, () => Deferred.unsafeMake<T, ApiError>(id)))
          switch (step._tag) {
            case "Use":
              return step.token
            case "Fail":
              return yield* Effect.failCause(step.cause)
            case "Start":
              yield* Effect.forkDaemon(renewal(step.done))
              return yield* restore(Deferred.await(step.done))
            case "Await":
              return yield* restore(Deferred.await(step.done))
          }
        })
      )

    /** The renewal's step for a call that needs a fresh token (or, when `refusal`, was refused the one held). */
    const renew = (s: State<T>, now: number, fresh: () => Deferred.Deferred<T, ApiError>, refusal: boolean): readonly [Step<T>, State<T>] => {
      const refused = s.refused || refusal
      if (s.renewal._tag === "InFlight") return [{ _tag: "Await", done: s.renewal.done }, { ...s, refused }]
      if (!refused && !options.expired(s.token, now)) return [{ _tag: "Use", token: s.token }, s]
      if (s.renewal._tag === "Failed" && now < s.renewal.until) return [{ _tag: "Fail", cause: s.renewal.cause }, { ...s, refused }]
      const done = fresh()
      return [{ _tag: "Start", done }, { ...s, refused, renewal: { _tag: "InFlight", done } }]
    }

    const current = run((s, now, fresh) => renew(s, now, fresh, false))
    const isHeld = (sent: SecretHeaders, token: T) =>
      Object.entries(options.headers(token)).every(([name, value]) => {
        const refused = sent[name]
        return refused !== undefined && Redacted.value(refused) === Redacted.value(value)
      })
    return {
      current,
      held: Effect.map(Ref.get(state), (s) => s.token),
      afterRenewal: Effect.flatMap(Ref.get(state), (s) =>
        s.renewal._tag === "InFlight"
          ? Effect.zipRight(Effect.exit(Deferred.await(s.renewal.done)), Effect.map(Ref.get(state), (after) => after.token))
          : Effect.succeed(s.token)),
      credentials: {
        headers: () => Effect.map(current, options.headers),
        rejected: (sent) =>
          Effect.as(
            run((s, now, fresh) => isHeld(sent, s.token) ? renew(s, now, fresh, true) : [{ _tag: "Use", token: s.token }, s]),
            true
          )
      }
    }
  })
