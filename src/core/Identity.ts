/**
 * Who is calling, without saying how: a digest of the credentials that can sit in cache keys, logs and metrics
 * while the secret itself stays `Redacted`.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Redacted } from "effect"

/** A short SHA-256 digest of the given parts (secrets are unwrapped only to be hashed). */
export const digest = (...parts: ReadonlyArray<string | Redacted.Redacted<string>>): string => {
  const hash = createHash("sha256")
  for (const part of parts) {
    hash.update(Redacted.isRedacted(part) ? Redacted.value(part) : part)
    hash.update("\u0000")
  }
  return hash.digest("hex").slice(0, 24)
}
