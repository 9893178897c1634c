import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema, TestClock } from "effect"
import * as Veil from "../../../src/veil/testing/index.js"

const { SeedIds, rawRequest } = Veil

const Accepted = Schema.Struct({
  _task: Schema.Struct({ id: Schema.String, entities: Schema.Record({ key: Schema.String, value: Schema.String }) })
})
const accepted = Schema.decodeUnknownSync(Accepted)
const Created = Schema.Struct({ entity: Schema.String, _task: Schema.Struct({ id: Schema.String }) })
const TaskStatus = Schema.Struct({ status: Schema.String, error_message: Schema.String })
const taskStatus = (id: string) =>
  Effect.map(rawRequest("GET", `/api/tasks/${id}/`), (r) => Schema.decodeUnknownSync(TaskStatus)(r.body))

const onDomain = SeedIds.domain(0) // ON, Windows thin clone
const offDomain = SeedIds.domain(1) // OFF
const suspended = SeedIds.domain(3) // SUSPENDED
const fullVm = SeedIds.domain(2) // ON, not a thin clone

describe("VeiL simulator: domain actions", () => {
  it.effect("invalid transitions and templates answer 400 with a clear detail; unknown domains 404", () =>
    Effect.gen(function*() {
      const detail = (path: string) => Effect.map(rawRequest("POST", path, { query: { async: 1 }, body: {} }), (r) => r)
      expect(yield* detail(`/api/domains/${onDomain}/start/`)).toMatchObject({
        status: 400,
        body: { errors: [{ detail: `Domain ${SeedIds.domainName(0)} is already running.` }] }
      })
      expect(yield* detail(`/api/domains/${offDomain}/shutdown/`)).toMatchObject({
        status: 400,
        body: { errors: [{ detail: `Domain ${SeedIds.domainName(1)} is already powered off.` }] }
      })
      expect(yield* detail(`/api/domains/${offDomain}/suspend/`)).toMatchObject({
        status: 400,
        body: { errors: [{ detail: `Cannot suspend domain ${SeedIds.domainName(1)} in power state OFF.` }] }
      })
      expect(yield* detail(`/api/domains/${SeedIds.templates.linux}/start/`)).toMatchObject({
        status: 400,
        body: { errors: [{ detail: "Action start is not available for template alt_linux_template." }] }
      })
      expect((yield* detail("/api/domains/5b4cbd5c-3b2a-4c1e-9f00-000000000000/reboot/")).status).toBe(404)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("suspend / resume / reboot / reset follow the power state machine", () =>
    Effect.gen(function*() {
      const sync = (id: string, action: string) =>
        Effect.map(rawRequest("POST", `/api/domains/${id}/${action}/`, { body: { force: false } }), (r) => r.body)
      expect(yield* sync(suspended, "resume")).toMatchObject({ user_power_state: 3 })
      expect(yield* sync(suspended, "suspend")).toMatchObject({ user_power_state: 2 })
      expect(yield* sync(suspended, "reset")).toMatchObject({ user_power_state: 3 })
      expect(yield* sync(suspended, "reboot")).toMatchObject({ user_power_state: 3 })
      expect(yield* sync(suspended, "shutdown")).toMatchObject({ user_power_state: 1 })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("remove: refuses a running domain without force; the domain disappears when the task ends", () =>
    Effect.gen(function*() {
      const refused = yield* rawRequest("POST", `/api/domains/${fullVm}/remove/`, { query: { async: 1 }, body: { full: true, force: false } })
      expect(refused.status).toBe(400)
      const res = yield* rawRequest("POST", `/api/domains/${fullVm}/remove/`, { query: { async: 1 }, body: { full: true, force: true } })
      expect(res.status).toBe(202)
      expect((yield* rawRequest("GET", `/api/domains/${fullVm}/`)).body).toMatchObject({ status: "DELETING" })
      yield* TestClock.adjust("3 seconds")
      expect((yield* rawRequest("GET", `/api/domains/${fullVm}/`)).status).toBe(404)
      const vdisks = yield* rawRequest("GET", "/api/vdisks/", { query: { domain: fullVm } })
      expect(vdisks.body).toMatchObject({ count: 0 })
      const template = yield* rawRequest("POST", `/api/domains/${SeedIds.templates.windows}/remove/`, { body: {} })
      expect(template.status).toBe(400)
      expect(JSON.stringify(template.body)).toContain("thin clone")
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("update (PUT) changes the given fields; at least one is required; bad values name the field", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("PUT", `/api/domains/${offDomain}/`, {
        body: { verbose_name: "renamed", description: "hello", tablet: 1 }
      })
      expect(res).toMatchObject({ status: 200, body: { verbose_name: "renamed", description: "hello", tablet: true } })
      const empty = yield* rawRequest("PUT", `/api/domains/${offDomain}/`, { body: {} })
      expect(empty.status).toBe(400)
      const bad = yield* rawRequest("PUT", `/api/domains/${offDomain}/`, { body: { os_type: "BeOS", tablet: "yes" } })
      expect(bad.status).toBe(400)
      const details = Schema.decodeUnknownSync(
        Schema.Struct({ errors: Schema.Array(Schema.Struct({ code: Schema.String, detail: Schema.String })) })
      )(bad.body).errors.map((e) => e.detail)
      expect(details.some((d) => d.startsWith("os_type:"))).toBe(true)
      expect(details.some((d) => d.startsWith("tablet:"))).toBe(true)
      const notJson = yield* rawRequest("PUT", `/api/domains/${offDomain}/template/`, { body: [1, 2] })
      expect(notJson.status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("convert to template and back", () =>
    Effect.gen(function*() {
      const refused = yield* rawRequest("PUT", `/api/domains/${fullVm}/template/`, { body: { template: true } })
      expect(refused.status).toBe(400)
      const res = yield* rawRequest("PUT", `/api/domains/${offDomain}/template/`, { body: { template: true } })
      expect(res).toMatchObject({ status: 200, body: { template: true } })
      const back = yield* rawRequest("PUT", `/api/domains/${offDomain}/template/`, { body: { template: false } })
      expect(back).toMatchObject({ status: 200, body: { template: false } })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("remote-access, set-hostname and vdi-prepare as tasks", () =>
    Effect.gen(function*() {
      const ra = yield* rawRequest("POST", `/api/domains/${offDomain}/remote-access/`, {
        query: { async: 1 },
        body: { remote_access: false }
      })
      expect(ra.status).toBe(202)
      yield* TestClock.adjust("3 seconds")
      expect((yield* rawRequest("GET", `/api/domains/${offDomain}/`)).body).toMatchObject({ remote_access: false })
      const hostname = yield* rawRequest("POST", `/api/domains/${onDomain}/set-hostname/`, { body: { hostname: "desk-1" } })
      expect(hostname.body).toMatchObject({ guest_utils: { hostname: "desk-1" } })
      const prepare = yield* rawRequest("POST", `/api/domains/${offDomain}/vdi-prepare/`, {
        body: { remote_access: true, start_on: true, set_hostname: true }
      })
      expect(prepare.body).toMatchObject({
        remote_access: true,
        user_power_state: 3,
        guest_utils: { hostname: SeedIds.domainName(1) }
      })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("TCP-USB attach with async=0 answers the devices; detach removes them", () =>
    Effect.gen(function*() {
      const attached = yield* rawRequest("POST", `/api/domains/${onDomain}/attach-usb/`, {
        query: { async: 0 },
        body: { action_type: "tcp_usb_device", tcp_usb: { host: "192.168.20.5", service: 4000 }, idempotency_key: "u1" }
      })
      expect(attached.status).toBe(200)
      const devices = Schema.decodeUnknownSync(
        Schema.Struct({
          tcp_usb_devices: Schema.Array(Schema.Struct({ host: Schema.String, service: Schema.Number, uuid: Schema.String }))
        })
      )(attached.body).tcp_usb_devices
      expect(devices).toHaveLength(1)
      expect(devices[0]).toMatchObject({ host: "192.168.20.5", service: 4000 })
      const missing = yield* rawRequest("POST", `/api/domains/${onDomain}/attach-usb/`, { query: { async: 0 }, body: {} })
      expect(missing).toMatchObject({ status: 400, body: { errors: [{ detail: "tcp_usb: This field is required." }] } })
      const detached = yield* rawRequest("POST", `/api/domains/${onDomain}/detach-usb/`, {
        query: { async: 0 },
        body: { action_type: "tcp_usb_device", usb: devices[0]?.uuid }
      })
      expect(detached).toMatchObject({ status: 200, body: { tcp_usb_devices: [] } })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("guest-command answers synchronously; needs a running domain", () =>
    Effect.gen(function*() {
      const exec = yield* rawRequest("POST", `/api/domains/${onDomain}/guest-command/`, {
        query: { async: 1 },
        body: {
          qemu_cmd: "guest-exec",
          fargs: { path: "powershell.exe", arg: ["-Command", "(Get-WmiObject Win32_ComputerSystem).PartOfDomain"] },
          timeout: 5
        }
      })
      expect(exec).toMatchObject({ status: 200, body: { "guest-exec": { "out-data": "False\r\n" } } })
      const other = yield* rawRequest("POST", `/api/domains/${onDomain}/guest-command/`, { body: { veil_cmd: "lock_screen" } })
      expect(other).toMatchObject({ status: 200, body: {} })
      const off = yield* rawRequest("POST", `/api/domains/${offDomain}/guest-command/`, { body: { veil_cmd: "echo" } })
      expect(off.status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("SPICE and VNC URLs", () =>
    Effect.gen(function*() {
      const spice = yield* rawRequest("GET", `/api/domains/${onDomain}/spice/`)
      const url = Schema.decodeUnknownSync(Schema.Struct({ spice_url: Schema.String }))(spice.body).spice_url
      expect(url).toMatch(/^\/spice-html5\/spice_auto\.html\?host=ecp\.simulator&password=[^&]+&path=websockify\?token=[0-9a-f]+$/)
      const vnc = yield* rawRequest("GET", `/api/domains/${onDomain}/vnc/`)
      expect(vnc.body).toMatchObject({ vnc_url: expect.stringMatching(/^\/no-vnc\/vnc\.html\?host=/) })
      expect((yield* rawRequest("GET", `/api/domains/${offDomain}/spice/`)).status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("multi-create validation names the field", () =>
    Effect.gen(function*() {
      const post = (body: unknown) => rawRequest("POST", "/api/domains/multi-create-domain/", { query: { async: 1 }, body })
      expect(yield* post({ parent: SeedIds.templates.linux })).toMatchObject({
        status: 400,
        body: { errors: [{ detail: "verbose_name: This field is required." }] }
      })
      expect(yield* post({ verbose_name: "x", parent: offDomain })).toMatchObject({
        status: 400,
        body: { errors: [{ detail: `parent: Domain ${SeedIds.domainName(1)} is not a template.` }] }
      })
      expect((yield* post({ verbose_name: "x", parent: SeedIds.templates.linux, node: SeedIds.nodes[0], resource_pool: SeedIds.resourcePool }))
        .status).toBe(400)
      expect(yield* post({ verbose_name: "x", parent: SeedIds.templates.linux, count: 2, domains_ids: [offDomain, onDomain] }))
        .toMatchObject({ status: 400, body: { errors: [{ detail: expect.stringContaining("domains_ids:") }] } })
      expect(yield* post({ verbose_name: "x", parent: SeedIds.templates.linux, count: 2, domains_ids: ["nope"] }))
        .toMatchObject({ status: 400 })
      expect(yield* post({ verbose_name: "x", parent: SeedIds.templates.linux, datapool: SeedIds.datapools.local, node: SeedIds.nodes[2] }))
        .toMatchObject({ status: 400, body: { errors: [{ detail: expect.stringContaining("datapool:") }] } })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("clone creates a full copy with the given ids", () =>
    Effect.gen(function*() {
      const id = "33333333-3333-4333-8333-333333333333"
      const res = yield* rawRequest("POST", `/api/domains/${fullVm}/clone/`, {
        query: { async: 1 },
        body: { verbose_name: "copy", domains_ids: [id], count: 1, node: SeedIds.nodes[1] }
      })
      expect(res.status).toBe(202)
      expect(Schema.decodeUnknownSync(Created)(res.body).entity).toBe(id)
      yield* TestClock.adjust("3 seconds")
      expect((yield* rawRequest("GET", `/api/domains/${id}/`)).body).toMatchObject({
        verbose_name: "copy",
        status: "ACTIVE",
        thin: false,
        node: { id: SeedIds.nodes[1] }
      })
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("multi-manager: one multitask; impossible transitions fail their sub-task (PARTIAL)", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("POST", "/api/domains/multi-manager/", {
        query: { async: 1 },
        body: { entity_ids: [offDomain, onDomain], action: "start", options: { full: true, force: false } }
      })
      expect(res.status).toBe(202)
      const id = accepted(res.body)._task.id
      yield* TestClock.adjust("3 seconds")
      expect(yield* taskStatus(id)).toMatchObject({
        status: "PARTIAL",
        error_message: `Domain ${SeedIds.domainName(0)} is already running.`
      })
      expect((yield* rawRequest("GET", `/api/domains/${offDomain}/`)).body).toMatchObject({ user_power_state: 3 })
      const del = yield* rawRequest("POST", "/api/domains/multi-manager/", {
        query: { async: 1 },
        body: { entity_ids: [offDomain, fullVm], action: "delete", options: { full: true, force: true } }
      })
      yield* TestClock.adjust("3 seconds")
      expect((yield* taskStatus(accepted(del.body)._task.id)).status).toBe("SUCCESS")
      expect((yield* rawRequest("GET", `/api/domains/${fullVm}/`)).status).toBe(404)
      const unknown = yield* rawRequest("POST", "/api/domains/multi-manager/", {
        body: { entity_ids: ["44444444-4444-4444-8444-444444444444"], action: "start" }
      })
      expect(unknown.status).toBe(400)
      const badAction = yield* rawRequest("POST", "/api/domains/multi-manager/", {
        body: { entity_ids: [offDomain], action: "explode" }
      })
      expect(badAction.status).toBe(400)
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("backup, show-backup and automated-restore", () =>
    Effect.gen(function*() {
      const thin = yield* rawRequest("POST", "/api/domains/backup/", { query: { async: 1 }, body: { domain: onDomain } })
      expect(thin).toMatchObject({ status: 400, body: { errors: [{ code: "50010" }] } })
      const res = yield* rawRequest("POST", "/api/domains/backup/", {
        query: { async: 1 },
        body: { domain: fullVm, datapool: SeedIds.datapools.nfs, exclude_iso: true }
      })
      expect(res.status).toBe(202)
      const entities = Object.entries(accepted(res.body)._task.entities)
      const fileId = entities.find(([, cls]) => cls === "file")?.[0] ?? ""
      yield* TestClock.adjust("3 seconds")
      const files = yield* rawRequest("GET", "/api/library/", { query: { domain: fullVm } })
      expect(files.body).toMatchObject({ count: 1, results: [{ id: fileId, assignment_type: "backup" }] })
      const shown = yield* rawRequest("POST", "/api/domains/show-backup/", { body: { file: fileId } })
      expect(shown.body).toMatchObject({ id: fullVm })
      const restore = yield* rawRequest("POST", "/api/domains/automated-restore/", {
        query: { async: 1 },
        body: { file: SeedIds.backups[0], node: SeedIds.nodes[2] }
      })
      expect(restore.status).toBe(202)
      const restored = Schema.decodeUnknownSync(Created)(restore.body).entity
      yield* TestClock.adjust("3 seconds")
      expect((yield* rawRequest("GET", `/api/domains/${restored}/`)).body).toMatchObject({
        status: "ACTIVE",
        verbose_name: `${SeedIds.domainName(0)}_restored`
      })
    }).pipe(Effect.provide(Veil.layer())))
})

describe("VeiL simulator: tags", () => {
  const plain = SeedIds.domain(4) // untagged in the seed
  const other = SeedIds.domain(5)

  it.effect("create answers a task whose first entity is the new tag; entities link when their task ends", () =>
    Effect.gen(function*() {
      const created = yield* rawRequest("POST", "/api/tags/", {
        query: { async: 1 },
        body: { verbose_name: "pool-a", colour: "" }
      })
      expect(created.status).toBe(202)
      const tagId = Object.keys(accepted(created.body)._task.entities)[0] ?? ""
      expect((yield* rawRequest("GET", `/api/tags/${tagId}/`)).body).toMatchObject({ verbose_name: "pool-a", colour: "#c0ffee" })
      const add = yield* rawRequest("POST", `/api/tags/${tagId}/add-entities/`, {
        query: { async: 1 },
        body: { entity_class: "domain", entity_uuids: [plain, other] }
      })
      expect(add.status).toBe(202)
      yield* TestClock.adjust("3 seconds")
      const linked = yield* rawRequest("GET", "/api/tags/", { query: { entity_uuid: plain } })
      expect(linked.body).toMatchObject({ results: [{ id: tagId }] })
      expect((yield* rawRequest("GET", `/api/domains/${plain}/`)).body).toMatchObject({
        tags: [{ verbose_name: "pool-a", colour: "#c0ffee" }]
      })
      const updated = yield* rawRequest("PUT", `/api/tags/${tagId}/`, { body: { colour: "#123" } })
      expect(updated.body).toMatchObject({ colour: "#123" })
      const bad = yield* rawRequest("PUT", `/api/tags/${tagId}/`, { body: { colour: "red" } })
      expect(bad).toMatchObject({ status: 400, body: { errors: [{ detail: "colour: Colour must be #RGB or #RRGGBB." }] } })
      const wrongClass = yield* rawRequest("POST", `/api/tags/${tagId}/add-entity/`, {
        body: { entity_uuid: SeedIds.nodes[0], entity_class: "domain" }
      })
      expect(wrongClass.status).toBe(400)
      const removeOne = yield* rawRequest("POST", `/api/tags/${tagId}/remove-entity/`, {
        body: { entity_uuid: plain, entity_class: "domain" }
      })
      expect(removeOne.body).toMatchObject({ ui_entities: [{ entity_uuid: other }] })
      expect((yield* rawRequest("POST", `/api/tags/${tagId}/remove/`)).status).toBe(200)
      expect((yield* rawRequest("GET", `/api/tags/${tagId}/`)).status).toBe(404)
      const sim = yield* Veil.VeilSimulator
      expect(Option.isNone(Option.fromNullable((yield* sim.state.tags).find((t) => t.id === tagId)))).toBe(true)
    }).pipe(Effect.provide(Veil.layer())))
})
