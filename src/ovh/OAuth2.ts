/**
 * OAuth2 client credentials (OVH "service accounts"): the client id and secret buy a bearer token at the endpoint's
 * token URL (form `grant_type=client_credentials`, scope `all`); calls then carry `Authorization: Bearer …` and no
 * signature. There is no refresh token: a new one is bought 10 seconds before the old one expires, and when the
 * API refuses it.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Clock, Duration, Effect, Redacted, Schema, type Scope } from "effect"
import type { ClientOptions } from "../core/Configuration.js"
import * as Credentials from "../core/Credentials.js"
import { type ApiError, InvalidInputError } from "../core/Errors.js"
import * as Path from "../core/Path.js"
import * as RestClient from "../core/RestClient.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { errorBody, requestIdHeaders } from "./ErrorBody.js"

/** The token endpoint's answer. */
export const TokenResponse = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  token_type: Schema.String,
  /** Seconds the token lives. */
  expires_in: Schema.Number,
  scope: Schema.optional(Schema.String)
})

/** A bearer token and when it expires (epoch milliseconds). */
export interface AccessToken {
  readonly value: Redacted.Redacted<string>
  readonly expiresAt: number
}

/** How long before its expiry a token is replaced. */
export const renewalMargin: Duration.Duration = Duration.seconds(10)

/** Credentials that buy bearer tokens at `tokenUrl` with the client id and secret. */
export const credentials = (
  api: string,
  tokenUrl: string | undefined,
  client: { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> },
  settings: Pick<ClientOptions, "transformClient" | "userAgent"> = {}
): Effect.Effect<Credentials.Renewing<AccessToken>, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const url = tokenUrl !== undefined && URL.canParse(tokenUrl) ? new URL(tokenUrl) : undefined
    if (url === undefined) {
      return yield* new InvalidInputError({
        api,
        parameter: "endpoint",
        message: tokenUrl === undefined ? "this endpoint offers no OAuth2" : `the OAuth2 token URL "${tokenUrl}" is not a URL`
      })
    }
    const rest = yield* RestClient.make({
      api,
      baseUrl: `${url.origin}/`,
      caller: `${url.origin}${url.pathname} ${client.clientId}`,
      retry: RetryPolicy.defaultPolicy,
      timeout: "30 seconds",
      transformClient: settings.transformClient,
      userAgent: settings.userAgent,
      errorBody,
      requestIdHeaders
    })
    // The documented form: the secret travels in the body (never in a URL, a header or an error).
    const form = new TextEncoder().encode(
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: client.clientId,
          client_secret: Redacted.value(client.clientSecret),
          scope: "all"
        }).toString()
    )
    const obtain: Effect.Effect<AccessToken, ApiError> = rest.json({
      method: "POST",
      path: Path.literal(url.pathname.slice(1)),
      content: { body: form, contentType: "application/x-www-form-urlencoded" },
      // Buying a spare token is harmless: the request may be sent again.
      replaySafe: true,
      cache: false
    }, TokenResponse).pipe(
      Effect.flatMap((token) =>
        Effect.map(Clock.currentTimeMillis, (now): AccessToken => ({ value: token.access_token, expiresAt: now + token.expires_in * 1000 }))
      ),
      Effect.withSpan("ovh oauth2 token", { attributes: { "server.address": url.origin } })
    )
    return yield* Credentials.renewing({
      obtain,
      headers: (token) => ({ authorization: Redacted.make(`Bearer ${Redacted.value(token.value)}`) }),
      expired: (token, now) => now >= token.expiresAt - Duration.toMillis(renewalMargin)
    })
  })
