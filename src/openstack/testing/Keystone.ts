/**
 * The simulator's Keystone v3 under `/identity`: version documents, `POST /v3/auth/tokens` (password by user id or
 * name + domain, application credential, token; project scope by id or name + domain), validation (`GET`/`HEAD`),
 * revocation (`DELETE`) and `GET /v3/auth/catalog`. The catalog points every service at the request's own origin.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { type SimError, simError, unauthorizedMessage } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { field, stringField } from "../../core/testing/Json.js"
import { type Ctx, current, type Env, type Handler, hexId, transact } from "./Http.js"
import { SeedIds } from "./Seed.js"
import { keystoneTime, type SimState, type TokenRecord, usableToken } from "./State.js"

const endpoint = (type: string, iface: string, url: string) => ({
  id: `${type.replace(/[^a-z]/g, "")}${iface}`,
  interface: iface,
  region_id: SeedIds.regionId,
  url,
  region: SeedIds.regionId
})

const entry = (type: string, name: string, url: string) => ({
  endpoints: ["public", "internal", "admin"].map((iface) => endpoint(type, iface, url)),
  id: `${type.replace(/[^a-z]/g, "")}service`,
  type,
  name
})

/**
 * The service catalog for a project, every URL on `origin`: identity `<origin>/identity/v3/`, compute
 * `<origin>/compute/v2.1`, image `<origin>/image`, network `<origin>/network`, object-store
 * `<origin>/object-store/v1/AUTH_<project id>`, block-storage (and its older type `volumev3`, as devstack lists it)
 * `<origin>/block-storage/v3/<project id>`.
 *
 * @since 0.1.0
 */
export const catalog = (origin: string, projectId: string) => [
  entry("identity", "keystone", `${origin}/identity/v3/`),
  entry("compute", "nova", `${origin}/compute/v2.1`),
  entry("image", "glance", `${origin}/image`),
  entry("network", "neutron", `${origin}/network`),
  entry("object-store", "swift", `${origin}/object-store/v1/AUTH_${projectId}`),
  entry("block-storage", "cinder", `${origin}/block-storage/v3/${projectId}`),
  entry("volumev3", "cinderv3", `${origin}/block-storage/v3/${projectId}`)
]

const versionV3 = (origin: string) => ({
  id: "v3.14",
  status: "stable",
  updated: "2020-04-07T00:00:00Z",
  links: [{ rel: "self", href: `${origin}/identity/v3/` }],
  "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }]
})

const domainRef = (state: SimState, id: string) => ({
  id,
  name: state.domains.find((d) => d.id === id)?.name ?? id
})

/**
 * The `{"token": …}` body of a token.
 *
 * @since 0.1.0
 */
export const tokenBody = (state: SimState, token: TokenRecord, origin: string, withCatalog: boolean) => {
  const user = state.users.find((u) => u.id === token.userId)
  const project = token.projectId === null ? undefined : state.projects.find((p) => p.id === token.projectId)
  const roles = state.assignments.find((a) => a.userId === token.userId && a.projectId === token.projectId)?.roles ?? []
  return {
    token: {
      methods: token.methods,
      user: {
        domain: domainRef(state, user?.domainId ?? SeedIds.domainId),
        id: token.userId,
        name: user?.name ?? token.userId,
        password_expires_at: null
      },
      audit_ids: [token.auditId],
      expires_at: keystoneTime(token.expiresAt),
      issued_at: keystoneTime(token.issuedAt),
      ...(project === undefined
        ? {}
        : {
          project: { domain: domainRef(state, project.domainId), id: project.id, name: project.name },
          is_domain: false,
          roles: roles.map((r) => ({ id: r.id, name: r.name })),
          ...(withCatalog ? { catalog: catalog(origin, project.id) } : {})
        }),
      ...(token.appCredentialId === null
        ? {}
        : {
          application_credential: { id: token.appCredentialId, name: SeedIds.appCredentialName, restricted: true },
          application_credential_restricted: true
        })
    }
  }
}

/** Who a token is for, before it is minted. */
interface Grant {
  readonly userId: string
  readonly projectId: string | null
  readonly methods: ReadonlyArray<string>
  readonly appCredentialId: string | null
}

const denied = (): Either.Either<never, SimError> => Either.left(simError(401, unauthorizedMessage))

const findDomainId = (state: SimState, domain: unknown): string | undefined => {
  const id = stringField(domain, "id")
  if (id !== undefined) return state.domains.some((d) => d.id === id) ? id : undefined
  const name = stringField(domain, "name")
  return name === undefined ? undefined : state.domains.find((d) => d.name === name)?.id
}

const findUserId = (state: SimState, user: unknown): Either.Either<string, SimError> => {
  const id = stringField(user, "id")
  if (id !== undefined) return state.users.some((u) => u.id === id) ? Either.right(id) : denied()
  const name = stringField(user, "name")
  if (name === undefined) return Either.left(simError(400, "Expecting to find id or name in user."))
  if (field(user, "domain") === undefined) {
    return Either.left(simError(400, "Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect."))
  }
  const domainId = findDomainId(state, field(user, "domain"))
  const found = state.users.find((u) => u.name === name && u.domainId === domainId)
  return found === undefined ? denied() : Either.right(found.id)
}

const scopeProject = (
  state: SimState,
  scope: unknown,
  userId: string,
  fallback: string | null
): Either.Either<string | null, SimError> => {
  if (scope === undefined) return Either.right(fallback)
  const project = field(scope, "project")
  if (project === undefined) return Either.left(simError(401, "Only project scope is simulated."))
  const id = stringField(project, "id")
  const name = stringField(project, "name")
  const found = id !== undefined
    ? state.projects.find((p) => p.id === id)
    : state.projects.find((p) => p.name === name && p.domainId === findDomainId(state, field(project, "domain")))
  if (found === undefined) return denied()
  return state.assignments.some((a) => a.userId === userId && a.projectId === found.id) ? Either.right(found.id) : denied()
}

/**
 * Checks a `POST /v3/auth/tokens` body against the state: who the token is for, or 400/401.
 *
 * @since 0.1.0
 */
export const grant = (state: SimState, body: unknown, now: number): Either.Either<Grant, SimError> => {
  const auth = field(body, "auth")
  const identity = field(auth, "identity")
  const methods = field(identity, "methods")
  const scope = field(auth, "scope")
  if (!Array.isArray(methods) || methods.length === 0) {
    return Either.left(simError(400, "Expecting to find identity in auth."))
  }
  const method: unknown = methods[0]
  if (method === "password") {
    const user = field(field(identity, "password"), "user")
    return Either.flatMap(findUserId(state, user), (userId) => {
      const record = state.users.find((u) => u.id === userId)
      if (record === undefined || record.password !== stringField(user, "password")) return denied()
      return Either.map(scopeProject(state, scope, userId, null), (projectId) => ({
        userId,
        projectId,
        methods: ["password"],
        appCredentialId: null
      }))
    })
  }
  if (method === "application_credential") {
    const credential = field(identity, "application_credential")
    const id = stringField(credential, "id")
    const name = stringField(credential, "name")
    const userId = field(credential, "user") === undefined ? undefined : Either.getOrUndefined(findUserId(state, field(credential, "user")))
    const found = state.appCredentials.find((c) =>
      id !== undefined ? c.id === id : c.name === name && userId !== undefined && c.userId === userId
    )
    if (found === undefined || found.secret !== stringField(credential, "secret")) return denied()
    if (scope !== undefined) return Either.left(simError(401, "Application credentials cannot request a scope."))
    return Either.right({
      userId: found.userId,
      projectId: found.projectId,
      methods: ["application_credential"],
      appCredentialId: found.id
    })
  }
  if (method === "token") {
    const held = usableToken(state, stringField(field(identity, "token"), "id"), now)
    if (held === undefined) return denied()
    return Either.map(scopeProject(state, scope, held.userId, held.projectId), (projectId) => ({
      userId: held.userId,
      projectId,
      methods: ["token", ...held.methods.filter((m) => m !== "token")],
      appCredentialId: held.appCredentialId
    }))
  }
  return denied()
}

const issue = (env: Env, ctx: Ctx) =>
  Effect.gen(function*() {
    const body = yield* ctx.json
    const value = `gAAAAAB${yield* hexId}${yield* hexId}${yield* hexId}`
    const auditId = (yield* hexId).slice(0, 22)
    const [state, token] = yield* transact(env, (state) =>
      Either.map(grant(state, body, ctx.now), (g): readonly [readonly [SimState, TokenRecord], SimState] => {
        const token: TokenRecord = {
          value,
          userId: g.userId,
          projectId: g.projectId,
          methods: g.methods,
          issuedAt: ctx.now,
          expiresAt: ctx.now + state.settings.tokenLifetimeMs,
          auditId,
          revoked: false,
          appCredentialId: g.appCredentialId
        }
        const next = { ...state, tokens: [...state.tokens, token] }
        return [[next, token], next]
      }))
    return json(tokenBody(state, token, ctx.origin, !ctx.query.has("nocatalog")), 201, {
      "x-subject-token": value,
      vary: "X-Auth-Token"
    })
  })

const subjectOf = (env: Env, ctx: Ctx) =>
  Effect.gen(function*() {
    yield* ctx.token
    const state = yield* current(env)
    const subject = ctx.headers["x-subject-token"]
    const token = usableToken(state, subject, ctx.now)
    return token === undefined
      ? yield* Effect.fail(simError(404, `Could not find token: ${subject ?? ""}.`))
      : { state, token }
  })

/**
 * Keystone's handler (paths under `/identity`).
 *
 * @since 0.1.0
 */
export const keystone = (env: Env): Handler => (ctx) => {
  const [version, a, b] = ctx.segments
  if (version === undefined) {
    return Effect.succeed(json({ versions: { values: [versionV3(ctx.origin)] } }, 300, { location: `${ctx.origin}/identity/v3/` }))
  }
  if (version !== "v3") return Effect.fail(simError(404, "The resource could not be found."))
  if (a === undefined) return Effect.succeed(json({ version: versionV3(ctx.origin) }))
  if (a === "auth" && b === "tokens" && ctx.segments.length === 3) {
    switch (ctx.method) {
      case "POST":
        return issue(env, ctx)
      case "GET":
        return Effect.map(subjectOf(env, ctx), ({ state, token }) =>
          json(tokenBody(state, token, ctx.origin, !ctx.query.has("nocatalog")), 200, { "x-subject-token": token.value }))
      case "HEAD":
        return Effect.map(subjectOf(env, ctx), ({ token }) => empty(200, { "x-subject-token": token.value }))
      case "DELETE":
        return Effect.flatMap(subjectOf(env, ctx), ({ token }) =>
          Effect.as(
            transact(env, (state) =>
              Either.right([undefined, {
                ...state,
                tokens: state.tokens.map((t) => (t.value === token.value ? { ...t, revoked: true } : t))
              }] as const)),
            empty(204)
          ))
    }
    return Effect.fail(simError(405, "The method is not allowed for the requested URL."))
  }
  if (a === "auth" && b === "catalog" && ctx.method === "GET") {
    return Effect.map(ctx.token, (token) =>
      json({
        catalog: token.projectId === null ? [] : catalog(ctx.origin, token.projectId),
        links: { self: `${ctx.origin}/identity/v3/auth/catalog`, previous: null, next: null }
      }))
  }
  return Effect.fail(simError(404, "The resource could not be found."))
}

