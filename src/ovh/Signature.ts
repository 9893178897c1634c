/**
 * OVH's request signature: `"$1$" + hex(SHA-1(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TIMESTAMP))`,
 * over the exact URL (query included) and the exact body text sent — byte for byte what the server recomputes.
 * The client hands it the URL in its canonical form (`Path.written`, an endpoint as a URL parser writes it), which the
 * `HttpClient` sends unchanged: a URL it would rewrite (`a b` → `a%20b`, an upper-case host) would be signed wrongly.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Redacted } from "effect"

/** What a signature covers. */
export interface Signed {
  readonly applicationSecret: Redacted.Redacted<string>
  readonly consumerKey: Redacted.Redacted<string>
  readonly method: string
  /** The absolute URL as sent, query string included. */
  readonly url: string
  /** The body text as sent; "" when there is none. */
  readonly body: string
  /** UNIX seconds, as sent in `X-Ovh-Timestamp`. */
  readonly timestamp: number
}

/** The `X-Ovh-Signature` of a call. */
export const sign = (call: Signed): string =>
  "$1$" +
  createHash("sha1")
    .update(
      [
        Redacted.value(call.applicationSecret),
        Redacted.value(call.consumerKey),
        call.method.toUpperCase(),
        call.url,
        call.body,
        String(call.timestamp)
      ].join("+"),
      "utf8"
    )
    .digest("hex")
