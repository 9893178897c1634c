/**
 * Keystone v3 on the wire: the `POST /v3/auth/tokens` body for each way to authenticate, the token and its
 * service catalog, which endpoint of the catalog a service uses, and when a token needs renewing.
 *
 * @since 0.1.0
 */
import { Data, DateTime, Duration, Either, Option, Redacted, Schema } from "effect"
import { optional as opt } from "../core/Fields.js"
import type { Auth, DomainRef, Interface, Scope, UserRef } from "./Config.js"

const domainBody = (domain: DomainRef) => ("id" in domain ? { id: domain.id } : { name: domain.name })

const userBody = (user: UserRef) => ("id" in user ? { id: user.id } : { name: user.name, domain: domainBody(user.domain) })

const scopeBody = (scope: Scope) =>
  "project" in scope
    ? { project: "id" in scope.project ? { id: scope.project.id } : { name: scope.project.name, domain: domainBody(scope.project.domain) } }
    : "domain" in scope
    ? { domain: domainBody(scope.domain) }
    : { system: { all: true } }

/**
 * The body of `POST /v3/auth/tokens`. Secrets are unwrapped here, at the wire boundary, and nowhere else.
 */
export const authRequest = (auth: Auth): { readonly auth: Record<string, unknown> } => {
  switch (auth.type) {
    case "password":
      return {
        auth: {
          identity: { methods: ["password"], password: { user: { ...userBody(auth.user), password: Redacted.value(auth.password) } } },
          ...(auth.scope === undefined ? {} : { scope: scopeBody(auth.scope) })
        }
      }
    case "application_credential":
      return {
        auth: {
          identity: {
            methods: ["application_credential"],
            application_credential: "id" in auth.credential
              ? { id: auth.credential.id, secret: Redacted.value(auth.secret) }
              : { name: auth.credential.name, secret: Redacted.value(auth.secret), user: userBody(auth.credential.user) }
          }
        }
      }
    case "token":
      return {
        auth: {
          identity: { methods: ["token"], token: { id: Redacted.value(auth.token) } },
          ...(auth.scope === undefined ? {} : { scope: scopeBody(auth.scope) })
        }
      }
  }
}

/** A named reference (`{id, name}`) as Keystone writes them. */
export const NamedRef = Schema.Struct({ id: Schema.String, name: opt(Schema.String) })

/** One endpoint of a catalog entry. */
export const Endpoint = Schema.Struct({
  id: opt(Schema.String),
  interface: Schema.String,
  url: Schema.String,
  region_id: opt(Schema.NullOr(Schema.String)),
  region: opt(Schema.NullOr(Schema.String))
})

/** One endpoint of a catalog entry. */
export interface Endpoint extends Schema.Schema.Type<typeof Endpoint> {}

/** One service of the catalog. */
export const CatalogEntry = Schema.Struct({
  id: opt(Schema.String),
  type: Schema.String,
  name: opt(Schema.String),
  endpoints: Schema.Array(Endpoint)
})

/** One service of the catalog. */
export interface CatalogEntry extends Schema.Schema.Type<typeof CatalogEntry> {}

/** The `token` of an authentication answer (the token itself comes in the `X-Subject-Token` header). */
export const Token = Schema.Struct({
  methods: Schema.Array(Schema.String),
  expires_at: Schema.String,
  issued_at: opt(Schema.String),
  audit_ids: opt(Schema.Array(Schema.String)),
  user: Schema.Struct({ id: Schema.String, name: opt(Schema.String), domain: opt(NamedRef) }),
  project: opt(Schema.Struct({ id: Schema.String, name: opt(Schema.String), domain: opt(NamedRef) })),
  domain: opt(NamedRef),
  roles: opt(Schema.Array(NamedRef)),
  is_domain: opt(Schema.Boolean),
  application_credential_restricted: opt(Schema.Boolean),
  catalog: Schema.optionalWith(Schema.Array(CatalogEntry), { exact: true, default: () => [] })
})

/** The `token` of an authentication answer. */
export interface Token extends Schema.Schema.Type<typeof Token> {}

/** `{"token": …}`: the body of `POST /v3/auth/tokens` and `GET /v3/auth/tokens`. */
export const TokenResponse = Schema.Struct({ token: Token })

/** Other names a service type is registered under (the service-types authority's aliases). */
const aliases: Readonly<Record<string, ReadonlyArray<string>>> = {
  "block-storage": ["block-storage", "volumev3", "volumev2", "volume", "block-store"],
  compute: ["compute"],
  identity: ["identity"],
  image: ["image"],
  network: ["network"],
  "object-store": ["object-store"],
  placement: ["placement"]
}

/** No endpoint of the catalog fits the service, interface and region asked for. */
export class EndpointNotFound extends Data.TaggedError("EndpointNotFound")<{
  readonly serviceType: string
  readonly interface: Interface
  readonly region: string | undefined
  /** What the catalog offers, as `type/interface/region`. */
  readonly available: ReadonlyArray<string>
}> {
  override get message(): string {
    return `no ${this.interface} endpoint for "${this.serviceType}"${this.region ? ` in region ${this.region}` : ""}` +
      ` in the service catalog (it has: ${this.available.join(", ") || "nothing"})`
  }
}

/**
 * The URL of a service from the catalog: the first endpoint whose service type (or an alias) matches, with the
 * interface asked for (default `public`) and, when a region is given, that region (`region_id` or the legacy
 * `region`). The URL ends with `/`, so paths can be appended.
 */
export const endpointUrl = (
  catalog: ReadonlyArray<CatalogEntry>,
  serviceType: string,
  options: { readonly interface?: Interface | undefined; readonly region?: string | undefined } = {}
): Either.Either<string, EndpointNotFound> => {
  const wanted = options.interface ?? "public"
  const types = aliases[serviceType] ?? [serviceType]
  for (const type of types) {
    for (const entry of catalog) {
      if (entry.type !== type) continue
      const endpoint = entry.endpoints.find((e) =>
        e.interface.replace(/URL$/, "") === wanted &&
        (options.region === undefined || e.region_id === options.region || e.region === options.region)
      )
      if (endpoint !== undefined) return Either.right(endpoint.url.endsWith("/") ? endpoint.url : `${endpoint.url}/`)
    }
  }
  return Either.left(
    new EndpointNotFound({
      serviceType,
      interface: wanted,
      region: options.region,
      available: catalog.flatMap((entry) =>
        entry.endpoints.map((e) => `${entry.type}/${e.interface}/${e.region_id ?? e.region ?? "-"}`)
      )
    })
  )
}

/** How long before its expiry a token is renewed (keystoneauth's margin). */
export const renewalMargin: Duration.Duration = Duration.seconds(120)

/** When the token expires, or none when `expires_at` cannot be read. */
export const expiresAt = (token: Token): Option.Option<DateTime.Utc> => DateTime.make(token.expires_at)

/** Whether a token should be renewed at `now` (within {@link renewalMargin} of its expiry, or unreadable expiry). */
export const needsRenewal = (token: Token, now: DateTime.Utc, margin: Duration.Duration = renewalMargin): boolean =>
  Option.match(expiresAt(token), {
    onNone: () => true,
    onSome: (expiry) => DateTime.lessThanOrEqualTo(DateTime.subtractDuration(expiry, margin), now)
  })

/** The auth URL completed to Keystone v3's root (`…/v3/`), as clients append `auth/tokens` to it. */
export const v3Root = (authUrl: string): string => {
  const trimmed = authUrl.replace(/\/+$/, "")
  return /\/v3$/.test(trimmed) ? `${trimmed}/` : `${trimmed}/v3/`
}
