/**
 * What authenticates a request, when it can change during a session: tokens that expire and are renewed, or that
 * the server stops accepting. The request engine asks for the headers at every attempt and, when the server answers
 * 401, tells the credentials which headers it sent: they renew themselves if those are still the current ones (one
 * renewal however many requests failed at once) and the request is sent once more.
 *
 * @since 0.1.0
 */
import { Effect, type Redacted } from "effect"
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
