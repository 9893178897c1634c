import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Redacted } from "effect"
import { environment, fromEnv, resolve, type VeilOptions } from "../../src/veil/Config.js"

const token = "jwt eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.sig"

describe("VeilConfig", () => {
  it("builds the https base URL from a bare address", () => {
    const config = Either.getOrThrow(resolve({ address: "192.168.11.115", token }))
    expect(config.baseUrl).toBe("https://192.168.11.115/api/")
    expect(config.verifyTls).toBe(true)
    expect(Redacted.value(config.token)).toBe(token)
    expect(Duration.toMillis(config.timeout)).toBe(60_000)
  })

  it("takes the scheme from the address or the option", () => {
    expect(Either.getOrThrow(resolve({ address: "http://127.0.0.1:8080/", token })).baseUrl).toBe("http://127.0.0.1:8080/api/")
    expect(Either.getOrThrow(resolve({ address: "ecp.example.org:8443", token, scheme: "http" })).baseUrl)
      .toBe("http://ecp.example.org:8443/api/")
  })

  it.each([
    ["token", { address: "10.0.0.1", token: "eyJhbGciOiJIUzI1NiJ9.x.y" }],
    ["token", { address: "10.0.0.1", token: "Bearer abc" }],
    ["address", { address: "10.0.0.1/../x y", token }],
    ["address", { address: "user:pass@10.0.0.1", token }],
    ["address", { address: "ftp://10.0.0.1", token }],
    ["scheme", { address: "https://10.0.0.1", token, scheme: "http" as const }]
  ])("refuses a bad %s with a clear error that hides the token", (field, options) => {
    const result = resolve(options)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.settings).toEqual([field])
      expect(result.left.message).not.toContain("eyJhbGciOiJIUzI1NiJ9")
      expect(result.left.message).not.toContain("Bearer abc")
    }
  })

  it.effect("reads VEIL_* variables", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv
      expect(options.address).toBe("127.0.0.1:9000")
      expect(options.scheme).toBe("http")
      expect(Duration.toMillis(Duration.decode(options.timeout ?? 0))).toBe(15_000)
      expect(options.verifyTls).toBe(false)
      const config = Either.getOrThrow(resolve(options))
      expect(config.baseUrl).toBe("http://127.0.0.1:9000/api/")
      expect(String(options.token)).toBe("<redacted>")
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
      ["VEIL_ADDRESS", "127.0.0.1:9000"],
      ["VEIL_TOKEN", token],
      ["VEIL_SCHEME", "http"],
      ["VEIL_TIMEOUT", "15"],
      ["VEIL_VERIFY_TLS", "false"]
    ])))))

  it.effect("names every missing variable at once, as the environment spells it", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv
      const error = yield* Effect.flip(resolve(options, environment))
      expect(error).toMatchObject({ _tag: "ConfigurationError", api: "veil", sources: ["VEIL_* environment"] })
      expect(error.settings).toEqual(["VEIL_ADDRESS", "VEIL_TOKEN"])
      expect(error.message).toContain("VEIL_ADDRESS is missing")
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["VEIL_SCHEME", "http"]])))))

  it("names a missing address and token given from plain JavaScript, instead of throwing a TypeError", () => {
    const fromJs: VeilOptions = JSON.parse("{}")
    const result = resolve(fromJs)
    expect(Either.isLeft(result) && result.left.settings).toEqual(["address", "token"])
    expect(Either.isLeft(result) && result.left).toBeInstanceOf(Error)
  })

  it("never echoes the userinfo of a refused address", () => {
    const result = resolve({ address: "admin:hunter2@10.0.0.1", token })
    expect(Either.isLeft(result) && result.left.message).toContain("…@10.0.0.1")
    expect(JSON.stringify(result)).not.toContain("hunter2")
  })
})
