import { HttpClient, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeTransport from "../../src/core/NodeTransport.js"
import { selfSigned } from "../../src/core/testing/Certificate.js"
import * as Serve from "../../src/core/testing/Serve.js"

const serveTls = (tls: { readonly key: string; readonly cert: string }) => Serve.serve(HttpServerResponse.text("hello"), { tls })

describe("NodeTransport", () => {
  it.scopedLive("trusts a certificate given as `ca` and still refuses one it was not given", () =>
    Effect.gen(function*() {
      const trusted = selfSigned()
      const served = yield* serveTls(trusted)
      const get = (options: NodeTransport.TransportOptions) =>
        Effect.scoped(Effect.flatMap(HttpClient.get(`${served.url}/`), (r) => r.text)).pipe(Effect.provide(NodeTransport.layer(options)))
      expect(yield* get({ ca: trusted.cert })).toBe("hello")
      const refused = yield* Effect.flip(get({ ca: selfSigned().cert }))
      expect(refused._tag).toBe("RequestError")
      expect(yield* Effect.flip(get({}))).toMatchObject({ _tag: "RequestError" })
    }))
})
