/**
 * The OVH simulator's state: applications and their consumer keys (with access rules), OAuth2 clients and their
 * tokens, and the account's resources (nichandle, bills, dedicated servers, e-mail domains). Resources are kept in
 * the shape OVH answers them; times are epoch milliseconds on the Effect `Clock`.
 *
 * @since 0.1.0
 */
import type { AccessRule } from "../ConsumerKey.js"

/**
 * An API application (`auth.ApiApplication`), with its secret.
 *
 * @since 0.1.0
 */
export interface ApplicationRecord {
  readonly applicationId: number
  readonly applicationKey: string
  readonly applicationSecret: string
  readonly name: string
  readonly description: string
  readonly status: string
}

/**
 * A consumer key and the grant behind it (`auth.ApiCredential`). `validationToken` is the `credentialToken` of its
 * validation URL.
 *
 * @since 0.1.0
 */
export interface CredentialRecord {
  readonly credentialId: number
  readonly consumerKey: string
  readonly applicationId: number
  readonly status: "pendingValidation" | "validated" | "refused" | "expired"
  readonly rules: ReadonlyArray<AccessRule>
  readonly allowedIPs: ReadonlyArray<string> | null
  readonly creation: number
  readonly expiration: number | null
  readonly lastUse: number | null
  readonly validationToken: string
  readonly redirection: string | null
}

/**
 * An OAuth2 service account (client credentials).
 *
 * @since 0.1.0
 */
export interface OAuth2ClientRecord {
  readonly clientId: string
  readonly clientSecret: string
}

/**
 * A bearer token handed out by the token endpoint.
 *
 * @since 0.1.0
 */
export interface TokenRecord {
  readonly token: string
  readonly clientId: string
  readonly expiresAt: number
}

/**
 * `order.Price`.
 *
 * @since 0.1.0
 */
export interface PriceBody {
  readonly currencyCode: string
  readonly text: string
  readonly value: number
  readonly priceInUcents?: number
}

/**
 * A bill (`billing.Bill`) with its details (`billing.BillDetail`).
 *
 * @since 0.1.0
 */
export interface BillRecord {
  readonly billId: string
  readonly category: string
  readonly date: string
  readonly orderId: number
  readonly password: string
  readonly pdfUrl: string
  readonly url: string
  readonly priceWithTax: PriceBody
  readonly priceWithoutTax: PriceBody
  readonly tax: PriceBody
  readonly details: ReadonlyArray<BillDetailRecord>
}

/**
 * `billing.BillDetail`.
 *
 * @since 0.1.0
 */
export interface BillDetailRecord {
  readonly billDetailId: string
  readonly description: string
  readonly domain: string
  readonly periodStart: string | null
  readonly periodEnd: string | null
  readonly quantity: string
  readonly totalPrice: PriceBody
  readonly unitPrice: PriceBody
}

/**
 * A task of a dedicated server (`dedicated.server.Task`): `doneAt` is when it turns `done`.
 *
 * @since 0.1.0
 */
export interface ServerTaskRecord {
  readonly taskId: number
  readonly function: string
  readonly startDate: number
  readonly doneAt: number
  readonly comment: string | null
}

/**
 * An IPMI access being prepared or ready: its value can be read once its task is done, until `expiresAt`.
 *
 * @since 0.1.0
 */
export interface IpmiAccessRecord {
  readonly type: string
  readonly taskId: number
  readonly value: string
  readonly readyAt: number
  readonly expiresAt: number
}

/**
 * A dedicated server: its detail as OVH answers it, its burst, its tasks and IPMI accesses.
 *
 * @since 0.1.0
 */
export interface ServerRecord {
  readonly detail: Readonly<Record<string, unknown>> & { readonly name: string; readonly datacenter: string }
  readonly burst: { readonly status: string; readonly capacity: { readonly unit: string; readonly value: number } | null }
  readonly tasks: ReadonlyArray<ServerTaskRecord>
  readonly ipmi: ReadonlyArray<IpmiAccessRecord>
}

/**
 * A mail redirection (`email.domain.RedirectionGlobal`) and whether a local copy is kept.
 *
 * @since 0.1.0
 */
export interface RedirectionRecord {
  readonly id: string
  readonly from: string
  readonly to: string
  readonly localCopy: boolean
}

/**
 * A special-account task of a mail domain (`email.domain.TaskSpecialAccount`).
 *
 * @since 0.1.0
 */
export interface MailTaskRecord {
  readonly id: string
  readonly account: string
  readonly action: "add" | "change" | "delete"
  readonly date: string
  readonly domain: string
  readonly type: string
}

/**
 * A mail domain.
 *
 * @since 0.1.0
 */
export interface MailDomainRecord {
  readonly domain: string
  readonly redirections: ReadonlyArray<RedirectionRecord>
  readonly tasks: ReadonlyArray<MailTaskRecord>
}

/**
 * Timings and windows.
 *
 * - `timeWindowSeconds`: how far `X-Ovh-Timestamp` may be from the server's clock.
 * - `clockSkewSeconds`: the server's clock minus the Effect `Clock` (to play a drifted client clock).
 * - `ipmiDelayMs`: how long an IPMI access takes to prepare; `taskDelayMs`: other server tasks.
 * - `tokenLifetimeSeconds`: OAuth2 bearer tokens.
 *
 * @since 0.1.0
 */
export interface Settings {
  readonly timeWindowSeconds: number
  readonly clockSkewSeconds: number
  readonly ipmiDelayMs: number
  readonly tokenLifetimeSeconds: number
}

/**
 * The whole state.
 *
 * @since 0.1.0
 */
export interface SimState {
  readonly settings: Settings
  readonly applications: ReadonlyArray<ApplicationRecord>
  readonly credentials: ReadonlyArray<CredentialRecord>
  readonly oauth2Clients: ReadonlyArray<OAuth2ClientRecord>
  readonly tokens: ReadonlyArray<TokenRecord>
  readonly me: Readonly<Record<string, unknown>>
  readonly bills: ReadonlyArray<BillRecord>
  readonly servers: ReadonlyArray<ServerRecord>
  readonly mailDomains: ReadonlyArray<MailDomainRecord>
  readonly domains: ReadonlyArray<string>
  readonly nextId: number
}

/**
 * A time as OVH writes it: ISO-8601 to the second with a numeric offset (`2024-03-01T10:12:13+00:00`).
 *
 * @since 0.1.0
 */
export const ovhDate = (millis: number): string => `${new Date(millis).toISOString().slice(0, 19)}+00:00`

/**
 * The list with `f` applied to the item at `index`.
 *
 * @since 0.1.0
 */
export const replaceAt = <A>(list: ReadonlyArray<A>, index: number, f: (a: A) => A): ReadonlyArray<A> =>
  list.map((item, i) => (i === index ? f(item) : item))
