/**
 * The consumer-key flow: build access rules, ask OVH for a consumer key (unsigned `POST /auth/credential`), send
 * the user to `validationUrl`, and wait until they have validated it (polling `GET /auth/currentCredential` on a
 * `Schedule`, signed with the new key).
 *
 * @since 0.1.0
 */
import { Data, type Duration, Effect, Redacted, Schedule, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Waiting from "../core/Waiting.js"
import { ApiCredential, CredentialState, current } from "./ApiCredentials.js"
import { OvhClient, type OvhClientService } from "./Client.js"
import type { OvhConfig } from "./Config.js"

/** `auth.CredentialStateEnum`, defined with the credentials it describes. */
export { CredentialState } from "./ApiCredentials.js"

/** An HTTP method of an access rule. */
export type RuleMethod = "GET" | "POST" | "PUT" | "DELETE"

/** One access rule: a method on a path (`*` wildcards allowed). */
export interface AccessRule {
  readonly method: RuleMethod
  readonly path: string
}

/** Read-only access. */
export const readOnly: ReadonlyArray<RuleMethod> = ["GET"]
/** Full access. */
export const readWrite: ReadonlyArray<RuleMethod> = ["GET", "POST", "PUT", "DELETE"]
/** Everything but DELETE. */
export const readWriteSafe: ReadonlyArray<RuleMethod> = ["GET", "POST", "PUT"]

/** One rule per method on `path`. */
export const rules = (methods: ReadonlyArray<RuleMethod>, path: string): ReadonlyArray<AccessRule> =>
  methods.map((method) => ({ method, path }))

/**
 * Rules on `path` and everything under it: `/sms` gives `/sms` and `/sms/*` (the root call is commonly forgotten);
 * `/` gives `/*`. Trailing `*`, `/` and spaces are dropped first, as the Python client does.
 */
export const recursiveRules = (methods: ReadonlyArray<RuleMethod>, path: string): ReadonlyArray<AccessRule> => {
  const root = path.replace(/[*/ ]+$/, "")
  return [...(root === "" ? [] : rules(methods, root)), ...rules(methods, `${root}/*`)]
}

/** The answer of `POST /auth/credential`. */
export const CredentialRequest = Schema.Struct({
  state: CredentialState,
  consumerKey: Schema.Redacted(Schema.String),
  validationUrl: Schema.String
})

/** The answer of `POST /auth/credential`. */
export interface CredentialRequest extends Schema.Schema.Type<typeof CredentialRequest> {}

/** `GET /auth/currentCredential`: the `auth.ApiCredential` model (see `ApiCredentials.ApiCredential`). */
export const CurrentCredential = ApiCredential

/** `GET /auth/currentCredential`: the credential as decoded. */
export interface CurrentCredential extends ApiCredential {}

/** The user refused the key, or it expired before they validated it. */
export class CredentialNotValidated extends Data.TaggedError("CredentialNotValidated")<{ readonly state: string }> {
  override get message(): string {
    return `the consumer key was not validated (${this.state})`
  }
}

/** Asks OVH for a consumer key with these rules; the user must open `validationUrl` to validate it. */
export const request = (
  client: OvhClientService,
  options: { readonly accessRules: ReadonlyArray<AccessRule>; readonly redirection?: string; readonly allowedIPs?: ReadonlyArray<string> }
): Effect.Effect<CredentialRequest, ApiError> =>
  client.post("/auth/credential", {
    accessRules: options.accessRules,
    ...(options.redirection === undefined ? {} : { redirection: options.redirection }),
    ...(options.allowedIPs === undefined ? {} : { allowedIPs: options.allowedIPs })
  }, CredentialRequest, { unauthenticated: true })

/** The configuration with a new consumer key (for a client that calls with it). */
export const withConsumerKey = (config: OvhConfig, consumerKey: Redacted.Redacted<string>): OvhConfig =>
  config.credentials.type === "signature" ? { ...config, credentials: { ...config.credentials, consumerKey } } : config

/**
 * Polls `GET /auth/currentCredential` with a client using the new key until it is validated (a 403 means "not yet");
 * fails with {@link CredentialNotValidated} when it is refused or expired, and with `WaitTimeoutError` at the deadline.
 */
export const awaitValidation = (
  client: OvhClientService,
  options: { readonly interval?: Duration.DurationInput; readonly timeout?: Duration.DurationInput } = {}
): Effect.Effect<CurrentCredential, ApiError | CredentialNotValidated | Waiting.WaitTimeoutError> =>
  Effect.flatMap(
    Waiting.until({
      subject: "consumer key validation",
      poll: Effect.provideService(current, OvhClient, client).pipe(
        Effect.map((credential) => ({ state: credential.status, credential })),
        Effect.catchIf((error) => error._tag === "PermissionError" || error._tag === "AuthenticationError", () =>
          Effect.succeed({ state: "pendingValidation" as const, credential: undefined }))
      ),
      isTerminal: (s) => s.state !== "pendingValidation",
      schedule: Schedule.spaced(options.interval ?? "5 seconds"),
      timeout: options.timeout ?? "10 minutes",
      describe: (s) => s.state
    }),
    (s) => (s.state === "validated" && s.credential !== undefined ? Effect.succeed(s.credential) : Effect.fail(new CredentialNotValidated({ state: s.state })))
  )
