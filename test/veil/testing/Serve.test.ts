import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { request as undiciRequest } from "undici"
import { Fault } from "../../../src/core/testing/Faults.js"
import * as Veil from "../../../src/veil/testing/index.js"

const Page = Schema.Struct({ count: Schema.Number, next: Schema.NullOr(Schema.String) })

describe("VeiL simulator served on 127.0.0.1", () => {
  it.scopedLive("answers real HTTP with next links on its own origin", () =>
    Effect.gen(function*() {
      const served = yield* Veil.serve({ domains: 3 })
      expect(served.address).toBe(`127.0.0.1:${served.port}`)
      expect(served.url).toBe(`http://${served.address}`)
      const res = yield* Effect.promise(() =>
        fetch(`${served.url}/api/domains/?limit=2`, { headers: { authorization: served.token } })
      )
      expect(res.status).toBe(200)
      const page = Schema.decodeUnknownSync(Page)(yield* Effect.promise(() => res.json()))
      expect(page.count).toBe(5)
      expect(page.next).toBe(`${served.url}/api/domains/?limit=2&offset=2`)
      const denied = yield* Effect.promise(() => fetch(`${served.url}/api/domains/`))
      expect(denied.status).toBe(401)
      const created = yield* Effect.promise(() =>
        fetch(`${served.url}/api/tags/`, {
          method: "POST",
          headers: { authorization: served.token, "content-type": "application/json" },
          body: JSON.stringify({ verbose_name: "served", colour: "#abc" })
        })
      )
      expect(created.status).toBe(200)
      expect(yield* Effect.promise(() => created.json())).toMatchObject({ verbose_name: "served" })
    }))

  it.scopedLive("a dropped connection is a socket error, not a hang", () =>
    Effect.gen(function*() {
      const served = yield* Veil.serve()
      yield* served.simulator.faults.inject({ fault: Fault.drop })
      const outcome = yield* Effect.promise(() =>
        undiciRequest(`${served.url}/api/domains/`, {
          headers: { authorization: served.token },
          headersTimeout: 5_000,
          bodyTimeout: 5_000
        }).then(
          (r) => `status ${r.statusCode}`,
          (error: unknown) => (error instanceof Error && "code" in error ? String(error.code) : String(error))
        )
      )
      expect(outcome).toBe("UND_ERR_SOCKET")
      const after = yield* Effect.promise(() =>
        fetch(`${served.url}/api/controllers/check/`, { headers: { authorization: served.token } })
      )
      expect(after.status).toBe(200)
    }))
})
