/** The identity digest: SHA-256 in plain TypeScript, the same digest `node:crypto` gives, so cache keys do not change. */
import { describe, expect, it } from "@effect/vitest"
import { Redacted } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { digest, sha256 } from "../../src/core/Caller.js"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

/** The digest as it was computed with `node:crypto`: each part UTF-8 then a NUL, 24 hex digits. */
const nodeDigest = (...parts: ReadonlyArray<string>) => {
  const hash = createHash("sha256")
  for (const part of parts) hash.update(part).update("\u0000")
  return hash.digest("hex").slice(0, 24)
}

describe("Caller", () => {
  it("sha256 gives the FIPS 180-4 test vectors", () => {
    expect(hex(sha256(new Uint8Array()))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(hex(sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(hex(sha256(new TextEncoder().encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
    expect(hex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  })

  it("sha256 agrees with node:crypto at every padding boundary and on random data", () => {
    for (let length = 0; length <= 200; length++) {
      const data = randomBytes(length)
      expect(hex(sha256(data))).toBe(createHash("sha256").update(data).digest("hex"))
    }
    const big = randomBytes(100_003)
    expect(hex(sha256(big))).toBe(createHash("sha256").update(big).digest("hex"))
  })

  it("digest is the one node:crypto gave: UTF-8 parts (lone surrogates too), NUL-separated, secrets unwrapped", () => {
    const cases: ReadonlyArray<ReadonlyArray<string>> = [
      [],
      [""],
      ["https://ecp.example/api/", "jwt eyJhbGciOi.payload.sig"],
      ["ab", "c"],
      ["a", "bc"],
      ["Zürich — 東京 🚀", "\ud800 lone", "x".repeat(300)]
    ]
    for (const parts of cases) expect(digest(...parts)).toBe(nodeDigest(...parts))
    expect(digest("https://x/", Redacted.make("secret"))).toBe(nodeDigest("https://x/", "secret"))
    expect(digest("ab", "c")).not.toBe(digest("a", "bc"))
    expect(digest("a")).toMatch(/^[0-9a-f]{24}$/)
  })
})
