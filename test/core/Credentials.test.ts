import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Redacted, Ref } from "effect"
import * as Credentials from "../../src/core/Credentials.js"
import * as Path from "../../src/core/Path.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { everything, observe } from "../support/Observe.js"
import * as Scripted from "../support/ScriptedHttp.js"

/** Credentials holding one token; renewing swaps in the next of `tokens`. Counts renewals. */
const rotating = (tokens: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const index = yield* Ref.make(0)
    const renewals = yield* Ref.make(0)
    const current = Effect.map(Ref.get(index), (i) => tokens[Math.min(i, tokens.length - 1)] ?? "")
    const credentials: Credentials.Credentials = {
      headers: () => Effect.map(current, (token) => ({ "x-auth-token": Redacted.make(token) })),
      rejected: (sent) =>
        Effect.gen(function*() {
          const token = yield* current
          const stale = Redacted.value(sent["x-auth-token"] ?? Redacted.make("")) === token
          if (!stale) return true
          const i = yield* Ref.get(index)
          if (i + 1 >= tokens.length) return false
          yield* Ref.set(index, i + 1)
          yield* Ref.update(renewals, (n) => n + 1)
          return true
        })
    }
    return { credentials, renewals: Ref.get(renewals) }
  })

/** A server that accepts only `valid` in X-Auth-Token. */
const acceptingOnly = (valid: string) => (sent: Scripted.Sent): Scripted.Reply =>
  sent.headers["x-auth-token"] === valid ? { status: 200, body: { ok: true } } : { status: 401, body: {} }

const engine = (replies: Parameters<typeof Scripted.make>[0], credentials: Credentials.Credentials) =>
  Effect.gen(function*() {
    const http = yield* Scripted.make(replies)
    const rest = yield* RestClient.make({
      api: "test",
      baseUrl: "http://api.test/",
      identity: "me",
      credentials,
      secretHeaders: ["X-Auth-Token"],
      retry: RetryPolicy.none,
      timeout: "5 seconds",
      errorBody: () => ({})
    }).pipe(Effect.provide(http.layer))
    return { rest, sent: http.sent }
  })

describe("Credentials", () => {
  it.effect("renews once on a 401 and sends the request again — a POST too, with the same body", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["expired", "fresh"])
      const { rest, sent } = yield* engine(acceptingOnly("fresh"), credentials)
      yield* rest.send({ method: "POST", path: Path.literal("servers"), body: { name: "vm" } })
      const list = yield* sent
      expect(list.map((s) => s.headers["x-auth-token"])).toEqual(["expired", "fresh"])
      expect(list.map((s) => s.body)).toEqual(['{"name":"vm"}', '{"name":"vm"}'])
      expect(yield* renewals).toBe(1)
    }))

  it.effect("takes a second 401 as final", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["a", "b", "c"])
      const { rest, sent } = yield* engine(acceptingOnly("nobody"), credentials)
      const error = yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("x") }))
      expect(error._tag).toBe("AuthenticationError")
      expect((yield* sent).length).toBe(2)
      expect(yield* renewals).toBe(1)
    }))

  it.effect("never retries with fixed credentials", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine(acceptingOnly("nobody"), Credentials.fixed({ authorization: Redacted.make("k") }))
      expect((yield* Effect.flip(rest.send({ method: "GET", path: Path.literal("x") })))._tag).toBe("AuthenticationError")
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("many requests refused at once renew once", () =>
    Effect.gen(function*() {
      const { credentials, renewals } = yield* rotating(["expired", "fresh"])
      const { rest } = yield* engine(acceptingOnly("fresh"), credentials)
      yield* Effect.all(Array.from({ length: 10 }, () => rest.send({ method: "GET", path: Path.literal("x") })), { concurrency: 10 })
      expect(yield* renewals).toBe(1)
    }))

  it.effect("keeps secret headers out of spans", () =>
    Effect.gen(function*() {
      const token = "gAAAAA-very-secret-token"
      const { rest, sent } = yield* engine(acceptingOnly(token), Credentials.fixed({ "x-auth-token": Redacted.make(token) }))
      const recorded = yield* observe(rest.send({ method: "GET", path: Path.literal("x") }))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      expect((yield* sent)[0]?.headers["x-auth-token"]).toBe(token)
      expect(recorded.spans.some((s) => s.attributes.has("http.request.header.x-auth-token"))).toBe(true)
      expect(everything(recorded)).not.toContain(token)
    }))
})
