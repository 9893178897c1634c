/**
 * A Keystone v3 session: the token that authenticates every OpenStack call, and the service catalog that gives
 * every other service's URL.
 *
 * The token is obtained when the session opens, renewed before it expires (within keystoneauth's 120 s margin)
 * and when a service refuses it (401) — one renewal however many calls were refused at once — and revoked when
 * the session's scope closes (given up after 10 s, or the per-attempt timeout if shorter: closing never hangs).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { DateTime, Duration, Effect, Either, Fiber, Redacted, type Scope } from "effect"
import * as Credentials from "../core/Credentials.js"
import { type ApiError, DecodeError, DecodeIssue } from "../core/Errors.js"
import { digest } from "../core/Caller.js"
import * as Path from "../core/Path.js"
import * as RestClient from "../core/RestClient.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import type { Auth, OpenStackOptions } from "./Config.js"
import { errorBody, requestIdHeaders, secretHeaders } from "./ErrorBody.js"
import { authRequest, endpointUrl, needsRenewal, type Token, TokenResponse, v3Root } from "./KeystoneV3.js"
import type { Identity } from "./Session.js"

/** The API name in errors and spans. */
export const api = "openstack"

/** A token and its secret value. */
export interface CurrentToken {
  readonly value: Redacted.Redacted<string>
  readonly token: Token
}

/**
 * A Keystone session: the session's {@link Identity} — its caller digest (auth URL, user, scope), `X-Auth-Token`
 * renewed as needed, and the catalog's endpoints with the session's interface and region — and the token itself.
 */
export interface KeystoneSession extends Identity {
  readonly options: OpenStackOptions
  /** Keystone v3's root URL (`…/v3/`). */
  readonly identityUrl: string
  /** The current token (renewed first if it is about to expire). */
  readonly token: Effect.Effect<Token, ApiError>
}

/** Who is calling, without a secret: the same person and scope give the same digest. */
const whoOf = (authUrl: string, auth: Auth): string => {
  switch (auth.type) {
    case "password":
      return digest(authUrl, JSON.stringify([auth.user, auth.scope ?? null]))
    case "application_credential":
      return digest(authUrl, JSON.stringify(auth.credential))
    case "token":
      return digest(authUrl, auth.token, JSON.stringify(auth.scope ?? null))
  }
}

/** Opens a Keystone session: authenticates now; revokes the token when the scope closes. */
export const make = (
  options: OpenStackOptions,
  settings: { readonly retry?: RetryPolicy.RetryPolicy; readonly timeout?: Duration.DurationInput } = {}
): Effect.Effect<KeystoneSession, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const identityUrl = v3Root(options.authUrl)
    const rest = yield* RestClient.make({
      api,
      baseUrl: identityUrl,
      caller: "keystone",
      retry: settings.retry ?? options.retry ?? RetryPolicy.defaultPolicy,
      timeout: settings.timeout ?? options.timeout ?? "30 seconds",
      transformClient: options.transformClient,
      userAgent: options.userAgent,
      errorBody,
      requestIdHeaders,
      secretHeaders
    })

    const authenticate: Effect.Effect<CurrentToken, ApiError> = Effect.flatMap(
      rest.exchange({
        method: "POST",
        path: Path.literal("auth/tokens"),
        body: authRequest(options.auth),
        // Minting a spare token is harmless: the request may be sent again.
        replaySafe: true,
        cache: false
      }, TokenResponse),
      ({ response, value }) => {
        const subject = response.headers["x-subject-token"]
        return subject === undefined || subject === ""
          ? Effect.fail(
            new DecodeError({
              api,
              method: "POST",
              url: `${identityUrl}auth/tokens`,
              status: response.status,
              message: "Keystone answered without an X-Subject-Token header",
              issues: [new DecodeIssue({ path: ["X-Subject-Token"], message: "is missing" })]
            })
          )
          : Effect.succeed({ value: Redacted.make(subject), token: value.token })
      }
    ).pipe(Effect.withSpan("openstack authenticate", { attributes: { "server.address": identityUrl } }))

    const { credentials, current, held: holding, afterRenewal } = yield* Credentials.renewing({
      obtain: authenticate,
      headers: (held) => ({ "x-auth-token": held.value }),
      expired: (held, now) => needsRenewal(held.token, DateTime.unsafeMake(now))
    })

    // Closing never waits on Keystone for long: the revocation gets one attempt, within the per-attempt timeout or
    // 10 s, whichever is shorter, and is given up (logged at debug level) rather than failing or holding the close.
    const revocationTimeout = Duration.min(Duration.decode(rest.options.timeout), Duration.seconds(10))
    // The token to revoke is the one held once a renewal under way has ended (within the same bound): a token minted
    // while the session closes is revoked, not left valid.
    const toRevoke = Effect.orElse(Effect.timeout(afterRenewal, revocationTimeout), () => holding)
    const revoke = toRevoke.pipe(
      Effect.flatMap((held) =>
        rest.send({
          method: "DELETE",
          path: Path.literal("auth/tokens"),
          headers: { "x-auth-token": Redacted.value(held.value), "x-subject-token": Redacted.value(held.value) },
          retry: RetryPolicy.none,
          timeout: revocationTimeout
        })
      ),
      Effect.asVoid,
      Effect.catchAll((error) =>
        Effect.logDebug(
          error._tag === "TimeoutError"
            ? `revoking the token was given up: Keystone did not answer within ${Duration.format(revocationTimeout)}`
            : `revoking the token failed: ${error.message}`
        )
      )
    )
    // A finalizer cannot be interrupted, so a timeout inside it could never fire; and the fiber closing the scope may
    // itself be interrupted. The revocation runs in a fiber of its own where interruption (and so its timeout) works.
    yield* Effect.addFinalizer(() => Effect.flatMap(Effect.fork(Effect.interruptible(revoke)), Fiber.join))

    return {
      options,
      identityUrl,
      caller: whoOf(options.authUrl, options.auth),
      credentials,
      token: Effect.map(current, (held) => held.token),
      endpoint: (serviceType) =>
        Effect.flatMap(current, (held) =>
          Either.match(endpointUrl(held.token.catalog, serviceType, { interface: options.interface, region: options.region }), {
            onLeft: Effect.fail,
            onRight: Effect.succeed
          }))
    }
  })
