/** Every typed operation against the simulator: its answers decode with the client's schemas, built from OVH's. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, TestClock } from "effect"
import * as ApiCredentials from "../../../src/ovh/ApiCredentials.js"
import * as Bills from "../../../src/ovh/Bills.js"
import { OvhClient } from "../../../src/ovh/Client.js"
import * as Dedicated from "../../../src/ovh/Dedicated.js"
import * as Email from "../../../src/ovh/Email.js"
import * as Me from "../../../src/ovh/Me.js"
import * as OvhSim from "../../support/OvhSim.js"

const withClient = <A, E>(effect: Effect.Effect<A, E, OvhClient>, simulator?: Parameters<typeof OvhSim.open>[0]) =>
  Effect.flatMap(OvhSim.open(simulator), ({ client, simulator }) => Effect.map(Effect.provideService(effect, OvhClient, client), (value) => ({ value, simulator })))

describe("typed operations against the OVH simulator", () => {
  it.scoped("the nichandle, and every bill with its details", () =>
    Effect.gen(function*() {
      const { value } = yield* withClient(Effect.gen(function*() {
        const me = yield* Me.get
        const ids = yield* Bills.list()
        const bills = yield* Effect.forEach(ids, Bills.get, { concurrency: 5 })
        const details = yield* Effect.forEach(ids, (id) => Effect.flatMap(Bills.details(id), Effect.forEach((d) => Bills.detail(id, d))), { concurrency: 5 })
        return { me, bills, details }
      }))
      expect(value.me).toMatchObject({ nichandle: "xx11111-ovh", currency: { code: "EUR" } })
      expect(value.bills).toHaveLength(24)
      expect(value.bills[0]?.date).toBeInstanceOf(Date)
      expect(Redacted.value(value.bills[0]?.pdfUrl ?? Redacted.make(""))).toContain("passwd=")
      // Every bill's total is the sum of its details plus tax.
      value.bills.forEach((bill, i) => {
        const net = (value.details[i] ?? []).reduce((sum, d) => sum + d.totalPrice.value, 0)
        expect(bill.priceWithoutTax.value).toBeCloseTo(net, 2)
      })
    }))

  it.scoped("dedicated servers (the recorded older shape included), burst on, a task and IPMI access waited for", () =>
    Effect.gen(function*() {
      const { value } = yield* withClient(Effect.gen(function*() {
        const servers = yield* Effect.forEach(yield* Dedicated.list, Dedicated.get, { concurrency: 4 })
        const inSbg1 = servers.filter((s) => s.datacenter === "sbg1")
        yield* Effect.forEach(inSbg1, (s) => Dedicated.setBurst(s.name, "active"), { concurrency: 4, discard: true })
        const bursts = yield* Effect.forEach(servers, (s) => Dedicated.burst(s.name))
        const waiting = yield* Effect.fork(Dedicated.waitForIpmiAccess("abcde", { type: "kvmipJnlp", ttl: 15, ipToAllow: "192.0.2.10" }))
        yield* TestClock.adjust("6 seconds")
        const access = yield* Fiber.join(waiting)
        const taskIds = yield* OvhClient.pipe(Effect.flatMap((ovh) => ovh.get("/dedicated/server/abcde/task")))
        const task = yield* Dedicated.task("abcde", Array.isArray(taskIds) ? Number(taskIds[0]) : 0)
        return { servers, inSbg1, bursts, access, task }
      }), { simulator: { ipmiDelay: "5 seconds" } })
      expect(value.servers.map((s) => s.name)).toContain("abcde")
      const recorded = value.servers.find((s) => s.name === "abcde")
      expect(recorded?.state).toBe("test")
      expect([recorded?.region, recorded?.powerState, recorded?.iam]).toEqual([undefined, undefined, undefined])
      expect(value.inSbg1).toHaveLength(2)
      expect(value.bursts.map((b) => b.status)).toEqual(["inactive", "active", "active", "inactive"])
      expect(Redacted.value(value.access.value)).toContain("<jnlp")
      expect(value.access.expiration).toBeInstanceOf(Date)
      expect(value.task).toMatchObject({ function: "requestAccessIPMI", status: "done" })
    }))

  it.scoped("mail redirections: create, list, read, follow the task, delete", () =>
    Effect.gen(function*() {
      const { value } = yield* withClient(Effect.gen(function*() {
        const created = yield* Email.createRedirection("example.com", { from: "sales@example.com", to: "contact@example.com", localCopy: true })
        const ids = yield* Email.redirections("example.com", { from: "sales@example.com" })
        const read = yield* Email.redirection("example.com", ids[0] ?? "")
        const task = yield* Email.redirectionTask("example.com", created.id)
        const deleted = yield* Email.deleteRedirection("example.com", ids[0] ?? "")
        const after = yield* Email.redirections("example.com")
        return { created, read, task, deleted, after }
      }))
      expect(value.created).toMatchObject({ action: "add", account: "sales" })
      expect(value.read).toMatchObject({ from: "sales@example.com", to: "contact@example.com" })
      expect(value.task.id).toBe(value.created.id)
      expect(value.deleted.action).toBe("delete")
      expect(value.after).toEqual(["4021870521"])
    }))

  it.scoped("API credentials: the table of authorised applications, the current key, a revoked key", () =>
    Effect.gen(function*() {
      const { value, simulator } = yield* withClient(Effect.gen(function*() {
        const ids = yield* ApiCredentials.list({ status: "validated" })
        const table = yield* Effect.forEach(ids, (id) => Effect.all({ credential: ApiCredentials.get(id), application: ApiCredentials.application(id) }), { concurrency: 4 })
        const current = yield* ApiCredentials.current
        return { table, current }
      }))
      expect(value.table).toHaveLength(1)
      expect(value.table[0]?.application).toMatchObject({ applicationKey: simulator.keys.applicationKey, status: "active" })
      expect(value.table[0]?.credential.rules).toHaveLength(4)
      expect(value.current.lastUse).toBeInstanceOf(Date)
      const other = yield* simulator.control.addConsumerKey([{ method: "GET", path: "/me" }])
      const client = yield* OvhSim.connect(simulator)
      const otherId = (yield* simulator.state).credentials.find((c) => c.consumerKey === other)?.credentialId ?? 0
      yield* Effect.provideService(ApiCredentials.revoke(otherId), OvhClient, client)
      const revoked = yield* OvhSim.connect(simulator, { consumerKey: other }).pipe(Effect.flatMap((c) => c.get("/me")), Effect.flip)
      expect(revoked).toMatchObject({ code: "NOT_CREDENTIAL" })
    }))
})
