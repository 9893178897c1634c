/** An OVH session over a scripted HTTP client, for typed-operation tests (signatures are tested with the client). */
import { Effect, Layer, Redacted } from "effect"
import { OvhClient } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import * as Scripted from "./ScriptedHttp.js"

const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: undefined },
  credentials: { type: "signature", applicationKey: "app-key", applicationSecret: Redacted.make("as"), consumerKey: Redacted.make("ck") }
}

/** Runs `effect` against an OVH that answers `/1.0/auth/time` with 0 and every other path (`/1.0/…`) with `answer`. */
export const run = <A, E>(answer: (path: string, sent: Scripted.Sent) => unknown, effect: Effect.Effect<A, E, OvhClient>) =>
  Effect.flatMap(
    Scripted.make((sent) => {
      const path = new URL(sent.url).pathname
      return { status: 200, body: path === "/1.0/auth/time" ? 0 : answer(path, sent) }
    }),
    (http) =>
      Effect.map(
        Effect.provide(effect, OvhClient.layerConfig(config).pipe(Layer.provide(http.layer))),
        (value) => ({ value, http })
      )
  )
