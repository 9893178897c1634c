/** An OVH session over a scripted HTTP client, for typed-operation tests (signatures are tested with the client). */
import { Effect, Layer, Redacted } from "effect"
import { OvhClient } from "../../src/ovh/Client.js"
import type { OvhConfig } from "../../src/ovh/Config.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const config: OvhConfig = {
  endpoint: { name: "test", api: "http://ovh.test/1.0", oauth2: undefined },
  credentials: { type: "signature", applicationKey: "app-key", applicationSecret: Redacted.make("as"), consumerKey: Redacted.make("ck") }
}

/** An answer other than a 200 with a JSON body: an error status, or no body at all (`body` left out). */
export class Reply {
  constructor(readonly status: number, readonly body?: unknown) {}
}

/** Answers `status`, with `body` as JSON (no body when left out). */
export const reply = (status: number, body?: unknown): Reply => new Reply(status, body)

/**
 * Runs `effect` against an OVH that answers `/1.0/auth/time` with 0 and every other path (`/1.0/…`) with `answer`:
 * a body (sent with status 200) or a {@link Reply}.
 */
export const run = <A, E>(answer: (path: string, sent: Scripted.Sent) => unknown, effect: Effect.Effect<A, E, OvhClient>) =>
  Effect.flatMap(
    Scripted.make((sent) => {
      const path = new URL(sent.url).pathname
      if (path === "/1.0/auth/time") return { status: 200, body: 0 }
      const answered = answer(path, sent)
      return answered instanceof Reply ? { status: answered.status, body: answered.body } : { status: 200, body: answered }
    }),
    (http) =>
      Effect.map(
        Effect.provide(effect, OvhClient.layerConfig(config).pipe(Layer.provide(http.layer))),
        (value) => ({ value, http })
      )
  )
