/**
 * Domain actions that run as tasks (veil.md §2.5, §6): power actions, remove, remote access, hostname, VDI
 * preparation, TCP-USB, multi-create, clone, multi-manager, backups and restore.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { perform, type Plan } from "./Actions.js"
import { domainDetail } from "./BodiesDomain.js"
import { libraryDetail } from "./BodiesStorage.js"
import {
  afterIds,
  applyPower,
  createPlan,
  domainNames,
  powerActions,
  powerProblem,
  powerTask,
  removeProblem,
  removeTask,
  requireDomain,
  requireFree,
  requireRunning,
  requireVm,
  resolveIds,
  resolvePlacement,
  type PowerAction
} from "./DomainOps.js"
import { badRequest, invalidField, notFound, type VeilError } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { decodeBody, param, renderContext, route, type Handler, type Req, type SimEnv } from "./Http.js"
import type { Json } from "../../core/testing/Json.js"
import {
  AttachUsbBody,
  BackupBody,
  CloneBody,
  DetachUsbBody,
  HostnameBody,
  MultiCreateBody,
  MultiManagerBody,
  PowerBody,
  PrepareBody,
  RemoteAccessBody,
  RemoveBody,
  RestoreBody,
  ShowBackupBody
} from "./RequestBodies.js"
import {
  findById,
  isoAt,
  nextId,
  updateDomain,
  type DomainRecord,
  type LibraryRecord,
  type SimState
} from "./State.js"
import type { TaskSpec } from "./Tasks.js"

const syncDomain = (id: string) => (ctx: { readonly state: SimState; readonly now: number }): Json => {
  const domain = findById(ctx.state.domains, id)
  return domain === undefined ? {} : domainDetail(ctx, domain, { permissions: "list" })
}

/** A domain that exists, is not locked and is ACTIVE. */
const freeDomain = (state: SimState, req: Req): Either.Either<DomainRecord, VeilError> =>
  Either.flatMap(requireDomain(state, param(req, "id")), requireFree)

/** A task on one domain whose effect is a plain update of it. */
const domainTask = (domain: DomainRecord, name: string, update: (d: DomainRecord, at: number) => DomainRecord): TaskSpec => ({
  name,
  entities: [[domain.id, "domain"], [domain.nodeId, "node"]],
  nodeId: domain.nodeId,
  lock: [domain.id],
  onSuccess: (state, at) =>
    findById(state.domains, domain.id) === undefined
      ? Either.left(`Domain ${domain.id} not found.`)
      : Either.right(updateDomain(state, domain.id, (d) => ({ ...update(d, at), modified: isoAt(at) })))
})

const powerHandler = (env: SimEnv, action: PowerAction): Handler => (req) =>
  Effect.flatMap(decodeBody(PowerBody), () =>
    perform(env, req, (state) =>
      Either.flatMap(freeDomain(state, req), (domain): Either.Either<Plan, VeilError> => {
        const problem = powerProblem(domain, action)
        return problem !== undefined
          ? Either.left(badRequest(problem))
          : Either.right({ spec: powerTask(domain, action), syncBody: syncDomain(domain.id) })
      })))

const removeHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(RemoveBody), (body) =>
    perform(env, req, (state) =>
      Either.flatMap(freeDomain(state, req), (domain): Either.Either<Plan, VeilError> => {
        const problem = removeProblem(state, domain, body.force ?? false)
        if (problem !== undefined) return Either.left(badRequest(problem))
        return Either.right({
          prepare: (s) => updateDomain(s, domain.id, (d) => ({ ...d, status: "DELETING" })),
          spec: removeTask(domain, body.full ?? true),
          syncBody: () => ({})
        })
      })))

const remoteAccessHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(RemoteAccessBody), (body) =>
    perform(env, req, (state) =>
      Either.map(Either.flatMap(freeDomain(state, req), (d) => requireVm(d, "remote-access")), (domain) => ({
        spec: domainTask(
          domain,
          `${body.remote_access ? "Enabling" : "Disabling"} remote access to the virtual machine ${domain.verbose_name}.`,
          (d) => ({ ...d, remote_access: body.remote_access })
        ),
        syncBody: syncDomain(domain.id)
      }))))

const hostnameHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(HostnameBody), (body) =>
    perform(env, req, (state) =>
      Either.map(Either.flatMap(freeDomain(state, req), (d) => requireRunning(d, "Setting the hostname")), (domain) => {
        const hostname = body.hostname ?? domain.verbose_name
        return {
          spec: domainTask(domain, `Setting hostname ${hostname} on the virtual machine ${domain.verbose_name}.`, (d) => ({
            ...d,
            hostname
          })),
          syncBody: syncDomain(domain.id)
        }
      })))

const prepareHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(PrepareBody), (body) =>
    perform(env, req, (state) =>
      Either.map(Either.flatMap(freeDomain(state, req), (d) => requireVm(d, "vdi-prepare")), (domain): Plan => ({
        spec: {
          name: `Preparing the virtual machine ${domain.verbose_name} for VDI.`,
          entities: [[domain.id, "domain"], [domain.nodeId, "node"]],
          nodeId: domain.nodeId,
          lock: [domain.id],
          onSuccess: (s, at) => {
            const current = findById(s.domains, domain.id)
            if (current === undefined) return Either.left(`Domain ${domain.id} not found.`)
            const prepared: DomainRecord = {
              ...current,
              remote_access: body.remote_access ?? current.remote_access,
              hostname: body.set_hostname === true ? current.verbose_name : current.hostname
            }
            const started = body.start_on === true && current.user_power_state !== 3
              ? Either.match(applyPower(domain.id, "start")(updateDomain(s, domain.id, () => prepared), at), {
                onLeft: () => updateDomain(s, domain.id, () => prepared),
                onRight: (next) => next
              })
              : updateDomain(s, domain.id, () => prepared)
            return Either.right(started)
          }
        },
        syncBody: syncDomain(domain.id)
      }))))

/** The synchronous answer of attach-usb/ and detach-usb/: the domain's TCP-USB devices after the change. */
const usbDevicesBody = (domainId: string): NonNullable<Plan["syncBody"]> => (ctx) => ({
  tcp_usb_devices: (findById(ctx.state.domains, domainId)?.tcp_usb_devices ?? []).map((d) => ({
    host: d.host,
    service: d.service,
    uuid: d.uuid
  }))
})

const attachUsbHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(AttachUsbBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const domain = yield* Either.flatMap(freeDomain(state, req), (d) => requireVm(d, "attach-usb"))
        const tcp = body.tcp_usb
        if ((body.action_type ?? "tcp_usb_device") !== "tcp_usb_device") {
          return yield* Either.left(invalidField("action_type", "Only tcp_usb_device is supported by the simulator."))
        }
        if (tcp === undefined) return yield* Either.left(invalidField("tcp_usb", "This field is required."))
        const [uuid] = nextId(state, "usb")
        const plan: Plan = {
          prepare: (s) => nextId(s, "usb")[1],
          spec: domainTask(domain, `Attaching TCP USB ${tcp.host}:${tcp.service} to ${domain.verbose_name}.`, (d) => ({
            ...d,
            tcp_usb_devices: [...d.tcp_usb_devices, { host: tcp.host, service: tcp.service, uuid }]
          })),
          syncBody: usbDevicesBody(domain.id)
        }
        return plan
      })))

const detachUsbHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(DetachUsbBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const domain = yield* freeDomain(state, req)
        const usb = body.usb ?? undefined
        const all = body.remove_all === true || usb === undefined
        if (!all && !domain.tcp_usb_devices.some((d) => d.uuid === usb)) {
          return yield* Either.left(invalidField("usb", `Device ${usb} is not attached to ${domain.verbose_name}.`))
        }
        const plan: Plan = {
          spec: domainTask(domain, `Detaching TCP USB from ${domain.verbose_name}.`, (d) => ({
            ...d,
            tcp_usb_devices: all ? [] : d.tcp_usb_devices.filter((x) => x.uuid !== usb)
          })),
          syncBody: usbDevicesBody(domain.id)
        }
        return plan
      })))

const noOpHandler = (env: SimEnv, what: string): Handler => (req) =>
  perform(env, req, (state) =>
    Either.map(freeDomain(state, req), (domain) => ({
      spec: domainTask(domain, `${what} ${domain.verbose_name}.`, (d) => d),
      syncBody: syncDomain(domain.id)
    })))

/** The domain a body field names, or a 400 on that field (`<what> <id> not found.`). */
const domainNamedBy = (
  state: SimState,
  field: string,
  id: string,
  what: string
): Either.Either<DomainRecord, VeilError> => {
  const domain = findById(state.domains, id)
  return domain === undefined ? Either.left(invalidField(field, `${what} ${id} not found.`)) : Either.right(domain)
}

/** How the domains a create or a clone makes differ: thin or full copies, their parent, the names of the tasks. */
interface Making {
  readonly thin: boolean
  readonly parentId: string | null
  readonly taskName: (name: string) => string
  readonly multiName: (count: number) => string
}

/** The plan that makes the domains a create or clone body asks for from `source`: count, placement, ids, flags. */
const makingPlan = (
  state: SimState,
  req: Req,
  body: Omit<typeof CloneBody.Type, "snapshot">,
  source: DomainRecord,
  making: Making
): Either.Either<Plan, VeilError> =>
  Either.gen(function*() {
    const count = body.count ?? 1
    const placement = yield* resolvePlacement(state, body, source)
    const [ids, withIds] = yield* resolveIds(state, count, body.domains_ids)
    const plan = createPlan({
      ...making,
      source,
      ids,
      names: domainNames(body.verbose_name, count),
      placement,
      template: body.template ?? false,
      remote_access: body.remote_access ?? false,
      start_on: body.start_on ?? false,
      set_hostname: body.set_hostname ?? false,
      multiName: making.multiName(count),
      now: req.now
    })
    return afterIds(plan, withIds.seq)
  })

const multiCreateHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(MultiCreateBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const parent = yield* domainNamedBy(state, "parent", body.parent, "Template")
        if (!parent.template) {
          return yield* Either.left(invalidField("parent", `Domain ${parent.verbose_name} is not a template.`))
        }
        return yield* makingPlan(state, req, body, parent, {
          thin: body.thin ?? true,
          parentId: parent.id,
          taskName: (name) => `Creating a virtual machine ${name}.`,
          multiName: (count) =>
            count === 1
              ? `Creating a virtual machine ${body.verbose_name}.`
              : `Creating ${count} virtual machines ${body.verbose_name}.`
        })
      })))

const cloneHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(CloneBody), (body) =>
    perform(env, req, (state) =>
      Either.flatMap(freeDomain(state, req), (source) =>
        makingPlan(state, req, body, source, {
          thin: false,
          parentId: null,
          taskName: (name) => `Creating a virtual machine ${name} (clone of ${source.verbose_name}).`,
          multiName: () => `Cloning the virtual machine ${source.verbose_name}.`
        }))))

const multiManagerHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(MultiManagerBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const domains = yield* Either.all(
          body.entity_ids.map((id) => {
            const domain = findById(state.domains, id.toLowerCase())
            return domain === undefined
              ? Either.left(invalidField("entity_ids", `Domain ${id} not found.`))
              : domain.locked_by !== null
              ? Either.left(invalidField("entity_ids", `Domain ${domain.verbose_name} is locked by task ${domain.locked_by}.`))
              : Either.right(domain)
          })
        )
        const force = body.options?.force ?? body.force ?? false
        const full = body.options?.full ?? body.full ?? true
        const targetNode = body.options?.node ?? undefined
        if (targetNode !== undefined && findById(state.nodes, targetNode) === undefined) {
          return yield* Either.left(invalidField("options.node", `Node ${targetNode} not found.`))
        }
        const child = (domain: DomainRecord): TaskSpec => {
          switch (body.action) {
            case "delete":
              return {
                ...removeTask(domain, full),
                onSuccess: (s, at) => {
                  const current = findById(s.domains, domain.id)
                  const problem = current === undefined ? `Domain ${domain.id} not found.` : removeProblem(s, current, force)
                  return problem !== undefined ? Either.left(problem) : removeTask(domain, full).onSuccess(s, at)
                },
                onFailure: (s) => s
              }
            case "migrate": {
              const node = targetNode ?? state.nodes.find((n) => n.id !== domain.nodeId)?.id ?? domain.nodeId
              return domainTask(domain, `Migrating the virtual machine ${domain.verbose_name}.`, (d) => ({
                ...d,
                nodeId: node
              }))
            }
            default:
              return powerTask(domain, body.action)
          }
        }
        const plan: Plan = {
          spec: {
            name: `Group operation ${body.action} on ${domains.length} virtual machine(s).`,
            entities: domains.map((d): readonly [string, string] => [d.id, "domain"]),
            nodeId: domains[0]?.nodeId ?? "",
            children: domains.map(child)
          },
          syncBody: () => ({})
        }
        return plan
      })))

const backupHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(BackupBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const domain = yield* domainNamedBy(state, "domain", body.domain, "Domain")
        yield* requireFree(domain)
        if (domain.thin && domain.parentId !== null) {
          return yield* Either.left(badRequest(`Backup of a thin clone (${domain.verbose_name}) is forbidden.`, "50010"))
        }
        const previous = body.backup ?? undefined
        if (previous !== undefined && findById(state.library, previous) === undefined) {
          return yield* Either.left(invalidField("backup", `File ${previous} not found.`))
        }
        const datapoolId = body.datapool ?? domain.datapoolId
        if (findById(state.datapools, datapoolId) === undefined) {
          return yield* Either.left(invalidField("datapool", `Data pool ${datapoolId} not found.`))
        }
        const [fileId] = nextId(state, "file")
        const incremental = body.increment === true && previous !== undefined
        const plan: Plan = {
          prepare: (s) => nextId(s, "file")[1],
          spec: {
            name: `Backing up the virtual machine ${domain.verbose_name}.`,
            entities: [[domain.id, "domain"], [fileId, "file"]],
            nodeId: domain.nodeId,
            lock: [domain.id],
            onSuccess: (s, at) => {
              const current = findById(s.domains, domain.id)
              if (current === undefined) return Either.left(`Domain ${domain.id} not found.`)
              const stamp = isoAt(at).slice(0, 19).replace("T", "_").replaceAll(":", "-")
              const file: LibraryRecord = {
                id: fileId,
                filename: `${current.verbose_name}_${stamp}.${incremental ? "inc" : "ecp"}`,
                description: "",
                datapoolId,
                domainId: current.id,
                size: incremental ? 0.25 : 1.5,
                assignment_type: "backup",
                can_be_incremental: body.can_be_incremental ?? false,
                status: "ACTIVE",
                created: isoAt(at),
                modified: isoAt(at),
                snapshot: current
              }
              return Either.right({ ...s, library: [...s.library, file] })
            },
            response: (s, now) => {
              const file = findById(s.library, fileId)
              return file === undefined ? {} : libraryDetail({ state: s, now }, file)
            }
          },
          syncBody: (ctx) => {
            const file = findById(ctx.state.library, fileId)
            return file === undefined ? {} : libraryDetail(ctx, file)
          }
        }
        return plan
      })))

const backupFile = (state: SimState, id: string): Either.Either<LibraryRecord, VeilError> => {
  const file = findById(state.library, id)
  return file === undefined || file.snapshot === null
    ? Either.left(invalidField("file", `Backup file ${id} not found.`))
    : Either.right(file)
}

const showBackupHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(ShowBackupBody), (body) =>
    Effect.flatMap(renderContext(env, req), (ctx) =>
      Effect.map(backupFile(ctx.state, body.file), (file) =>
        json(file.snapshot === null ? {} : domainDetail(ctx, file.snapshot)))))

const restoreHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(RestoreBody), (body) =>
    perform(env, req, (state) =>
      Either.gen(function*() {
        const file = yield* backupFile(state, body.file)
        const snapshot = file.snapshot
        if (snapshot === null) return yield* Either.left(notFound("File", body.file))
        if (findById(state.nodes, body.node) === undefined) {
          return yield* Either.left(invalidField("node", `Node ${body.node} not found.`))
        }
        const placement = yield* resolvePlacement(state, { node: body.node, datapool: body.datapool ?? null }, snapshot)
        const [ids, withIds] = yield* resolveIds(state, 1, undefined)
        const taken = state.domains.some((d) => d.verbose_name === snapshot.verbose_name)
        const plan = createPlan({
          source: snapshot,
          ids,
          names: [taken ? `${snapshot.verbose_name}_restored` : snapshot.verbose_name],
          placement,
          thin: false,
          template: snapshot.template,
          parentId: null,
          remote_access: snapshot.remote_access,
          start_on: false,
          set_hostname: false,
          taskName: (name) => `Restoring the virtual machine ${name} from backup ${file.filename}.`,
          multiName: `Automated restore of ${file.filename}.`,
          now: req.now
        })
        return afterIds(plan, withIds.seq)
      })))

/**
 * The domain action routes.
 *
 * @since 0.1.0
 */
export const domainActionRoutes = (env: SimEnv) => [
  ...powerActions.map((action) => route(env, "POST", `/api/domains/:id/${action}/`, powerHandler(env, action))),
  route(env, "POST", "/api/domains/:id/remove/", removeHandler(env)),
  route(env, "POST", "/api/domains/:id/remote-access/", remoteAccessHandler(env)),
  route(env, "POST", "/api/domains/:id/set-hostname/", hostnameHandler(env)),
  route(env, "POST", "/api/domains/:id/vdi-prepare/", prepareHandler(env)),
  route(env, "POST", "/api/domains/:id/attach-usb/", attachUsbHandler(env)),
  route(env, "POST", "/api/domains/:id/detach-usb/", detachUsbHandler(env)),
  route(env, "POST", "/api/domains/:id/clone/", cloneHandler(env)),
  route(env, "POST", "/api/domains/:id/change-template/", noOpHandler(env, "Changing the template of")),
  route(env, "POST", "/api/domains/:id/attach-veil-utils-iso/", noOpHandler(env, "Attaching the VeiL utils ISO to")),
  route(env, "POST", "/api/domains/multi-create-domain/", multiCreateHandler(env)),
  route(env, "POST", "/api/domains/multi-manager/", multiManagerHandler(env)),
  route(env, "POST", "/api/domains/backup/", backupHandler(env)),
  route(env, "POST", "/api/domains/show-backup/", showBackupHandler(env)),
  route(env, "POST", "/api/domains/automated-restore/", restoreHandler(env))
]
