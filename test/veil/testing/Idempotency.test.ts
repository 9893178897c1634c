import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema, TestClock } from "effect"
import * as Veil from "../../../src/veil/testing/index.js"

const { SeedIds, rawRequest } = Veil

const Created = Schema.Struct({ entity: Schema.String, _task: Schema.Struct({ id: Schema.String }) })

const createBody = (key: string | undefined) => ({
  verbose_name: "retry-vm",
  parent: SeedIds.templates.linux,
  count: 1,
  ...(key !== undefined ? { idempotency_key: key } : {})
})

const countNamed = (name: string) =>
  Effect.flatMap(Veil.VeilSimulator, (sim) => sim.state.domains).pipe(
    Effect.map((domains) => domains.filter((d) => d.verbose_name === name).length)
  )

describe("VeiL simulator: idempotency_key", () => {
  it.effect("a repeated key answers the same response again, without a second side effect", () =>
    Effect.gen(function*() {
      const first = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: createBody("key-1")
      })
      expect(first.status).toBe(202)
      yield* TestClock.adjust("1 second")
      const again = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: createBody("key-1")
      })
      expect(again.status).toBe(first.status)
      expect(again.body).toEqual(first.body)
      expect(Schema.decodeUnknownSync(Created)(again.body)._task.id).toBe(
        Schema.decodeUnknownSync(Created)(first.body)._task.id
      )
      expect(yield* countNamed("retry-vm")).toBe(1)
      const sim = yield* Veil.VeilSimulator
      expect(yield* sim.state.idempotencyKeys).toEqual(["key-1"])
      expect((yield* sim.state.tasks).filter((t) => t.parent === null)).toHaveLength(1)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("concurrent requests with the same key make one VM and get one answer", () =>
    Effect.gen(function*() {
      const send = rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody("c") })
      const answers = yield* Effect.all([send, send, send, send], { concurrency: "unbounded" })
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1)
      expect(yield* countNamed("retry-vm")).toBe(1)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("without a key (or with a new key) the same call creates again", () =>
    Effect.gen(function*() {
      yield* rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody(undefined) })
      yield* rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody(undefined) })
      yield* rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody("a") })
      yield* rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody("b") })
      expect(yield* countNamed("retry-vm")).toBe(4)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("a lost response (fault after processing) is recovered by retrying with the same key", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.faults.inject({
        method: "POST",
        path: "/api/domains/multi-create-domain/",
        fault: { _tag: "Drop" },
        phase: "after"
      })
      const lost = yield* Effect.either(
        rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body: createBody("k") })
      )
      expect(lost._tag).toBe("Left")
      expect(yield* countNamed("retry-vm")).toBe(1)
      const retried = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: createBody("k")
      })
      expect(retried.status).toBe(202)
      yield* TestClock.adjust("3 seconds")
      expect(yield* countNamed("retry-vm")).toBe(1)
      const entity = Schema.decodeUnknownSync(Created)(retried.body).entity
      expect((yield* rawRequest("GET", `/api/domains/${entity}/`)).body).toMatchObject({ status: "ACTIVE" })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("the same key on another path is refused; replays need the token; errors are replayed too", () =>
    Effect.gen(function*() {
      const start = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(1)}/start/`, {
        body: { idempotency_key: "shared" }
      })
      expect(start.status).toBe(200)
      const other = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(4)}/start/`, {
        body: { idempotency_key: "shared" }
      })
      expect(other.status).toBe(400)
      const unauthorised = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(1)}/start/`, {
        body: { idempotency_key: "shared" },
        token: null
      })
      expect(unauthorised.status).toBe(401)
      const replay = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(1)}/start/`, {
        body: { idempotency_key: "shared" }
      })
      expect(replay).toEqual(start)
      const invalid = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(0)}/start/`, {
        body: { idempotency_key: "bad" }
      })
      expect(invalid.status).toBe(400)
      const sim = yield* Veil.VeilSimulator
      yield* sim.control.setPowerState(SeedIds.domain(0), "OFF")
      const replayed = yield* rawRequest("POST", `/api/domains/${SeedIds.domain(0)}/start/`, {
        body: { idempotency_key: "bad" }
      })
      expect(replayed).toEqual(invalid)
    }).pipe(Effect.provide(Veil.layer())))
})
