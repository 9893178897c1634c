/**
 * What OVH serves outside the API's version path: the OAuth2 token endpoint (`POST /auth/oauth2/token`,
 * client credentials) and the page a user validates a consumer key on (`/auth/?credentialToken=…`).
 *
 * The validation page stands in for OVH's login form: `GET` shows what the key asks for, and a `POST` of
 * `credentialToken` and `action=validate|refuse` (optionally `duration` in seconds; unlimited by default) settles it,
 * then redirects to the key's `redirection` when it has one.
 *
 * @since 0.1.0
 */
import { Headers, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Option } from "effect"
import * as Store from "../../core/testing/Store.js"
import { decide, pendingByToken, randomKey } from "./Auth.js"
import { SimError } from "./Errors.js"
import { type Ctx, type Env, json } from "./Http.js"

/** An OAuth2 error (RFC 6749 §5.2). */
const oauth2Error = (status: number, error: string, description: string): SimError =>
  new SimError({ status, body: { error, error_description: description } })

const basicAuth = (ctx: Ctx): string | undefined => /^Basic (.+)$/i.exec(ctx.headers["authorization"] ?? "")?.[1]

/** The client id and secret: from HTTP Basic authentication, else from the form. */
const clientOf = (ctx: Ctx, form: URLSearchParams): { readonly id: string; readonly secret: string } | undefined => {
  const basic = basicAuth(ctx)
  if (basic !== undefined) {
    const [id, ...secret] = Buffer.from(basic, "base64").toString("utf8").split(":")
    return id === undefined ? undefined : { id: decodeURIComponent(id), secret: decodeURIComponent(secret.join(":")) }
  }
  const id = form.get("client_id")
  const secret = form.get("client_secret")
  return id === null || secret === null ? undefined : { id, secret }
}

/**
 * `POST /auth/oauth2/token`: a bearer token for a service account's client id and secret (sent in the form, as OVH
 * documents, or with HTTP Basic, as OAuth2 libraries do).
 *
 * @since 0.1.0
 */
export const token = (ctx: Ctx, env: Env): Effect.Effect<HttpServerResponse.HttpServerResponse, SimError> => {
  const form = new URLSearchParams(ctx.text)
  if (form.get("grant_type") !== "client_credentials") {
    return Effect.fail(oauth2Error(400, "unsupported_grant_type", "Only the client_credentials grant is supported"))
  }
  const client = clientOf(ctx, form)
  const value = randomKey(48)
  return Store.transact(env.state, (state) => {
    const known = state.oauth2Clients.find((c) => c.clientId === client?.id && c.clientSecret === client.secret)
    // RFC 6749 §5.2: 401 when the client authenticated with HTTP Basic, 400 when it sent its secret in the form.
    if (known === undefined) return Either.left(oauth2Error(basicAuth(ctx) === undefined ? 400 : 401, "invalid_client", "Client authentication failed"))
    const lifetime = state.settings.tokenLifetimeSeconds
    return Either.right([
      json({ access_token: value, token_type: "Bearer", expires_in: lifetime, scope: form.get("scope") ?? "all" }),
      { ...state, tokens: [...state.tokens, { token: value, clientId: known.clientId, expiresAt: ctx.now + lifetime * 1000 }] }
    ] as const)
  })
}

const html = (body: string, status = 200): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(`<!doctype html><html><head><title>OVH simulator</title></head><body>${body}</body></html>`, {
    status,
    contentType: "text/html; charset=utf-8"
  })

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

/**
 * `GET|POST /auth/?credentialToken=…`: the validation page of a pending consumer key.
 *
 * @since 0.1.0
 */
export const validationPage = (ctx: Ctx, env: Env): Effect.Effect<HttpServerResponse.HttpServerResponse, SimError> => {
  if (ctx.method === "GET") {
    const credentialToken = ctx.query.get("credentialToken") ?? ""
    return Effect.map(pendingByToken(env, credentialToken), Option.match({
      onNone: () => html("<p>This credential token does not exist or was already used.</p>", 404),
      onSome: (credential) =>
        html([
          `<h1>Grant access</h1><ul>`,
          ...credential.rules.map((rule) => `<li>${escape(rule.method)} ${escape(rule.path)}</li>`),
          `</ul><form method="post" action="/auth/"><input type="hidden" name="credentialToken" value="${escape(credentialToken)}">`,
          `<button name="action" value="validate">Validate</button> <button name="action" value="refuse">Refuse</button></form>`
        ].join(""))
    }))
  }
  const form = new URLSearchParams(ctx.text)
  const action = form.get("action")
  if (action !== "validate" && action !== "refuse") {
    return Effect.succeed(html("<p>action must be validate or refuse.</p>", 400))
  }
  const duration = Number(form.get("duration") ?? "0")
  const credentialToken = form.get("credentialToken") ?? ""
  return decide(env, (c) => c.validationToken === credentialToken, {
    accept: action === "validate",
    expiration: Number.isFinite(duration) && duration > 0 ? ctx.now + duration * 1000 : null
  }).pipe(
    Effect.map((credential) =>
      credential.redirection === null
        ? html(`<p>The consumer key is ${credential.status}.</p>`)
        : HttpServerResponse.empty({ status: 303, headers: Headers.fromInput({ location: credential.redirection }) })
    ),
    Effect.catchAll((error) => Effect.succeed(html(`<p>${escape(String(Reflect.get(Object(error.body), "message")))}</p>`, error.status)))
  )
}
