/**
 * Domains through the VeiL client, against the in-process simulator: listing and paging, filters, hostile ids,
 * every action the simulator implements (the request sent and the typed answer), and the rule that a retried
 * create never makes a second VM.
 */
import { describe, expect, it } from "@effect/vitest"
import { Domain, parentUuid, RemoteConnection, UsbAttachment } from "../../src/veil/Domain.js"
import { Chunk, Duration, Effect, Fiber, Option, Predicate, Redacted, Schema, Stream, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { Fault } from "../../src/core/testing/Faults.js"
import type { RecordedRequest } from "../../src/core/testing/Journal.js"
import { VeilClient } from "../../src/veil/Client.js"
import { SeedIds } from "../../src/veil/testing/Seed.js"
import { defaultBaseUrl, VeilSimulator } from "../../src/veil/testing/Simulator.js"
import * as VeilSim from "../support/VeilSim.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Every request the client sent after opening the session (the session check is left out). */
const sent = Effect.map(VeilSim.requestsTo("/api/"), (all) => all.filter((r) => r.path !== "/api/controllers/check/"))

/** The `idempotency_key` of a recorded body, if it has one. */
const keyOf = (body: unknown): unknown => Predicate.hasProperty(body, "idempotency_key") ? body.idempotency_key : undefined

/** The `domains_ids` of a recorded body, if it has them. */
const idsOf = (body: unknown): unknown => Predicate.hasProperty(body, "domains_ids") ? body.domains_ids : undefined

/** Runs `effect` in a fiber while the virtual clock moves on by `by`, then joins it. */
const withClock = <A, E, R>(effect: Effect.Effect<A, E, R>, by: Duration.DurationInput = "5 seconds") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(by)
    return yield* Fiber.join(fiber)
  })

/** The simulator's record of a domain (it must exist). */
const domainRecord = (id: string) =>
  Effect.flatMap(VeilSimulator, (sim) => sim.state.domain(id)).pipe(
    Effect.map(Option.getOrThrowWith(() => new Error(`no domain ${id} in the simulator`)))
  )

/** How many domains the simulator holds with this name. */
const countNamed = (name: string) =>
  Effect.map(Effect.flatMap(VeilSimulator, (sim) => sim.state.domains), (all) => all.filter((d) => d.verbose_name === name).length)

/** The URL the client sent, rebuilt from the journal (query keys sorted as the client sorts them). */
const urlOf = (r: RecordedRequest): string => {
  const params = new URLSearchParams()
  for (const name of Object.keys(r.query).sort()) params.append(name, r.query[name] ?? "")
  const text = params.toString()
  return `${defaultBaseUrl}${r.path}${text === "" ? "" : `?${text}`}`
}

const templateNames = ["alt_linux_template", "win10_template"]
const seededNames = [...templateNames, ...Array.from({ length: 12 }, (_, i) => SeedIds.domainName(i))]

// Seeded power states (SeedIds.domainPowerState): 0 ON, 1 OFF, 2 ON, 3 SUSPENDED, 4 OFF, 5 ON, 8 ON, 9 OFF.
const on0 = SeedIds.domain(0)
const off1 = SeedIds.domain(1)
const on2 = SeedIds.domain(2)
const suspended3 = SeedIds.domain(3)
const off4 = SeedIds.domain(4)
const on5 = SeedIds.domain(5)
const on8 = SeedIds.domain(8)
const off9 = SeedIds.domain(9)

describe("VeiL domains: listing", () => {
  it.effect("the seed's one-shot list: 10 rows sorted by name, ordering and limit on the wire", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const page = yield* veil.domains.list({ ordering: "verbose_name", limit: 10 })
      expect(page.items.map((d) => d.verbose_name)).toEqual([...seededNames].sort().slice(0, 10))
      expect(page.count).toBe(14)
      expect(page.next).toEqual(Option.some(10))
      const requests = yield* sent
      expect(requests).toHaveLength(1)
      expect(requests[0]).toMatchObject({ method: "GET", path: "/api/domains/", query: { ordering: "verbose_name", limit: "10" } })
      expect(Object.keys(requests[0]?.query ?? {}).sort()).toEqual(["limit", "ordering"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("listAll streams every domain, one page of `limit` at a time, with the right offsets", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const all = yield* Stream.runCollect(veil.domains.listAll({ limit: 5, ordering: "verbose_name" }))
      expect(Chunk.toReadonlyArray(all).map((d) => d.verbose_name)).toEqual([...seededNames].sort())
      const pages = yield* sent
      expect(pages.map((r) => [r.query["offset"], r.query["limit"]])).toEqual([["0", "5"], ["5", "5"], ["10", "5"]])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("listAll is lazy: taking 7 rows with pages of 5 fetches only 2 pages", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const seven = yield* Stream.runCollect(Stream.take(veil.domains.listAll({ limit: 5 }), 7))
      expect(Chunk.size(seven)).toBe(7)
      const pages = yield* sent
      expect(pages.map((r) => r.query["offset"])).toEqual(["0", "5"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("filters go on the wire in ECP's forms: template=1, power_state=ON, ids comma-joined", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const templates = yield* veil.domains.list({ template: true })
      expect(templates.items.map((d) => d.verbose_name).sort()).toEqual(templateNames)
      const running = yield* veil.domains.list({ powerState: "ON" })
      expect(running.items.length).toBeGreaterThan(0)
      expect(running.items.every((d) => d.user_power_state === 3)).toBe(true)
      const two = yield* veil.domains.list({ ids: [on0, off1] })
      expect(two.items.map((d) => d.id).sort()).toEqual([on0, off1].sort())
      const requests = yield* sent
      expect(requests.map((r) => r.query)).toEqual([{ template: "1" }, { power_state: "ON" }, { ids: `${on0},${off1}` }])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("getMany splits a long id list so every URL stays under urlMaxLength, and every row arrives", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const ids = Array.from({ length: 30 }, (_, i) => SeedIds.domain(i))
      const rows = yield* Stream.runCollect(veil.domains.getMany(ids))
      expect(Chunk.toReadonlyArray(rows).map((d) => d.id).sort()).toEqual([...ids].sort())
      const requests = yield* sent
      expect(requests.length).toBeGreaterThan(1)
      for (const r of requests) {
        expect(r.path).toBe("/api/domains/")
        expect(urlOf(r).length).toBeLessThanOrEqual(700)
      }
      const asked = requests.flatMap((r) => (r.query["ids"] ?? "").split(","))
      expect(asked.sort()).toEqual([...ids].sort())
    }).pipe(Effect.provide(VeilSim.layer({ client: { urlMaxLength: 700 }, simulator: { domains: 30 } }))))
})

describe("VeiL domains: hostile ids are refused before anything is sent", () => {
  const hostile = ["../x", "a?b", "%2F", ""]

  it.effect.each(hostile)("id %j for get, start and tags → InvalidInputError naming `id`, no request", (id) =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const errors = [
        yield* Effect.flip(veil.domains.get(id)),
        yield* Effect.flip(veil.domains.start(id)),
        yield* Effect.flip(veil.domains.tags(id))
      ]
      for (const error of errors) {
        expect(error).toMatchObject({ _tag: "InvalidInputError", api: "veil", parameter: "id" })
      }
      expect(yield* sent).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a hostile id inside getMany's list is refused by name, nothing sent", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(Stream.runCollect(veil.domains.getMany([on0, "../x"])))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "ids[1]" })
      expect(yield* sent).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL domains: power actions", () => {
  const cases = [
    ["start", off1, 3],
    ["shutdown", on0, 1],
    ["reboot", on2, 3],
    ["suspend", on5, 2],
    ["resume", suspended3, 3],
    ["reset", on8, 3]
  ] as const

  it.effect.each(cases)("%s: POST domains/{id}/<action>/?async=1 {force, idempotency_key} → a task that ends SUCCESS", ([action, id, power]) =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains[action](id)
      expect(handle._tag).toBe("TaskHandle")
      expect(handle.task.status).toBe("IN_PROGRESS")
      expect(handle.id).toMatch(uuid)
      const requests = yield* sent
      expect(requests).toHaveLength(1)
      expect(requests[0]).toMatchObject({
        method: "POST",
        path: `/api/domains/${id}/${action}/`,
        query: { async: "1" },
        body: { force: false }
      })
      expect(keyOf(requests[0]?.body)).toMatch(uuid)
      const done = yield* withClock(handle.wait())
      expect(done.status).toBe("SUCCESS")
      expect((yield* domainRecord(id)).user_power_state).toBe(power)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("force is sent when asked", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      yield* veil.domains.shutdown(on0, { force: true })
      const [request] = yield* sent
      expect(request?.body).toMatchObject({ force: true })
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL domains: other actions", () => {
  it.effect("remove: POST {full: true, force: false} and the domain is gone when the task ends", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.remove(off4)
      const [request] = yield* sent
      expect(request).toMatchObject({ method: "POST", path: `/api/domains/${off4}/remove/`, query: { async: "1" }, body: { full: true, force: false } })
      expect(keyOf(request?.body)).toMatch(uuid)
      expect((yield* withClock(handle.wait())).status).toBe("SUCCESS")
      const gone = yield* Effect.flatMap(VeilSimulator, (sim) => sim.state.domain(off4))
      expect(Option.isNone(gone)).toBe(true)
      expect(yield* Effect.flip(veil.domains.get(off4))).toMatchObject({ _tag: "NotFoundError", status: 404 })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("remoteAccess: POST {remote_access} → task; the domain's remote access follows", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.remoteAccess(off4, true)
      const [request] = yield* sent
      expect(request).toMatchObject({ method: "POST", path: `/api/domains/${off4}/remote-access/`, query: { async: "1" }, body: { remote_access: true } })
      expect(keyOf(request?.body)).toMatch(uuid)
      yield* withClock(handle.waitForSuccess())
      expect((yield* domainRecord(off4)).remote_access).toBe(true)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("update: PUT domains/{id}/ with only the given fields, no idempotency key, answers the Domain", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const updated = yield* veil.domains.update(off1, { verboseName: "renamed", description: "new text", tablet: true })
      expect(Schema.is(Domain)(updated)).toBe(true)
      expect(updated).toMatchObject({ id: off1, verbose_name: "renamed", description: "new text" })
      const [request] = yield* sent
      expect(request).toMatchObject({ method: "PUT", path: `/api/domains/${off1}/` })
      expect(request?.body).toEqual({ verbose_name: "renamed", description: "new text", tablet: true })
      expect(yield* Effect.flip(veil.domains.update(off1, {}))).toMatchObject({ _tag: "InvalidInputError", parameter: "fields" })
      expect(yield* sent).toHaveLength(1)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("convertToTemplate / convertToVm: PUT domains/{id}/template/ {template: true|false}", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const toTemplate = yield* veil.domains.convertToTemplate(off9)
      expect(toTemplate._tag).toBe("Completed")
      expect((yield* domainRecord(off9)).template).toBe(true)
      const toVm = yield* veil.domains.convertToVm(off9)
      expect(toVm).toMatchObject({ _tag: "Completed", body: { id: off9, template: false } })
      expect((yield* domainRecord(off9)).template).toBe(false)
      const requests = yield* sent
      expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ["PUT", `/api/domains/${off9}/template/`, { template: true }],
        ["PUT", `/api/domains/${off9}/template/`, { template: false }]
      ])
      expect(requests.map((r) => r.query["async"])).toEqual(["1", "1"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("guestCommand: POST {qemu_cmd, fargs, timeout: 5, idempotency_key} → the agent's answer", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const fargs = { path: "powershell.exe", arg: ["(Get-WmiObject Win32_ComputerSystem).PartOfDomain"] }
      const answer = yield* veil.domains.guestCommand(on0, { qemuCmd: "guest-exec", fargs })
      expect(answer).toEqual({ "guest-exec": { "out-data": "False\r\n" } })
      const [request] = yield* sent
      expect(request).toMatchObject({
        method: "POST",
        path: `/api/domains/${on0}/guest-command/`,
        query: { async: "1" },
        body: { qemu_cmd: "guest-exec", fargs, timeout: 5 }
      })
      expect(keyOf(request?.body)).toMatch(uuid)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("setHostname: POST {hostname} → task; without a name, the domain's own name (read first)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const named = yield* veil.domains.setHostname(on0, "web-01")
      yield* withClock(named.waitForSuccess())
      expect((yield* domainRecord(on0)).hostname).toBe("web-01")
      const defaulted = yield* veil.domains.setHostname(on2)
      yield* withClock(defaulted.waitForSuccess())
      expect((yield* domainRecord(on2)).hostname).toBe(SeedIds.domainName(2))
      const posts = (yield* sent).filter((r) => r.method === "POST")
      expect(posts.map((r) => [r.path, Predicate.hasProperty(r.body, "hostname") ? r.body.hostname : undefined])).toEqual([
        [`/api/domains/${on0}/set-hostname/`, "web-01"],
        [`/api/domains/${on2}/set-hostname/`, SeedIds.domainName(2)]
      ])
      expect((yield* sent).some((r) => r.method === "GET" && r.path === `/api/domains/${on2}/`)).toBe(true)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("prepare: POST vdi-prepare/ {remote_access, start_on} → task; the domain ends up running", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.prepare(off1, { remoteAccess: true, startOn: true })
      const [request] = yield* sent
      expect(request).toMatchObject({ method: "POST", path: `/api/domains/${off1}/vdi-prepare/`, query: { async: "1" } })
      expect(request?.body).toEqual({ remote_access: true, start_on: true, idempotency_key: keyOf(request?.body) })
      expect(keyOf(request?.body)).toMatch(uuid)
      yield* withClock(handle.waitForSuccess())
      expect(yield* domainRecord(off1)).toMatchObject({ remote_access: true, user_power_state: 3 })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("attachUsb (async=0) answers a typed UsbAttachment; detachUsb (async=0) removes that device", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const attached = yield* veil.domains.attachUsb(on0, { tcpUsb: { host: "10.0.0.5", service: 4000 } })
      expect(Schema.is(UsbAttachment)(attached)).toBe(true)
      expect(attached.tcp_usb_devices).toHaveLength(1)
      const device = attached.tcp_usb_devices[0]
      expect(device).toMatchObject({ host: "10.0.0.5", service: 4000 })
      expect(device?.uuid).toMatch(uuid)
      const detached = yield* veil.domains.detachUsb(on0, { usb: device?.uuid ?? "" })
      expect(detached).toMatchObject({ _tag: "Completed", body: { tcp_usb_devices: [] } })
      expect((yield* domainRecord(on0)).tcp_usb_devices).toEqual([])
      const [attach, detach] = yield* sent
      expect(attach).toMatchObject({
        method: "POST",
        path: `/api/domains/${on0}/attach-usb/`,
        query: { async: "0" },
        body: { action_type: "tcp_usb_device", tcp_usb: { host: "10.0.0.5", service: 4000 } }
      })
      expect(keyOf(attach?.body)).toMatch(uuid)
      expect(detach).toMatchObject({
        method: "POST",
        path: `/api/domains/${on0}/detach-usb/`,
        query: { async: "0" },
        body: { action_type: "tcp_usb_device", usb: device?.uuid }
      })
      expect(keyOf(detach?.body)).toMatch(uuid)
      expect(keyOf(detach?.body)).not.toBe(keyOf(attach?.body))
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("spice / vnc: GET → a RemoteConnection whose password and token are Redacted", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      for (const kind of ["spice", "vnc"] as const) {
        const conn = yield* veil.domains[kind](on0)
        expect(conn).toBeInstanceOf(RemoteConnection)
        expect(conn.valid).toBe(true)
        expect(conn.host).toBe("ecp.simulator")
        if (conn.password === undefined || conn.token === undefined) return expect.unreachable("password and token")
        expect(Redacted.isRedacted(conn.password)).toBe(true)
        expect(String(conn.password)).toBe("<redacted>")
        expect(String(conn.token)).toBe("<redacted>")
        expect(Redacted.value(conn.password)).toBe("pw0000Sim")
        expect(Redacted.value(conn.token)).toMatch(/^[0-9a-f]{32}$/)
        expect(JSON.stringify(conn)).not.toContain("pw0000Sim")
      }
      const requests = yield* sent
      expect(requests.map((r) => [r.method, r.path])).toEqual([
        ["GET", `/api/domains/${on0}/spice/`],
        ["GET", `/api/domains/${on0}/vnc/`]
      ])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("backup → backups lists the new file → restore makes a new domain (the handle's entity)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const before = yield* veil.domains.backups(on2)
      expect(before.count).toBe(0)
      const backup = yield* veil.domains.backup(on2, { datapool: SeedIds.datapools.nfs })
      yield* withClock(backup.waitForSuccess())
      const after = yield* veil.domains.backups(on2)
      expect(after.count).toBe(1)
      const file = after.items[0]
      if (file === undefined) return expect.unreachable("a backup file")
      expect(file.assignment_type).toBe("backup")
      const restore = yield* veil.domains.restore({ file: file.id, node: SeedIds.nodes[1] })
      expect(restore.entity).toMatch(uuid)
      yield* withClock(restore.waitForSuccess())
      const restored = yield* veil.domains.get(restore.entity ?? "")
      expect(restored.verbose_name).toBe(`${SeedIds.domainName(2)}_restored`)
      const posts = (yield* sent).filter((r) => r.method === "POST")
      expect(posts[0]).toMatchObject({
        path: "/api/domains/backup/",
        query: { async: "1" },
        body: { domain: on2, datapool: SeedIds.datapools.nfs, can_be_incremental: false, increment: false, exclude_iso: true }
      })
      expect(posts[1]).toMatchObject({
        path: "/api/domains/automated-restore/",
        query: { async: "1" },
        body: { file: file.id, node: SeedIds.nodes[1] }
      })
      expect(posts.map((r) => keyOf(r.body))).toEqual([expect.stringMatching(uuid), expect.stringMatching(uuid)])
      const lists = (yield* sent).filter((r) => r.path === "/api/library/")
      expect(lists.map((r) => r.query["domain"])).toEqual([on2, on2])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("backup of a thin clone is refused by the controller with its code 50010", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.domains.backup(on0))
      expect(error).toMatchObject({ _tag: "BadRequestError", status: 400, code: "50010" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("multiManager: POST {entity_ids (deduplicated), action, options} → one task for every domain", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const handle = yield* veil.domains.multiManager("start", [off1, off4, off1])
      const [request] = yield* sent
      expect(request).toMatchObject({
        method: "POST",
        path: "/api/domains/multi-manager/",
        query: { async: "1" },
        body: { entity_ids: [off1, off4], action: "start", options: { full: true, force: false } }
      })
      expect(keyOf(request?.body)).toMatch(uuid)
      expect((yield* withClock(handle.wait())).status).toBe("SUCCESS")
      expect((yield* domainRecord(off1)).user_power_state).toBe(3)
      expect((yield* domainRecord(off4)).user_power_state).toBe(3)
      expect(yield* Effect.flip(veil.domains.multiManager("start", []))).toMatchObject({ _tag: "InvalidInputError", parameter: "ids" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("create: POST multi-create-domain/ with client-made domains_ids; the new domain gets that id", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const created = yield* veil.domains.create({ verboseName: "new-vm", parent: SeedIds.templates.linux })
      expect(created.ids).toHaveLength(1)
      expect(created.ids[0]).toMatch(uuid)
      expect(created.task.entity).toBe(created.ids[0])
      const [request] = yield* sent
      expect(request).toMatchObject({ method: "POST", path: "/api/domains/multi-create-domain/", query: { async: "1" } })
      expect(request?.body).toEqual({
        verbose_name: "new-vm",
        parent: SeedIds.templates.linux,
        count: 1,
        thin: true,
        template: false,
        remote_access: false,
        start_on: false,
        set_hostname: false,
        domains_ids: created.ids,
        idempotency_key: keyOf(request?.body)
      })
      expect(keyOf(request?.body)).toMatch(uuid)
      yield* withClock(created.task.waitForSuccess())
      const domain = yield* veil.domains.get(created.ids[0] ?? "")
      expect(domain).toMatchObject({ verbose_name: "new-vm", status: "ACTIVE" })
      expect(parentUuid(domain)).toBe(SeedIds.templates.linux)
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("clone: POST domains/{id}/clone/ with count and domains_ids; both copies exist afterwards", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const created = yield* veil.domains.clone(on2, { verboseName: "copy", count: 2 })
      expect(created.ids).toHaveLength(2)
      const [request] = yield* sent
      expect(request).toMatchObject({
        method: "POST",
        path: `/api/domains/${on2}/clone/`,
        query: { async: "1" },
        body: { verbose_name: "copy", count: 2, template: false, remote_access: false, set_hostname: false, start_on: false }
      })
      expect(idsOf(request?.body)).toEqual(created.ids)
      expect(keyOf(request?.body)).toMatch(uuid)
      yield* withClock(created.task.waitForSuccess())
      for (const [i, id] of created.ids.entries()) {
        expect(yield* domainRecord(id)).toMatchObject({ verbose_name: `copy-${i + 1}`, status: "ACTIVE" })
      }
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL domains: a retry never creates a second VM", () => {
  const createPath = "/api/domains/multi-create-domain/"

  /** Creates under a fault that loses the first answer, waits for the task, returns the journal and the result. */
  const createThroughLostAnswer = (name: string, count: number, fault: Fault) =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      yield* sim.faults.inject({ method: "POST", path: createPath, fault, phase: "after", times: 1 })
      const created = yield* withClock(veil.domains.create({ verboseName: name, parent: SeedIds.templates.linux, count }))
      yield* withClock(created.task.waitForSuccess())
      const posts = yield* VeilSim.requestsTo(createPath)
      return { created, posts }
    })

  it.effect.each([
    ["a 503 after the work was done", Fault.status(503)],
    ["a dropped connection after the work was done", Fault.drop]
  ] as const)("%s: the retry resends the same key and ids, and one domain exists", ([, fault]) =>
    Effect.gen(function*() {
      const { created, posts } = yield* createThroughLostAnswer("once-only", 1, fault)
      expect(posts).toHaveLength(2)
      expect(posts.map((p) => p.at)).toEqual([0, 1000])
      const [first, second] = posts
      expect(keyOf(first?.body)).toMatch(uuid)
      expect(keyOf(second?.body)).toBe(keyOf(first?.body))
      expect(idsOf(second?.body)).toEqual(idsOf(first?.body))
      expect(idsOf(first?.body)).toEqual(created.ids)
      expect(created.task.entity).toBe(created.ids[0])
      expect(yield* countNamed("once-only")).toBe(1)
      expect((yield* domainRecord(created.ids[0] ?? "")).status).toBe("ACTIVE")
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("an answer slower than the client's timeout: the retry at 6000 resends the same key, one domain", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      yield* sim.faults.inject({ method: "POST", path: createPath, fault: Fault.latency("2 minutes"), phase: "after", times: 1 })
      const created = yield* withClock(veil.domains.create({ verboseName: "slow-answer", parent: SeedIds.templates.linux }), "10 seconds")
      const posts = yield* VeilSim.requestsTo(createPath)
      expect(posts.map((p) => p.at)).toEqual([0, 6000])
      expect(keyOf(posts[1]?.body)).toBe(keyOf(posts[0]?.body))
      expect(idsOf(posts[1]?.body)).toEqual(created.ids)
      yield* withClock(created.task.waitForSuccess())
      expect(yield* countNamed("slow-answer")).toBe(1)
    }).pipe(Effect.provide(VeilSim.layer({ client: { timeout: "5 seconds" } }))))

  it.effect("count 3 behind a lost answer: three domains, not six", () =>
    Effect.gen(function*() {
      const { created, posts } = yield* createThroughLostAnswer("trio", 3, Fault.status(503))
      expect(posts).toHaveLength(2)
      expect(idsOf(posts[1]?.body)).toEqual(idsOf(posts[0]?.body))
      expect(created.ids).toHaveLength(3)
      const all = yield* Effect.flatMap(VeilSimulator, (sim) => sim.state.domains)
      const trio = all.filter((d) => d.verbose_name.startsWith("trio"))
      expect(trio.map((d) => d.id).sort()).toEqual([...created.ids].sort())
      expect(trio.map((d) => d.verbose_name).sort()).toEqual(["trio-1", "trio-2", "trio-3"])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("with the default retry policy (jittered) the create is retried too, still one domain", () =>
    Effect.gen(function*() {
      const { created, posts } = yield* createThroughLostAnswer("default-policy", 1, Fault.status(503))
      expect(posts).toHaveLength(2)
      expect(keyOf(posts[1]?.body)).toBe(keyOf(posts[0]?.body))
      expect(created.ids).toHaveLength(1)
      expect(yield* countNamed("default-policy")).toBe(1)
    }).pipe(Effect.provide(VeilSim.layer({ client: { retry: RetryPolicy.defaultPolicy } }))))

  it.effect("a POST without an idempotency key (changeTemplate) hit by a 503 is not retried", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const sim = yield* VeilSimulator
      yield* sim.faults.inject({ method: "POST", path: `/api/domains/${on2}/change-template/`, fault: Fault.status(503), times: 1 })
      const error = yield* withClock(Effect.flip(veil.domains.changeTemplate(on2)), "1 minute")
      expect(error).toMatchObject({ _tag: "UnavailableError", status: 503, method: "POST" })
      const posts = yield* VeilSim.requestsTo("/change-template/")
      expect(posts).toHaveLength(1)
      expect(posts[0]?.body).toBeUndefined()
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL domains: invalid input is refused before sending", () => {
  const base = { verboseName: "vm", parent: SeedIds.templates.linux }

  it.effect.each([
    ["resourcePool with node", { ...base, resourcePool: SeedIds.resourcePool, node: SeedIds.nodes[0] }, "resourcePool"],
    ["count 0", { ...base, count: 0 }, "count"],
    ["count 1.5", { ...base, count: 1.5 }, "count"],
    ["domainsIds of the wrong length", { ...base, count: 2, domainsIds: [SeedIds.domain(90)] }, "domainsIds"],
    ["a domainsIds entry that is no UUID", { ...base, domainsIds: ["../x"] }, "domainsIds[0]"],
    ["an empty name", { ...base, verboseName: "  " }, "verboseName"],
    ["a parent that is no UUID", { ...base, parent: "a?b" }, "parent"]
  ] as const)("create with %s → InvalidInputError(%s), nothing sent", ([, options, parameter]) =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.domains.create(options))
      expect(error).toMatchObject({ _tag: "InvalidInputError", api: "veil", parameter })
      expect(yield* sent).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))

  // Ids given as options are named after the option that was wrong.
  it.effect("create with a node that is no UUID → InvalidInputError naming `node`", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.domains.create({ ...base, node: "../x" }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "node" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("backup to a datapool that is no UUID → InvalidInputError naming `datapool`", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.domains.backup(on2, { datapool: "a?b" }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "datapool" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("restore onto a node that is no UUID → InvalidInputError naming `node`", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.domains.restore({ file: SeedIds.backups[0], node: "../x" }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "node" })
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("malformed option ids are refused before sending (whatever the parameter is called)", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const errors = [
        yield* Effect.flip(veil.domains.create({ ...base, node: "../x" })),
        yield* Effect.flip(veil.domains.clone(on2, { verboseName: "c", datapool: "%2F" })),
        yield* Effect.flip(veil.domains.backup(on2, { datapool: "a?b" })),
        yield* Effect.flip(veil.domains.restore({ file: SeedIds.backups[0], node: "../x" }))
      ]
      expect(errors.map((e) => e._tag)).toEqual(Array.from({ length: 4 }, () => "InvalidInputError"))
      expect(yield* sent).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))

  it.effect("a tag with a bad colour → InvalidInputError(colour), nothing sent", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const error = yield* Effect.flip(veil.tags.create({ verboseName: "pool", colour: "red" }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "colour" })
      expect(yield* sent).toEqual([])
    }).pipe(Effect.provide(VeilSim.layer())))
})

describe("VeiL domains: an empty ids filter", () => {
  it.effect("selects no domain, without asking the controller", () =>
    Effect.gen(function*() {
      const veil = yield* VeilClient
      const before = (yield* VeilSim.requestsTo("/api/domains/")).length
      const page = yield* veil.domains.list({ ids: [] })
      expect(page).toMatchObject({ items: [], count: 0 })
      expect(Chunk.size(yield* Stream.runCollect(veil.domains.listAll({ ids: [] })))).toBe(0)
      expect((yield* VeilSim.requestsTo("/api/domains/")).length).toBe(before)
    }).pipe(Effect.provide(VeilSim.layer())))
})
