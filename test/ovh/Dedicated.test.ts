import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Fiber, Option, Redacted, Schedule, TestClock } from "effect"
import type { OvhClient } from "../../src/ovh/Client.js"
import * as Dedicated from "../../src/ovh/Dedicated.js"
import * as Fixtures from "../support/Fixtures.js"
import { everything, observe } from "../support/Observe.js"
import * as OvhScripted from "../support/OvhScripted.js"
import type { Sent } from "../../src/core/testing/Scripted.js"

/** The recorded list at `/dedicated/server`, the recorded detail anywhere under it. */
const withClient = <A, E>(effect: Effect.Effect<A, E, OvhClient>) =>
  OvhScripted.run(
    (path) => Fixtures.json("ovh", path === "/1.0/dedicated/server" ? "dedicated-server-list.json" : "dedicated-server-detail.json"),
    effect
  )

describe("OVH dedicated servers", () => {
  it.effect("decodes the recorded list and detail, an unlisted state and the older shape included", () =>
    Effect.gen(function*() {
      const { value } = yield* withClient(Effect.all([Dedicated.list, Dedicated.get("ns3001234.ip-1-2-3.eu")]))
      const [names, server] = value
      expect(names).toEqual(Fixtures.json("ovh", "dedicated-server-list.json"))
      expect(server).toMatchObject({ name: "abcde", serverId: 1234, datacenter: "gra3", state: "test", rescueMail: null, bootScript: null })
      expect(server.region).toBeUndefined()
    }))

  it.effect("encodes the service name as one segment, and spans show the template, not the name", () =>
    Effect.gen(function*() {
      const recorded = yield* observe(withClient(Dedicated.get("a b/c")))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      const sent = Exit.isSuccess(recorded.exit) ? yield* recorded.exit.value.http.sent : []
      expect(sent.map((s) => s.url)).toContain("http://ovh.test/1.0/dedicated/server/a%20b%2Fc")
      const templates = recorded.spans.map((s) => s.attributes.get("url.template")).filter((t) => t !== undefined)
      expect(templates).toContain("/dedicated/server/{serviceName}")
    }))

  it.effect("refuses a service name that would leave the path, before sending it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(withClient(Dedicated.get("..")))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "serviceName" })
    }))
})

const server = "ns3001234.ip-1-2-3.eu"

describe("OVH dedicated-server burst", () => {
  it.effect("reads the burst: its status, and its capacity or null", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => ({ status: "active", capacity: { unit: "Mbps", value: 1000 } }), Dedicated.burst(server))
      expect(value).toEqual({ status: "active", capacity: { unit: "Mbps", value: 1000 } })
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: `http://ovh.test/1.0/dedicated/server/${server}/burst` })
      const locked = yield* OvhScripted.run(() => ({ status: "inactiveLocked" }), Dedicated.burst(server))
      expect(locked.value).toEqual({ status: "inactiveLocked", capacity: null })
    }))

  it.effect("sets the burst with PUT {status}, whether OVH answers an empty body or null", () =>
    Effect.gen(function*() {
      const empty = yield* OvhScripted.run(() => OvhScripted.reply(200), Dedicated.setBurst(server, "active"))
      const nothing = yield* OvhScripted.run(() => null, Dedicated.setBurst(server, "inactive"))
      expect([empty.value, nothing.value]).toEqual([undefined, undefined])
      const sent = [...(yield* empty.http.sent), ...(yield* nothing.http.sent)].filter((s) => s.method === "PUT")
      expect(sent.map((s) => [s.url, s.body])).toEqual([
        [`http://ovh.test/1.0/dedicated/server/${server}/burst`, `{"status":"active"}`],
        [`http://ovh.test/1.0/dedicated/server/${server}/burst`, `{"status":"inactive"}`]
      ])
    }))

  it.effect("a burst without its status is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(OvhScripted.run(() => ({ capacity: null }), Dedicated.burst(server)))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("status")
    }))
})

// Bodies follow the schema's `dedicated.server.Task` and `IpmiAccessValue` models (no recorded ones exist).
const task = {
  taskId: 4242,
  function: "requestAccessIPMI",
  status: "todo",
  startDate: "2024-05-02T10:00:00+02:00",
  doneDate: null,
  lastUpdate: "2024-05-02T10:00:00+02:00",
  comment: "Request access IPMI",
  needSchedule: false,
  note: null,
  plannedInterventionId: null,
  ticketReference: null,
  tags: [{ key: "source", value: null }]
}
const access = { expiration: "2024-05-02T10:15:00+02:00", value: "https://ipmi.example/kvm/session-secret-1" }
const notFound = OvhScripted.reply(404, { class: "Client::NotFound", message: "The requested object (type = kvmipHtml5URL) does not exist" })

describe("OVH dedicated-server tasks and IPMI", () => {
  it.effect("reads a task: dates as Dates, nullable fields as null", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => task, Dedicated.task(server, 4242))
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: `http://ovh.test/1.0/dedicated/server/${server}/task/4242` })
      expect(value).toMatchObject({ taskId: 4242, function: "requestAccessIPMI", status: "todo", doneDate: null, tags: [{ key: "source", value: null }] })
      expect(value.startDate.toISOString()).toBe("2024-05-02T08:00:00.000Z")
    }))

  it.effect("a task without its id is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { taskId: _, ...withoutId } = task
      const error = yield* Effect.flip(OvhScripted.run(() => withoutId, Dedicated.task(server, 4242)))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("taskId")
    }))

  it.effect("asks for IPMI access with POST, the ttl sent as OVH's string", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(
        () => task,
        Dedicated.requestIpmiAccess(server, { type: "kvmipJnlp", ttl: 15, ipToAllow: "192.0.2.10" })
      )
      expect(value.taskId).toBe(4242)
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "POST", url: `http://ovh.test/1.0/dedicated/server/${server}/features/ipmi/access` })
      expect(sent[1]?.body).toBe(`{"type":"kvmipJnlp","ttl":"15","ipToAllow":"192.0.2.10"}`)
    }))

  it.effect("reads an IPMI access by type; its value is Redacted and stays out of logs", () =>
    Effect.gen(function*() {
      const recorded = yield* observe(OvhScripted.run(() => access, Effect.tap(Dedicated.ipmiAccess(server, "kvmipHtml5URL"), (a) => Effect.log(a))))
      expect(Exit.isSuccess(recorded.exit)).toBe(true)
      if (!Exit.isSuccess(recorded.exit)) return
      const { value, http } = recorded.exit.value
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "GET", url: `http://ovh.test/1.0/dedicated/server/${server}/features/ipmi/access?type=kvmipHtml5URL` })
      expect(value.expiration?.toISOString()).toBe("2024-05-02T08:15:00.000Z")
      expect(value.value === null ? null : Redacted.value(value.value)).toBe(access.value)
      expect(everything(recorded)).not.toContain("session-secret-1")
    }))
})

/** Answers the IPMI POST with a task and each GET with the next of `reads` (the last one repeats); records every call. */
const ipmiScript = (reads: ReadonlyArray<unknown>) => {
  const calls: Array<Sent> = []
  const answer = (_: string, sent: Sent): unknown => {
    calls.push(sent)
    if (sent.method === "POST") return task
    const gets = calls.filter((c) => c.method === "GET").length
    return reads[Math.min(gets, reads.length) - 1]
  }
  return { calls, answer, shown: () => calls.map((c) => `${c.method} ${c.at}`) }
}

const request: Dedicated.IpmiAccessRequest = { type: "kvmipHtml5URL", ttl: "5" }

describe("OVH IPMI access, waited for", () => {
  it.effect("asks once, then reads every 2 s until OVH answers the access", () =>
    Effect.gen(function*() {
      const script = ipmiScript([notFound, notFound, access])
      const fiber = yield* Effect.fork(OvhScripted.run(script.answer, Dedicated.waitForIpmiAccess(server, request)))
      yield* TestClock.adjust("2 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("2 seconds")
      const { value } = yield* Fiber.join(fiber)
      expect(Redacted.value(value.value)).toBe(access.value)
      expect(script.shown()).toEqual(["POST 0", "GET 0", "GET 2000", "GET 4000"])
      expect(script.calls[1]?.url).toBe(`http://ovh.test/1.0/dedicated/server/${server}/features/ipmi/access?type=kvmipHtml5URL`)
    }))

  it.effect("also reads again while OVH answers a 400 Client::BadRequest or no value yet, on the caller's schedule", () =>
    Effect.gen(function*() {
      const badRequest = OvhScripted.reply(400, { class: "Client::BadRequest", message: "The task is not done yet" })
      const script = ipmiScript([badRequest, { expiration: null, value: null }, access])
      const fiber = yield* Effect.fork(
        OvhScripted.run(script.answer, Dedicated.waitForIpmiAccess(server, request, { schedule: Schedule.spaced("5 seconds") }))
      )
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(script.shown()).toEqual(["POST 0", "GET 0", "GET 5000", "GET 10000"])
    }))

  it.effect("fails at once on any other error: a 403, or a gateway 400 without a class", () =>
    Effect.gen(function*() {
      const forbidden = ipmiScript([OvhScripted.reply(403, { class: "Client::Forbidden", message: "User not granted for this request" })])
      const refused = yield* OvhScripted.run(forbidden.answer, Effect.either(Dedicated.waitForIpmiAccess(server, request)))
      expect(Either.getLeft(refused.value).pipe(Option.map((e) => e._tag))).toEqual(Option.some("PermissionError"))
      expect(forbidden.shown()).toEqual(["POST 0", "GET 0"])

      const gateway = ipmiScript([OvhScripted.reply(400, Fixtures.json("ovh", "error-invalid-signature.json"))])
      const invalid = yield* OvhScripted.run(gateway.answer, Effect.either(Dedicated.waitForIpmiAccess(server, request)))
      expect(Either.getLeft(invalid.value).pipe(Option.map((e) => e._tag))).toEqual(Option.some("AuthenticationError"))
      expect(gateway.shown()).toEqual(["POST 0", "GET 0"])
    }))

  it.effect("never sends the request twice: a failed POST fails the wait", () =>
    Effect.gen(function*() {
      const calls: Array<Sent> = []
      const outcome = yield* OvhScripted.run((_, sent) => {
        calls.push(sent)
        return OvhScripted.reply(503, { class: "Server::ServiceUnavailable", message: "try later" })
      }, Effect.either(Dedicated.waitForIpmiAccess(server, request)))
      expect(Either.isLeft(outcome.value)).toBe(true)
      expect(calls.map((c) => c.method)).toEqual(["POST"])
    }))

  it.effect("gives up with a WaitTimeoutError after 2 minutes by default", () =>
    Effect.gen(function*() {
      const script = ipmiScript([notFound])
      const fiber = yield* Effect.fork(OvhScripted.run(script.answer, Effect.flip(Dedicated.waitForIpmiAccess(server, request))))
      yield* TestClock.adjust("119 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      const { value: error } = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "WaitTimeoutError", timeoutMillis: 120_000, lastState: "not ready" })
      expect(script.calls.filter((c) => c.method === "POST")).toHaveLength(1)
      expect(script.calls.filter((c) => c.method === "GET").length).toBeGreaterThanOrEqual(60)
    }))

  it.effect("gives up the same way when the caller's schedule ends first", () =>
    Effect.gen(function*() {
      const script = ipmiScript([notFound])
      const error = yield* OvhScripted.run(script.answer, Effect.flip(Dedicated.waitForIpmiAccess(server, request, { schedule: Schedule.recurs(1) })))
      expect(error.value).toMatchObject({ _tag: "WaitTimeoutError", lastState: "not ready" })
      expect(script.shown()).toEqual(["POST 0", "GET 0", "GET 0"])
    }))

  it.effect("honours the caller's deadline", () =>
    Effect.gen(function*() {
      const script = ipmiScript([notFound])
      const fiber = yield* Effect.fork(OvhScripted.run(script.answer, Effect.flip(Dedicated.waitForIpmiAccess(server, request, { timeout: "5 seconds" }))))
      yield* TestClock.adjust("5 seconds")
      const { value: error } = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "WaitTimeoutError", timeoutMillis: 5000 })
      expect(script.shown().slice(0, 4)).toEqual(["POST 0", "GET 0", "GET 2000", "GET 4000"])
    }))
})
