/**
 * Pure domain logic: power transitions, validation, placement of new domains and the plans that create them
 * (multi-create, clone, restore).
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Plan } from "./Actions.js"
import { domainDetail } from "./BodiesDomain.js"
import { badRequest, invalidField, notFound, type VeilError } from "./Errors.js"
import { uuidFrom } from "./Ids.js"
import {
  entityClassOf,
  findById,
  isoAt,
  nextIds,
  powerStateNames,
  updateDomain,
  type DomainRecord,
  type PowerState,
  type SimState,
  type VdiskRecord
} from "./State.js"
import type { TaskSpec } from "./Tasks.js"

/**
 * The power actions of `POST domains/{id}/<action>/`.
 *
 * @since 0.1.0
 */
export type PowerAction = "start" | "shutdown" | "reboot" | "suspend" | "resume" | "reset"

/**
 * Every power action.
 *
 * @since 0.1.0
 */
export const powerActions: ReadonlyArray<PowerAction> = ["start", "shutdown", "reboot", "suspend", "resume", "reset"]

const transitions: Readonly<Record<PowerAction, { readonly from: ReadonlyArray<PowerState>; readonly to: PowerState; readonly verb: string }>> = {
  start: { from: [0, 1], to: 3, verb: "Starting" },
  shutdown: { from: [2, 3], to: 1, verb: "Shutting down" },
  reboot: { from: [3], to: 3, verb: "Rebooting" },
  suspend: { from: [3], to: 2, verb: "Suspending" },
  resume: { from: [2], to: 3, verb: "Resuming" },
  reset: { from: [2, 3], to: 3, verb: "Resetting" }
}

/**
 * The task name of a power action, as ECP words it (`Starting the virtual machine win_test.`).
 *
 * @since 0.1.0
 */
export const powerTaskName = (action: PowerAction, domain: DomainRecord): string =>
  `${transitions[action].verb} the virtual machine ${domain.verbose_name}.`

/**
 * Finds a domain or 404.
 *
 * @since 0.1.0
 */
export const requireDomain = (state: SimState, id: string): Either.Either<DomainRecord, VeilError> => {
  const domain = findById(state.domains, id)
  return domain === undefined ? Either.left(notFound("Domain", id)) : Either.right(domain)
}

/**
 * Fails with 400 when a task holds the domain's lock or the domain is not ACTIVE.
 *
 * @since 0.1.0
 */
export const requireFree = (domain: DomainRecord): Either.Either<DomainRecord, VeilError> =>
  domain.locked_by !== null
    ? Either.left(badRequest(`Domain ${domain.verbose_name} is locked by task ${domain.locked_by}.`))
    : domain.status !== "ACTIVE"
    ? Either.left(badRequest(`Domain ${domain.verbose_name} is in status ${domain.status}.`))
    : Either.right(domain)

/**
 * Fails with 400 for a template.
 *
 * @since 0.1.0
 */
export const requireVm = (domain: DomainRecord, action: string): Either.Either<DomainRecord, VeilError> =>
  domain.template
    ? Either.left(badRequest(`Action ${action} is not available for template ${domain.verbose_name}.`))
    : Either.right(domain)

/**
 * Fails with 400 when the domain is not running.
 *
 * @since 0.1.0
 */
export const requireRunning = (domain: DomainRecord, what: string): Either.Either<DomainRecord, VeilError> =>
  domain.user_power_state === 3
    ? Either.right(domain)
    : Either.left(badRequest(`${what} is not available: domain ${domain.verbose_name} is not running.`))

/**
 * Why a power action is not possible in the domain's current state, if it is not.
 *
 * @since 0.1.0
 */
export const powerProblem = (domain: DomainRecord, action: PowerAction): string | undefined => {
  if (domain.template) return `Action ${action} is not available for template ${domain.verbose_name}.`
  if (transitions[action].from.includes(domain.user_power_state)) return undefined
  if (action === "start" && domain.user_power_state === 3) return `Domain ${domain.verbose_name} is already running.`
  if (action === "shutdown" && domain.user_power_state === 1) {
    return `Domain ${domain.verbose_name} is already powered off.`
  }
  return `Cannot ${action} domain ${domain.verbose_name} in power state ${powerStateNames[domain.user_power_state]}.`
}

const guestAddress = (state: SimState, id: string): string =>
  `192.168.30.${(Math.max(0, state.domains.findIndex((d) => d.id === id)) % 250) + 2}`

/**
 * A domain switched to a power state at virtual time `at` (uptime, guest hostname and address follow).
 *
 * @since 0.1.0
 */
export const withPower = (state: SimState, domain: DomainRecord, to: PowerState, at: number, restart: boolean): DomainRecord => ({
  ...domain,
  user_power_state: to,
  modified: isoAt(at),
  startedAt: to === 3 ? (restart || domain.startedAt === null ? at : domain.startedAt) : to === 2 ? domain.startedAt : null,
  hostname: to === 3 && domain.hostname === "" ? domain.verbose_name.toUpperCase() : domain.hostname,
  ipv4: to === 3 && domain.ipv4.length === 0 ? [guestAddress(state, domain.id)] : domain.ipv4
})

/**
 * The effect of a power action when its task ends; refuses when the domain is gone or the transition became
 * impossible.
 *
 * @since 0.1.0
 */
export const applyPower = (id: string, action: PowerAction) => (state: SimState, at: number): Either.Either<SimState, string> => {
  const domain = findById(state.domains, id)
  if (domain === undefined) return Either.left(`Domain ${id} not found.`)
  const problem = powerProblem(domain, action)
  if (problem !== undefined) return Either.left(problem)
  const restart = action === "start" || action === "reboot" || action === "reset"
  return Either.right(updateDomain(state, id, (d) => withPower(state, d, transitions[action].to, at, restart)))
}

/**
 * The task of a power action on one domain.
 *
 * @since 0.1.0
 */
export const powerTask = (domain: DomainRecord, action: PowerAction): TaskSpec => ({
  name: powerTaskName(action, domain),
  entities: [[domain.id, "domain"], [domain.nodeId, "node"]],
  nodeId: domain.nodeId,
  lock: [domain.id],
  onSuccess: applyPower(domain.id, action)
})

/**
 * The task removing a domain (`full` also removes its vdisks).
 *
 * @since 0.1.0
 */
export const removeTask = (domain: DomainRecord, full: boolean): TaskSpec => ({
  name: `Deleting the virtual machine ${domain.verbose_name}.`,
  entities: [[domain.id, "domain"], [domain.nodeId, "node"]],
  nodeId: domain.nodeId,
  lock: [domain.id],
  onSuccess: (state) => {
    const current = findById(state.domains, domain.id)
    if (current === undefined) return Either.left(`Domain ${domain.id} not found.`)
    const children = state.domains.filter((d) => d.parentId === domain.id && d.thin)
    if (children.length > 0) {
      return Either.left(`Template ${domain.verbose_name} has ${children.length} thin clone(s) and cannot be removed.`)
    }
    return Either.right({
      ...state,
      domains: state.domains.filter((d) => d.id !== domain.id),
      vdisks: full
        ? state.vdisks.filter((v) => v.domainId !== domain.id)
        : state.vdisks.map((v) => (v.domainId === domain.id ? { ...v, domainId: null } : v)),
      tags: state.tags.map((t) => ({ ...t, entities: t.entities.filter((e) => e.entity_uuid !== domain.id) }))
    })
  },
  onFailure: (state) => updateDomain(state, domain.id, (d) => ({ ...d, status: "ACTIVE" }))
})

/**
 * Why a domain cannot be removed now, if it cannot.
 *
 * @since 0.1.0
 */
export const removeProblem = (state: SimState, domain: DomainRecord, force: boolean): string | undefined => {
  if (!force && domain.user_power_state === 3) {
    return `Domain ${domain.verbose_name} is running: shut it down first or use force.`
  }
  const children = state.domains.filter((d) => d.parentId === domain.id && d.thin)
  return children.length > 0
    ? `Template ${domain.verbose_name} has ${children.length} thin clone(s) and cannot be removed.`
    : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// creating domains

/**
 * Where new domains go.
 *
 * @since 0.1.0
 */
export interface Placement {
  readonly nodeId: string
  readonly datapoolId: string
  readonly resourcePoolId: string
}

/**
 * The `node` / `datapool` / `resource_pool` choice of a create-type body, validated, with defaults taken from the
 * source domain (template, cloned domain or backup).
 *
 * @since 0.1.0
 */
export const resolvePlacement = (
  state: SimState,
  body: {
    readonly node?: string | null | undefined
    readonly datapool?: string | null | undefined
    readonly resource_pool?: string | null | undefined
  },
  source: DomainRecord
): Either.Either<Placement, VeilError> => {
  const node = body.node ?? undefined
  const datapool = body.datapool ?? undefined
  const resourcePool = body.resource_pool ?? undefined
  if (resourcePool !== undefined && (node !== undefined || datapool !== undefined)) {
    return Either.left(invalidField("resource_pool", "Cannot be combined with node or datapool."))
  }
  if (node !== undefined && findById(state.nodes, node) === undefined) {
    return Either.left(invalidField("node", `Node ${node} not found.`))
  }
  const pool = datapool === undefined ? undefined : findById(state.datapools, datapool)
  if (datapool !== undefined && pool === undefined) {
    return Either.left(invalidField("datapool", `Data pool ${datapool} not found.`))
  }
  const rp = resourcePool === undefined ? undefined : findById(state.resourcePools, resourcePool)
  if (resourcePool !== undefined && rp === undefined) {
    return Either.left(invalidField("resource_pool", `Resource pool ${resourcePool} not found.`))
  }
  const nodeId = node ??
    pool?.nodeIds[0] ??
    (rp === undefined || findById(state.nodes, source.nodeId)?.clusterId === rp.clusterId
      ? source.nodeId
      : state.nodes.find((n) => n.clusterId === rp.clusterId)?.id ?? source.nodeId)
  if (pool !== undefined && !pool.nodeIds.includes(nodeId)) {
    return Either.left(invalidField("datapool", `Data pool ${pool.verbose_name} is not connected to node ${nodeId}.`))
  }
  const connected = (id: string): boolean => findById(state.datapools, id)?.nodeIds.includes(nodeId) === true
  const datapoolId = pool?.id ??
    (connected(source.datapoolId) ? source.datapoolId : undefined) ??
    state.datapools.find((p) => p.nodeIds.includes(nodeId))?.id ??
    source.datapoolId
  const clusterId = findById(state.nodes, nodeId)?.clusterId
  const resourcePoolId = rp?.id ?? state.resourcePools.find((p) => p.clusterId === clusterId)?.id ?? source.resourcePoolId
  return Either.right({ nodeId, datapoolId, resourcePoolId })
}

/**
 * The ids of new domains: the client's `domains_ids` (validated: `count` of them, unique, unused) or fresh ones.
 *
 * @since 0.1.0
 */
export const resolveIds = (
  state: SimState,
  count: number,
  given: ReadonlyArray<string> | undefined
): Either.Either<readonly [ReadonlyArray<string>, SimState], VeilError> => {
  if (given === undefined) return Either.right(nextIds(state, "domain", count))
  if (given.length !== count) {
    return Either.left(invalidField("domains_ids", `Expected ${count} id(s) (count), got ${given.length}.`))
  }
  const lower = given.map((id) => id.toLowerCase())
  if (new Set(lower).size !== lower.length) return Either.left(invalidField("domains_ids", "Ids must be unique."))
  const taken = lower.find((id) => entityClassOf(state, id) !== undefined)
  if (taken !== undefined) return Either.left(invalidField("domains_ids", `An entity with id ${taken} already exists.`))
  return Either.right([lower, state])
}

/**
 * The names of `count` new domains: the name itself for one, `name-1`, `name-2`… for several.
 *
 * @since 0.1.0
 */
export const domainNames = (name: string, count: number): ReadonlyArray<string> =>
  count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`)

/**
 * How new domains are made.
 *
 * @since 0.1.0
 */
export interface CreateInput {
  readonly source: DomainRecord
  readonly ids: ReadonlyArray<string>
  readonly names: ReadonlyArray<string>
  readonly placement: Placement
  readonly thin: boolean
  readonly template: boolean
  readonly parentId: string | null
  readonly remote_access: boolean
  readonly start_on: boolean
  readonly set_hostname: boolean
  readonly taskName: (name: string) => string
  readonly multiName: string
  readonly now: number
}

const newDomain = (input: CreateInput, id: string, name: string, index: number): DomainRecord => ({
  ...input.source,
  id,
  verbose_name: name,
  description: "",
  template: input.template,
  user_power_state: 1,
  status: "CREATING",
  nodeId: input.placement.nodeId,
  datapoolId: input.placement.datapoolId,
  resourcePoolId: input.placement.resourcePoolId,
  parentId: input.parentId,
  thin: input.thin,
  created: isoAt(input.now),
  modified: isoAt(input.now),
  remote_access: input.remote_access,
  tcp_usb_devices: [],
  graphics_password: `sim${id.slice(0, 8)}`,
  remote_access_port: 5950 + index,
  real_remote_access_port: 51000 + index,
  hostname: "",
  ipv4: [],
  locked_by: null,
  startedAt: null
})

const newVdisk = (input: CreateInput, domain: DomainRecord): VdiskRecord => ({
  id: uuidFrom(`veil-simulator:vdisk:${domain.id}`),
  verbose_name: `${domain.verbose_name}_disk1`,
  description: "",
  datapoolId: domain.datapoolId,
  domainId: domain.id,
  size: input.thin ? 0.5 : 20,
  shareable: false,
  status: "ACTIVE",
  created: isoAt(input.now),
  modified: isoAt(input.now)
})

const creationTask = (input: CreateInput, id: string, name: string): TaskSpec => ({
  name: input.taskName(name),
  entities: [[id, "domain"], [input.placement.nodeId, "node"]],
  nodeId: input.placement.nodeId,
  lock: [id],
  onSuccess: (state, at) => {
    const domain = findById(state.domains, id)
    if (domain === undefined) return Either.left(`Domain ${name} was removed while being created.`)
    const active: DomainRecord = {
      ...domain,
      status: "ACTIVE",
      hostname: input.set_hostname ? name : domain.hostname,
      modified: isoAt(at)
    }
    return Either.right(updateDomain(state, id, () => (input.start_on ? withPower(state, active, 3, at, true) : active)))
  },
  onFailure: (state, at) => updateDomain(state, id, (d) => ({ ...d, status: "FAILED", modified: isoAt(at) })),
  response: (state, now) => {
    const domain = findById(state.domains, id)
    return domain === undefined ? {} : domainDetail({ state, now }, domain)
  }
})

/**
 * The plan creating domains: they appear at once as CREATING (with a vdisk each) and become ACTIVE (ON when
 * `start_on`) when their sub-task ends; a failed sub-task leaves its domain FAILED. One multitask with a sub-task
 * per domain; `entity` is the first new id.
 *
 * @since 0.1.0
 */
export const createPlan = (input: CreateInput): Plan => {
  const firstId = input.ids[0] ?? ""
  return {
    prepare: (state) => {
      const domains = input.ids.map((id, i) => newDomain(input, id, input.names[i] ?? id, i))
      return {
        ...state,
        domains: [...state.domains, ...domains],
        vdisks: [...state.vdisks, ...domains.map((d) => newVdisk(input, d))]
      }
    },
    spec: {
      name: input.multiName,
      entities: [...input.ids.map((id): readonly [string, string] => [id, "domain"]), [input.placement.nodeId, "node"]],
      nodeId: input.placement.nodeId,
      children: input.ids.map((id, i) => creationTask(input, id, input.names[i] ?? id)),
      response: (state, now) => {
        const domain = findById(state.domains, firstId)
        return domain === undefined ? {} : domainDetail({ state, now }, domain)
      }
    },
    entity: firstId,
    syncBody: (ctx) => {
      const domain = findById(ctx.state.domains, firstId)
      return domain === undefined ? {} : domainDetail(ctx, domain)
    }
  }
}

/**
 * A plan whose preparation first advances the id counter to `seq` (ids were generated while validating).
 *
 * @since 0.1.0
 */
export const afterIds = (plan: Plan, seq: number): Plan => ({
  ...plan,
  prepare: (state) => {
    const advanced: SimState = { ...state, seq: Math.max(state.seq, seq) }
    return plan.prepare === undefined ? advanced : plan.prepare(advanced)
  }
})
