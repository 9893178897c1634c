import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema, TestClock } from "effect"
import * as Veil from "../../../src/veil/testing/index.js"

const { SeedIds, rawRequest } = Veil

const Task = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  progress: Schema.Number,
  status: Schema.String,
  executed: Schema.Union(Schema.Number, Schema.String),
  finished_time: Schema.NullOr(Schema.String),
  error_message: Schema.String,
  is_multitask: Schema.Boolean,
  parent: Schema.NullOr(Schema.String),
  entities: Schema.Record({ key: Schema.String, value: Schema.String })
})
const Accepted = Schema.Struct({ _task: Task })
const Created = Schema.Struct({ entity: Schema.String, _task: Task })
const Domain = Schema.Struct({ id: Schema.String, user_power_state: Schema.Number, status: Schema.String })
const Page = Schema.Struct({ count: Schema.Number, results: Schema.Array(Task) })

const task = (id: string) => Effect.map(rawRequest("GET", `/api/tasks/${id}/`), (r) => Schema.decodeUnknownSync(Task)(r.body))
const domain = (id: string) =>
  Effect.map(rawRequest("GET", `/api/domains/${id}/`), (r) => Schema.decodeUnknownSync(Domain)(r.body))

// SeedIds.domainPowerState: domain 1 is OFF, domain 0 is ON, domain 3 is SUSPENDED
const offDomain = SeedIds.domain(1)
const onDomain = SeedIds.domain(0)

describe("VeiL simulator: tasks on the Effect clock", () => {
  it.effect("async start: 202 task, linear progress at exact virtual times, effect applied when it ends", () =>
    Effect.gen(function*() {
      expect(SeedIds.domainPowerState(1)).toBe(1)
      const res = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, {
        query: { async: 1 },
        body: { force: false }
      })
      expect(res.status).toBe(202)
      const started = Schema.decodeUnknownSync(Accepted)(res.body)._task
      expect(started).toMatchObject({
        status: "IN_PROGRESS",
        progress: 0,
        executed: 0,
        finished_time: null,
        is_multitask: false,
        parent: null,
        name: `Starting the virtual machine ${SeedIds.domainName(1)}.`
      })
      expect(Object.keys(started.entities)[0]).toBe(offDomain)
      expect(Object.values(started.entities)).toEqual(["domain", "node"])

      yield* TestClock.adjust("1 second")
      expect(yield* task(started.id)).toMatchObject({ status: "IN_PROGRESS", progress: 33 })
      expect((yield* domain(offDomain)).user_power_state).toBe(1)

      yield* TestClock.adjust("1999 millis")
      expect(yield* task(started.id)).toMatchObject({ status: "IN_PROGRESS", progress: 99 })
      expect((yield* domain(offDomain)).user_power_state).toBe(1)

      yield* TestClock.adjust("1 millis")
      expect(yield* task(started.id)).toMatchObject({
        status: "SUCCESS",
        progress: 100,
        executed: "3.000000",
        finished_time: "1970-01-01T00:00:03.000000Z",
        error_message: ""
      })
      expect((yield* domain(offDomain)).user_power_state).toBe(3)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("the task duration is an option and can be changed through control", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      const first = yield* rawRequest("POST", `/api/domains/${onDomain}/shutdown/`, { query: { async: 1 }, body: {} })
      const id = Schema.decodeUnknownSync(Accepted)(first.body)._task.id
      yield* TestClock.adjust("5 seconds")
      expect((yield* task(id)).progress).toBe(50)
      yield* TestClock.adjust("5 seconds")
      expect((yield* task(id)).status).toBe("SUCCESS")
      yield* sim.control.setTaskDuration("100 millis")
      const second = yield* rawRequest("POST", `/api/domains/${onDomain}/start/`, { query: { async: 1 }, body: {} })
      const id2 = Schema.decodeUnknownSync(Accepted)(second.body)._task.id
      yield* TestClock.adjust("100 millis")
      expect((yield* task(id2)).status).toBe("SUCCESS")
    }).pipe(Effect.provide(Veil.layer({ taskDuration: "10 seconds" }))))

  it.effect("without async (or async=0) the call completes at once and answers 200 with the domain", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { body: { force: false } })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ id: offDomain, user_power_state: 3, entity_type: "domain" })
      const permissions = Schema.decodeUnknownSync(Schema.Struct({ permissions: Schema.Array(Schema.String) }))(res.body)
      expect(permissions.permissions).toContain("start")
      const again = yield* rawRequest("POST", `/api/domains/${offDomain}/shutdown/`, { query: { async: 0 }, body: {} })
      expect(again).toMatchObject({ status: 200, body: { user_power_state: 1 } })
      const sim = yield* Veil.VeilSimulator
      const tasks = yield* sim.state.tasks
      expect(tasks.map((t) => t.status)).toEqual(["SUCCESS", "SUCCESS"])
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("failNextTask: the next task ends FAILED with the message and no effect", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.control.failNextTask({ errorMessage: "Node 192.168.11.112 is not responding." })
      const res = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { query: { async: 1 }, body: {} })
      const id = Schema.decodeUnknownSync(Accepted)(res.body)._task.id
      yield* TestClock.adjust("3 seconds")
      expect(yield* task(id)).toMatchObject({
        status: "FAILED",
        progress: 100,
        error_message: "Node 192.168.11.112 is not responding."
      })
      const after = yield* domain(offDomain)
      expect(after.user_power_state).toBe(1)
      // the lock is released: the next start works
      const retry = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { body: {} })
      expect(retry.status).toBe(200)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("a synchronous call whose task fails answers 400 with the task's message", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.control.failNextTask({ errorMessage: "boom" })
      const res = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { body: {} })
      expect(res).toMatchObject({ status: 400, body: { errors: [{ detail: "boom" }] } })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("a domain is locked while its task runs", () =>
    Effect.gen(function*() {
      yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { query: { async: 1 }, body: {} })
      const locked = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { query: { async: 1 }, body: {} })
      expect(locked.status).toBe(400)
      expect(JSON.stringify(locked.body)).toContain("is locked by task")
      yield* TestClock.adjust("3 seconds")
      const running = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { query: { async: 1 }, body: {} })
      expect(running.body).toEqual({
        errors: [{ code: "40000", detail: `Domain ${SeedIds.domainName(1)} is already running.` }]
      })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("cancel: IN_PROGRESS → CANCELED with the progress reached; no effect; finished tasks cannot be canceled", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("POST", `/api/domains/${offDomain}/start/`, { query: { async: 1 }, body: {} })
      const id = Schema.decodeUnknownSync(Accepted)(res.body)._task.id
      yield* TestClock.adjust("1500 millis")
      const canceled = yield* rawRequest("PUT", `/api/tasks/${id}/cancel/`, { body: { force: true } })
      expect(canceled).toMatchObject({ status: 200, body: { status: "CANCELED", progress: 50 } })
      yield* TestClock.adjust("10 seconds")
      expect((yield* task(id)).status).toBe("CANCELED")
      expect((yield* domain(offDomain)).user_power_state).toBe(1)
      const again = yield* rawRequest("PUT", `/api/tasks/${id}/cancel/`, { body: { force: true } })
      expect(again.status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("multi-create: the created domains get the client's domains_ids; sub-tasks per domain", () =>
    Effect.gen(function*() {
      const ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"]
      const res = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: {
          verbose_name: "pool-vm",
          parent: SeedIds.templates.windows,
          resource_pool: SeedIds.resourcePool,
          count: 2,
          domains_ids: ids,
          thin: true,
          start_on: true,
          idempotency_key: "create-1"
        }
      })
      expect(res.status).toBe(202)
      const created = Schema.decodeUnknownSync(Created)(res.body)
      expect(created.entity).toBe(ids[0])
      expect(created._task.is_multitask).toBe(true)
      expect(yield* domain(ids[0] ?? "")).toMatchObject({ status: "CREATING", user_power_state: 1 })

      const subtasks = Schema.decodeUnknownSync(Page)(
        (yield* rawRequest("GET", "/api/tasks/", { query: { parent: created._task.id } })).body
      )
      expect(subtasks.count).toBe(2)
      expect(subtasks.results.map((t) => t.name)).toEqual([
        "Creating a virtual machine pool-vm-1.",
        "Creating a virtual machine pool-vm-2."
      ])
      expect(subtasks.results.map((t) => Object.keys(t.entities)[0])).toEqual(ids)

      yield* TestClock.adjust("3 seconds")
      expect((yield* task(created._task.id)).status).toBe("SUCCESS")
      expect(yield* domain(ids[1] ?? "")).toMatchObject({ status: "ACTIVE", user_power_state: 3 })
      const done = Schema.decodeUnknownSync(Page)(
        (yield* rawRequest("GET", "/api/tasks/", { query: { parent: created._task.id, status: "SUCCESS" } })).body
      )
      expect(done.count).toBe(2)
      const response = yield* rawRequest("GET", `/api/tasks/${created._task.id}/response/`)
      expect(response.body).toMatchObject({ id: ids[0], verbose_name: "pool-vm-1" })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("failNextTask PARTIAL: one sub-task fails, the multitask ends PARTIAL, the failed domain is FAILED", () =>
    Effect.gen(function*() {
      const sim = yield* Veil.VeilSimulator
      yield* sim.control.failNextTask({ status: "PARTIAL", errorMessage: "No free space in data pool." })
      const res = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: { verbose_name: "batch", parent: SeedIds.templates.linux, count: 3 }
      })
      const created = Schema.decodeUnknownSync(Created)(res.body)
      yield* TestClock.adjust("3 seconds")
      const parent = yield* task(created._task.id)
      expect(parent.status).toBe("PARTIAL")
      expect(parent.error_message).toBe("No free space in data pool.")
      const failed = Schema.decodeUnknownSync(Page)(
        (yield* rawRequest("GET", "/api/tasks/", { query: { parent: created._task.id, status: "FAILED" } })).body
      )
      expect(failed.count).toBe(1)
      const failedDomain = Object.keys(failed.results[0]?.entities ?? {})[0] ?? ""
      expect(yield* sim.state.domain(failedDomain)).toEqual(
        Option.some(expect.objectContaining({ status: "FAILED" }))
      )
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("tasks list, count, check, release-locks, jid", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("POST", `/api/domains/${onDomain}/shutdown/`, { query: { async: 1 }, body: {} })
      const id = Schema.decodeUnknownSync(Accepted)(res.body)._task.id
      expect((yield* rawRequest("GET", "/api/tasks/count/")).body).toMatchObject({ all: 1, in_progress: 1 })
      expect((yield* rawRequest("PUT", "/api/tasks/check/")).status).toBe(200)
      const inProgress = Schema.decodeUnknownSync(Page)(
        (yield* rawRequest("GET", "/api/tasks/", { query: { status: "IN_PROGRESS" } })).body
      )
      expect(inProgress.count).toBe(1)
      const fields = (yield* rawRequest("GET", "/api/tasks/", { query: { fields: "id,name,entities" } })).body
      expect(fields).toMatchObject({ results: [{ id, name: `Shutting down the virtual machine ${SeedIds.domainName(0)}.` }] })
      expect((yield* rawRequest("PUT", `/api/tasks/${id}/release-locks/`)).status).toBe(200)
      const sim = yield* Veil.VeilSimulator
      const d = yield* sim.state.domain(onDomain)
      expect(Option.map(d, (x) => x.locked_by)).toEqual(Option.some(null))
      expect((yield* rawRequest("GET", `/api/tasks/${id}/jid/`)).status).toBe(200)
      expect((yield* rawRequest("GET", "/api/tasks/", { query: { status: "WHATEVER" } })).status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))
})
