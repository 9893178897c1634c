/**
 * What authenticates a request, when it can change during a session: tokens that expire and are renewed, or that
 * the server stops accepting. The request engine asks for the headers at every attempt and, when the server answers
 * 401, tells the credentials which headers it sent: they renew themselves if those are still the current ones (one
 * renewal however many requests failed at once) and the request is sent once more.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Redacted, SynchronizedRef } from "effect"
import type { ApiError } from "./Errors.js"

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
  /** The token in use, obtained afresh first when it has expired. */
  readonly current: Effect.Effect<T, ApiError>
  /** The token held now, as is (to revoke it when the session closes). */
  readonly held: Effect.Effect<T>
}

/**
 * Credentials from a token obtained by `obtain`: obtained once now, again when `expired` says so (checked against the
 * clock at every attempt), and again when the server refuses it — once, however many requests were refused together:
 * a refusal of a token that has already been replaced just sends the request again with the new one.
 */
export const renewing = <T>(options: {
  readonly obtain: Effect.Effect<T, ApiError>
  readonly headers: (token: T) => SecretHeaders
  readonly expired: (token: T, nowMillis: number) => boolean
}): Effect.Effect<Renewing<T>, ApiError> =>
  Effect.gen(function*() {
    const state = yield* SynchronizedRef.make(yield* options.obtain)
    const current = SynchronizedRef.updateAndGetEffect(state, (token) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => options.expired(token, now) ? options.obtain : Effect.succeed(token)))
    const isHeld = (sent: SecretHeaders, token: T) =>
      Object.entries(options.headers(token)).every(([name, value]) => {
        const refused = sent[name]
        return refused !== undefined && Redacted.value(refused) === Redacted.value(value)
      })
    return {
      current,
      held: SynchronizedRef.get(state),
      credentials: {
        headers: () => Effect.map(current, options.headers),
        rejected: (sent) =>
          SynchronizedRef.modifyEffect(state, (token) =>
            isHeld(sent, token)
              ? Effect.map(options.obtain, (fresh) => [true, fresh] as const)
              : Effect.succeed([true, token] as const))
      }
    }
  })
