import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted, TestClock } from "effect"
import { make } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../support/ScriptedHttp.js"

const SECRET = "client-secret-0123456789abcdef"
const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: "http://auth.ovh.test/auth/oauth2/token" },
  credentials: { type: "oauth2", clientId: "client-1", clientSecret: Redacted.make(SECRET) }
}

/** An OVH token endpoint minting `token-N` for `lifetime` seconds, and an API accepting only the latest token. */
const ovh = (options: { readonly lifetime?: number; readonly revokeFirst?: boolean } = {}) => {
  let minted = 0
  return Scripted.make((sent) => {
    const json = (status: number, body: unknown) => ({ status, body, headers: { "content-type": "application/json" } })
    if (sent.url === "http://auth.ovh.test/auth/oauth2/token") {
      const form = new URLSearchParams(sent.body ?? "")
      if (form.get("client_id") !== "client-1" || form.get("client_secret") !== SECRET) {
        return json(400, { error: "invalid_client", error_description: "ovhcloud oauth2 client does not exists" })
      }
      minted += 1
      return json(200, { access_token: `token-${minted}`, token_type: "Bearer", expires_in: options.lifetime ?? 3599, scope: "all" })
    }
    const valid = options.revokeFirst === true ? minted > 1 : true
    return sent.headers["authorization"] === `Bearer token-${minted}` && valid
      ? json(200, { nichandle: "ab12345-ovh" })
      : json(401, { class: "Client::Unauthorized", message: "Invalid token" })
  })
}

describe("OVH OAuth2", () => {
  it.scoped("buys a token with the client credentials and calls with it, unsigned and without reading the clock", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      expect(yield* client.get("/me")).toEqual({ nichandle: "ab12345-ovh" })
      const [token, call] = yield* http.sent
      expect(token?.method).toBe("POST")
      expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(Object.fromEntries(new URLSearchParams(token?.body ?? ""))).toEqual({
        grant_type: "client_credentials",
        client_id: "client-1",
        client_secret: SECRET,
        scope: "all"
      })
      expect(call?.url).toBe("http://ovh.test/1.0/me")
      expect(call?.headers["authorization"]).toBe("Bearer token-1")
      expect(Object.keys(call?.headers ?? {}).filter((h) => h.startsWith("x-ovh-"))).toEqual([])
    }))

  it.scoped("buys a new token 10 seconds before the old one expires", () =>
    Effect.gen(function*() {
      const http = yield* ovh({ lifetime: 60 })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* TestClock.adjust("49999 millis")
      yield* client.get("/me")
      yield* TestClock.adjust("1 millis")
      yield* client.get("/me")
      const sent = yield* http.sent
      expect(sent.map((s) => [new URL(s.url).pathname, s.at])).toEqual([
        ["/auth/oauth2/token", 0],
        ["/1.0/me", 49_999],
        ["/auth/oauth2/token", 50_000],
        ["/1.0/me", 50_000]
      ])
      expect(sent[3]?.headers["authorization"]).toBe("Bearer token-2")
    }))

  it.scoped("when the API refuses the token, buys one new token for all refused calls and sends each once more", () =>
    Effect.gen(function*() {
      const http = yield* ovh({ revokeFirst: true })
      const client = yield* make(config).pipe(Effect.provide(http.layer))
      yield* Effect.all([client.get("/me"), client.get("/me"), client.get("/me")], { concurrency: "unbounded" })
      const sent = yield* http.sent
      expect(sent.filter((s) => s.url.endsWith("/token")).length).toBe(2)
      expect(sent.filter((s) => s.headers["authorization"] === "Bearer token-2").length).toBe(3)
    }))

  it.scoped("a wrong secret is an AuthenticationError naming OAuth2's reason, and the secret appears nowhere", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const wrong: OvhConfig = { ...config, credentials: { type: "oauth2", clientId: "client-2", clientSecret: Redacted.make(SECRET) } }
      const recorded = yield* observe(make(wrong).pipe(Effect.provide(http.layer)))
      expect(Exit.isFailure(recorded.exit)).toBe(true)
      const error = Exit.isFailure(recorded.exit) ? recorded.exit.cause : undefined
      expect(String(error)).toContain("ovhcloud oauth2 client does not exists")
      expect(recorded.exit).toMatchObject({ cause: { error: { _tag: "AuthenticationError", code: "invalid_client", status: 400 } } })
      expect(everything(recorded)).not.toContain(SECRET)
    }))

  it.scoped("an endpoint without OAuth2 is refused before anything is sent", () =>
    Effect.gen(function*() {
      const http = yield* ovh()
      const none: OvhConfig = { ...config, endpoint: { ...config.endpoint, oauth2: undefined } }
      const error = yield* Effect.flip(make(none).pipe(Effect.provide(http.layer)))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "endpoint" })
      expect(yield* http.sent).toEqual([])
    }))
})
