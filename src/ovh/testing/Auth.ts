/**
 * The simulator's authentication, checked in this order (OVH does not document its own):
 *
 * 1. `Authorization: Bearer …` — a token from the OAuth2 endpoint, unexpired (else 401); it grants every call.
 * 2. Otherwise `X-Ovh-Application`, `X-Ovh-Consumer`, `X-Ovh-Timestamp` and `X-Ovh-Signature` must all be there
 *    (else 401 "You must login first"); the application key must exist (403 `INVALID_KEY`); the timestamp must be
 *    within the window of the server's clock (400 `QUERY_TIME_OUT`); the consumer key must exist for that
 *    application (403 `NOT_CREDENTIAL`) and be validated and unexpired (403 `INVALID_CREDENTIAL`; only
 *    `GET /auth/currentCredential` answers for a key in any state, with that state); the signature must
 *    be the one OVH computes (400 `INVALID_SIGNATURE`); and one access rule must grant the method on the path (403
 *    `NOT_GRANTED_CALL`; `/auth/…` calls need no rule).
 *
 * The signature is checked over the URL as the client addressed it: `http` or `https`, with or without the port —
 * behind TLS or a proxy the simulator cannot know which scheme the client believes in, and the official Node client
 * signs `https://host/…` without its port.
 *
 * @since 0.1.0
 */
import { Effect, Either, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as Store from "../../core/testing/Store.js"
import { sign } from "../Signature.js"
import { apiError, badRequest, notFound, Refusal, SimError } from "./Errors.js"
import { type Caller, type Ctx, type Env, json, route, type Route } from "./Http.js"
import { type ApplicationRecord, type CredentialRecord, ovhDate, replaceAt } from "./State.js"

/**
 * A fresh random key of `length` letters and digits.
 *
 * @since 0.1.0
 */
export const randomKey = (length: number): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("")
}

/**
 * The server's clock in UNIX seconds.
 *
 * @since 0.1.0
 */
export const serverTime = (now: number, clockSkewSeconds: number): number => Math.floor(now / 1000) + clockSkewSeconds

/**
 * Whether an access-rule path (`/me`, `/me/*`, `/sms/*` + `/jobs`) covers `path`: `*` stands for anything, `/` included.
 *
 * @since 0.1.0
 */
export const ruleCovers = (rulePath: string, path: string): boolean =>
  new RegExp(`^${rulePath.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(path)

/** The URLs a client may have signed for a request received as `signedUrl` on `host`. */
const signedUrls = (host: string, signedUrl: string): ReadonlyArray<string> => {
  const hostname = host.replace(/:\d+$/, "")
  return ["http", "https"].flatMap((scheme) => [`${scheme}://${host}${signedUrl}`, `${scheme}://${hostname}${signedUrl}`])
}

/** Who signed this call, once every check passes; its `lastUse` is recorded. */
const signedCaller = (ctx: Ctx, env: Env): Effect.Effect<Caller, SimError> =>
  Store.transact(env.state, (state) => {
    const applicationKey = ctx.headers["x-ovh-application"]
    const consumerKey = ctx.headers["x-ovh-consumer"]
    const timestamp = ctx.headers["x-ovh-timestamp"]
    const signature = ctx.headers["x-ovh-signature"]
    if (applicationKey === undefined || consumerKey === undefined || timestamp === undefined || signature === undefined) {
      return Either.left(Refusal.mustLogin)
    }
    const application = state.applications.find((a) => a.applicationKey === applicationKey)
    if (application === undefined) return Either.left(Refusal.invalidKey)
    const sent = Number(timestamp)
    const skew = Math.abs(sent - serverTime(ctx.now, state.settings.clockSkewSeconds))
    if (!/^\d+$/.test(timestamp) || skew > state.settings.timeWindowSeconds) return Either.left(Refusal.queryTimeOut)
    const index = state.credentials.findIndex((c) => c.consumerKey === consumerKey && c.applicationId === application.applicationId)
    const credential = state.credentials[index]
    if (credential === undefined) return Either.left(Refusal.notCredential)
    // Whether a key has been validated yet is what `GET /auth/currentCredential` is for: it answers in every state.
    if (!usable(credential, ctx.now) && ctx.path !== "/auth/currentCredential") return Either.left(Refusal.invalidCredential)
    const valid = signedUrls(ctx.origin.replace(/^https?:\/\//, ""), ctx.signedUrl).some((url) =>
      sign({
        applicationSecret: Redacted.make(application.applicationSecret),
        consumerKey: Redacted.make(consumerKey),
        method: ctx.method,
        url,
        body: ctx.text,
        timestamp: sent
      }) === signature
    )
    if (!valid) return Either.left(Refusal.invalidSignature)
    const granted = ctx.path.startsWith("/auth/") ||
      credential.rules.some((rule) => rule.method === ctx.method && ruleCovers(rule.path, ctx.path))
    if (!granted) return Either.left(Refusal.notGranted)
    const used: CredentialRecord = { ...credential, lastUse: ctx.now }
    const caller: Caller = { _tag: "Signed", application, credential: used }
    return Either.right([caller, { ...state, credentials: replaceAt(state.credentials, index, () => used) }] as const)
  })

/** Whether a consumer key may sign calls now. */
const usable = (credential: CredentialRecord, now: number): boolean =>
  credential.status === "validated" && (credential.expiration === null || credential.expiration > now)

/** The caller behind a bearer token. */
const bearerCaller = (token: string, ctx: Ctx, env: Env): Effect.Effect<Caller, SimError> =>
  Effect.flatMap(env.state.get, (state) => {
    const found = state.tokens.find((t) => t.token === token && t.expiresAt > ctx.now)
    return found === undefined ? Effect.fail(Refusal.invalidToken) : Effect.succeed<Caller>({ _tag: "Bearer", clientId: found.clientId })
  })

/**
 * Authenticates a call to a signed route (see the module's description for the order of the checks).
 *
 * @since 0.1.0
 */
export const authenticate = (ctx: Ctx, env: Env): Effect.Effect<Caller, SimError> => {
  const bearer = /^Bearer (.+)$/i.exec(ctx.headers["authorization"] ?? "")?.[1]
  return bearer === undefined ? signedCaller(ctx, env) : bearerCaller(bearer, ctx, env)
}

/**
 * The application a call names in `X-Ovh-Application`, for open routes (`undefined` when it names none).
 *
 * @since 0.1.0
 */
export const namedApplication = (ctx: Ctx, env: Env): Effect.Effect<ApplicationRecord | undefined> =>
  Effect.map(env.state.get, (state) => state.applications.find((a) => a.applicationKey === ctx.headers["x-ovh-application"]))

/** `auth.ApiCredential` as OVH answers it. */
export const credentialBody = (credential: CredentialRecord) => ({
  credentialId: credential.credentialId,
  applicationId: credential.applicationId,
  creation: ovhDate(credential.creation),
  expiration: credential.expiration === null ? null : ovhDate(credential.expiration),
  lastUse: credential.lastUse === null ? null : ovhDate(credential.lastUse),
  ovhSupport: false,
  rules: credential.rules,
  allowedIPs: credential.allowedIPs,
  status: credential.status
})

const ruleMethods: ReadonlyArray<string> = ["GET", "POST", "PUT", "DELETE"]

/** The access rules of a credential request, checked. */
const accessRules = (value: unknown): Either.Either<CredentialRecord["rules"], SimError> => {
  if (!Array.isArray(value) || value.length === 0) return Either.left(badRequest("[accessRules] Property is mandatory"))
  const rules: Array<CredentialRecord["rules"][number]> = []
  for (const rule of value) {
    const method: unknown = typeof rule === "object" && rule !== null ? Reflect.get(rule, "method") : undefined
    const path: unknown = typeof rule === "object" && rule !== null ? Reflect.get(rule, "path") : undefined
    const known = ruleMethods.find((m) => m === method)
    if (known === undefined || typeof path !== "string") {
      return Either.left(badRequest("[accessRules] Each rule needs a method (GET, POST, PUT, DELETE) and a path"))
    }
    if (known === "GET" || known === "POST" || known === "PUT" || known === "DELETE") rules.push({ method: known, path })
  }
  return Either.right(rules)
}

/**
 * Adds a consumer key (fresh key, validation token and id) of an application.
 *
 * @since 0.1.0
 */
export const addCredential = (
  env: Env,
  grant: Pick<CredentialRecord, "applicationId" | "status" | "rules" | "allowedIPs" | "expiration" | "redirection"> & { readonly now: number }
): Effect.Effect<CredentialRecord> => {
  const { now, ...fields } = grant
  const consumerKey = randomKey(32)
  const validationToken = randomKey(64)
  return Store.transact(env.state, (state) => {
    const added: CredentialRecord = { ...fields, credentialId: state.nextId, consumerKey, validationToken, creation: now, lastUse: null }
    return Either.right([added, { ...state, nextId: state.nextId + 1, credentials: [...state.credentials, added] }] as const)
  })
}

/** `POST /auth/credential`: a pending consumer key for the application the call names. */
const requestCredential: Route = route("POST", "/auth/credential", (ctx, env) =>
  Effect.gen(function*() {
    const application = yield* namedApplication(ctx, env)
    if (application === undefined) return yield* Refusal.invalidKey
    const body = yield* Effect.try({ try: (): unknown => (ctx.text.trim() === "" ? {} : JSON.parse(ctx.text)), catch: () => badRequest("The request body is not valid JSON") })
    const field = (name: string): unknown => (typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined)
    const rules = yield* accessRules(field("accessRules"))
    const redirection = field("redirection")
    const allowedIPs = field("allowedIPs")
    const added = yield* addCredential(env, {
      applicationId: application.applicationId,
      status: "pendingValidation",
      rules,
      allowedIPs: Array.isArray(allowedIPs) ? allowedIPs.filter((ip): ip is string => typeof ip === "string") : null,
      now: ctx.now,
      expiration: null,
      redirection: typeof redirection === "string" ? redirection : null
    })
    return json({ state: "pendingValidation", consumerKey: added.consumerKey, validationUrl: `${ctx.origin}/auth/?credentialToken=${added.validationToken}` })
  }), { open: true })

/** The credential a signed call is made with (bearer calls have none). */
const ownCredential = (ctx: Ctx): Effect.Effect<CredentialRecord, SimError> =>
  ctx.caller._tag === "Signed" ? Effect.succeed(ctx.caller.credential) : Effect.fail(apiError(400, "Client::BadRequest", "This call needs a consumer key"))

/**
 * The `/auth` routes: the server's time, consumer-key requests, the current credential, logout.
 *
 * @since 0.1.0
 */
export const authRoutes: ReadonlyArray<Route> = [
  route("GET", "/auth/time", (ctx, env) =>
    Effect.map(env.state.get, (state) => json(serverTime(ctx.now, state.settings.clockSkewSeconds))), { open: true }),
  requestCredential,
  route("GET", "/auth/currentCredential", (ctx) => Effect.map(ownCredential(ctx), (c) => json(credentialBody(c)))),
  route("POST", "/auth/logout", (ctx, env) =>
    Effect.flatMap(ownCredential(ctx), (own) =>
      Effect.as(
        Store.transact(env.state, (state) =>
          Either.right([undefined, {
            ...state,
            credentials: state.credentials.map((c) => (c.credentialId === own.credentialId ? { ...c, status: "expired" as const } : c))
          }] as const)),
        json(null)
      )))
]

/**
 * Settles a validation: the user accepted (with an optional expiry) or refused the pending key `which` picks (by its
 * validation token on the validation page, by the key itself for tests).
 *
 * @since 0.1.0
 */
export const decide = (
  env: Env,
  which: (credential: CredentialRecord) => boolean,
  decision: { readonly accept: boolean; readonly expiration: number | null }
): Effect.Effect<CredentialRecord, SimError> =>
  Store.transact(env.state, (state) => {
    const index = state.credentials.findIndex((c) => c.status === "pendingValidation" && which(c))
    const credential = state.credentials[index]
    if (credential === undefined) return Either.left(notFound("No pending credential matches, or it was already validated or refused"))
    const decided: CredentialRecord = decision.accept
      ? { ...credential, status: "validated", expiration: decision.expiration }
      : { ...credential, status: "refused" }
    return Either.right([decided, { ...state, credentials: replaceAt(state.credentials, index, () => decided) }] as const)
  })

/**
 * Finds the pending key behind a validation token, if any.
 *
 * @since 0.1.0
 */
export const pendingByToken = (env: Env, credentialToken: string): Effect.Effect<Option.Option<CredentialRecord>> =>
  Effect.map(env.state.get, (state) =>
    Option.fromNullable(state.credentials.find((c) => c.validationToken === credentialToken && c.status === "pendingValidation")))

