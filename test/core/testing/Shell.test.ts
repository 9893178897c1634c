import { HttpClient, HttpClientRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Ref } from "effect"
import * as Shell from "../../../src/core/testing/Shell.js"
import * as Faults from "../../../src/core/testing/Faults.js"

interface Counter extends Shell.Wired {
  readonly calls: Effect.Effect<number>
}
const Counter = Context.GenericTag<Counter>("test/Counter")

const bodies: Faults.FaultBodies = {
  error: (status, message) => HttpServerResponse.unsafeJson({ oops: message }, { status }),
  malformed: "{"
}

const makeCounter: Effect.Effect<Counter> = Effect.gen(function*() {
  const calls = yield* Ref.make(0)
  const api = Effect.as(Ref.update(calls, (n) => n + 1), HttpServerResponse.unsafeJson({ ok: true }))
  const wired = yield* Shell.wire(api, bodies)
  return { ...wired, calls: Ref.get(calls) }
})

describe("Shell", () => {
  it.effect("the layer gives an in-process client to a fresh simulator: journal first, then faults, then the API", () =>
    Effect.gen(function*() {
      const counter = yield* Counter
      const client = (yield* HttpClient.HttpClient).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("http://shell.test")))
      yield* counter.faults.inject({ fault: Faults.Fault.status(503) })
      const faulted = yield* client.get("/a")
      expect([faulted.status, yield* faulted.json]).toEqual([503, { oops: Faults.defaultMessage(503) }])
      expect((yield* client.get("/b")).status).toBe(200)
      expect(yield* counter.calls).toBe(1)
      expect((yield* counter.journal.entries).map((e) => e.path)).toEqual(["/a", "/b"])
    }).pipe(Effect.provide(Shell.layer(Counter, makeCounter))))

  it.scopedLive("serve listens on 127.0.0.1 and hands back the simulator", () =>
    Effect.gen(function*() {
      const served = yield* Shell.serve(makeCounter)
      expect(served.url).toBe(`http://127.0.0.1:${served.port}`)
      const res = yield* Effect.promise(() => fetch(`${served.url}/x`))
      expect(res.status).toBe(200)
      expect(yield* served.simulator.calls).toBe(1)
    }))
})
