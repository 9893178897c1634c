/**
 * The account's API credentials (`/me/api/credential`) and the one in use (`GET /auth/currentCredential`), decoded
 * against the API schema's `auth.ApiCredential` and `auth.ApiApplication` models.
 *
 * Enumerations read back (`status`, a rule's `method`) are plain strings: OVH adds values over time.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import { nullable } from "../core/Fields.js"
import * as Path from "../core/Path.js"
import { OvhClient } from "./Client.js"

/** `auth.CredentialStateEnum`: where a credential stands. */
export const CredentialState = Schema.Literal("expired", "pendingValidation", "refused", "validated")

/** `auth.AccessRule`: a method on a path (`*` wildcards allowed) the credential may call. */
export const AccessRule = Schema.Struct({ method: Schema.String, path: Schema.String })

/** `auth.ApiCredential`: one consumer key's grant (the key itself is never shown). */
export const ApiCredential = Schema.Struct({
  credentialId: Schema.Number,
  applicationId: Schema.Number,
  /** `expired`, `pendingValidation`, `refused` or `validated`. */
  status: Schema.String,
  creation: Schema.Date,
  expiration: nullable(Schema.Date),
  lastUse: nullable(Schema.Date),
  ovhSupport: Schema.Boolean,
  rules: Schema.Array(AccessRule),
  /** The CIDR blocks allowed to call with it; `null` means anywhere. */
  allowedIPs: nullable(Schema.Array(Schema.String))
})

/** A credential as decoded. */
export interface ApiCredential extends Schema.Schema.Type<typeof ApiCredential> {}

/** `auth.ApiApplication`: the application a credential was issued to. */
export const ApiApplication = Schema.Struct({
  applicationId: Schema.Number,
  /** The public application key (`X-Ovh-Application`). */
  applicationKey: Schema.String,
  name: Schema.String,
  description: Schema.String,
  /** `active`, `blocked`, `inactive` or `trusted`. */
  status: Schema.String
})

/** An application as decoded. */
export interface ApiApplication extends Schema.Schema.Type<typeof ApiApplication> {}

/** Which credentials to list; all of them by default. */
export interface CredentialFilter {
  readonly status?: Schema.Schema.Type<typeof CredentialState> | undefined
  readonly applicationId?: number | undefined
}

/** The path parameter of a credential id. */
const byId = (credentialId: number) => ({ credentialId: String(credentialId) })

/** The ids of the account's credentials (`GET /me/api/credential`). */
export const list = (filter: CredentialFilter = {}): Effect.Effect<ReadonlyArray<number>, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get("/me/api/credential", { status: filter.status, applicationId: filter.applicationId }, Schema.Array(Schema.Number))
  )

/** One credential by id (`GET /me/api/credential/{credentialId}`). */
export const get = (credentialId: number): Effect.Effect<ApiCredential, ApiError, OvhClient> =>
  Effect.flatMap(OvhClient, (ovh) => ovh.get(Path.make("/me/api/credential/{credentialId}", byId(credentialId)), undefined, ApiCredential))

/** The application a credential was issued to (`GET /me/api/credential/{credentialId}/application`). */
export const application = (credentialId: number): Effect.Effect<ApiApplication, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/me/api/credential/{credentialId}/application", byId(credentialId)), undefined, ApiApplication)
  )

/** Revokes a credential: its consumer key stops working (`DELETE /me/api/credential/{credentialId}`). */
export const revoke = (credentialId: number): Effect.Effect<void, ApiError, OvhClient> =>
  Effect.flatMap(OvhClient, (ovh) => Effect.asVoid(ovh.delete(Path.make("/me/api/credential/{credentialId}", byId(credentialId)))))

/** The credential this session calls with (`GET /auth/currentCredential`). */
export const current: Effect.Effect<ApiCredential, ApiError, OvhClient> = Effect.flatMap(
  OvhClient,
  (ovh) => ovh.get("/auth/currentCredential", undefined, ApiCredential, { cache: false })
)
