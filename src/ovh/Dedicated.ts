/**
 * Typed dedicated-server calls (`/dedicated/server`), decoded against the API schema's models.
 *
 * Enumerations the schema declares (`datacenter`, `state`, `powerState`, `supportLevel`, a burst's and a task's
 * `status`, a task's `function`) are read as plain strings: OVH adds values over time, and a recorded answer already
 * carries one the published enum lacks (`state: "test"`).
 * Fields that older answers lack (`region`, `availabilityZone`, `powerState`, `iam`) are optional.
 *
 * IPMI access is asked for with a `POST` (sent once: OVH has no idempotency key) that starts a task; the access can be
 * read with a `GET` once that task is done. {@link waitForIpmiAccess} does both.
 *
 * @since 0.1.0
 */
import { Duration, Effect, Option, Predicate, type Redacted, Schedule, Schema } from "effect"
import { type ApiError, statusOf } from "../core/Errors.js"
import * as Envelope from "../core/Envelope.js"
import { nullable } from "../core/Fields.js"
import * as Resource from "../core/Resource.js"
import * as Path from "../core/Path.js"
import * as Operation from "../core/Operation.js"
import * as Waiting from "../core/Waiting.js"
import { OvhClient } from "./Client.js"
import { sender } from "./Sender.js"

/** `dedicated.server.DedicatedWithIAM`: one dedicated server. */
export const DedicatedServer = Schema.Struct({
  name: Schema.String,
  serverId: Schema.Number,
  ip: Schema.String,
  datacenter: Schema.String,
  os: Schema.String,
  state: Schema.String,
  rack: Schema.String,
  commercialRange: nullable(Schema.String),
  reverse: nullable(Schema.String),
  supportLevel: Schema.String,
  monitoring: Schema.Boolean,
  noIntervention: Schema.Boolean,
  professionalUse: Schema.Boolean,
  newUpgradeSystem: Schema.Boolean,
  bootId: nullable(Schema.Number),
  bootScript: nullable(Schema.String),
  linkSpeed: nullable(Schema.Number),
  rescueMail: nullable(Schema.String),
  rescueSshKey: nullable(Schema.String),
  rootDevice: nullable(Schema.String),
  powerState: Schema.optional(Schema.String),
  region: Schema.optional(Schema.String),
  availabilityZone: Schema.optional(Schema.String),
  iam: Schema.optional(Schema.Struct({ id: Schema.String, urn: Schema.String, displayName: Schema.optional(Schema.String) }))
})

/** A dedicated server as decoded. */
export interface DedicatedServer extends Schema.Schema.Type<typeof DedicatedServer> {}

/** The account's dedicated servers, declared with core's `Resource`. */
const servers = Resource.direct(sender, {
  name: "dedicatedServer",
  path: "/dedicated/server",
  item: "/dedicated/server/{serviceName}",
  list: Envelope.array(Schema.String),
  one: Envelope.bare(DedicatedServer),
  query: {},
  paging: Resource.single
})

/** The service names of the account's dedicated servers (`GET /dedicated/server`). */
export const list: Effect.Effect<ReadonlyArray<string>, ApiError, OvhClient> = Effect.map(servers.list(), (page) => page.items)

/** One dedicated server by service name (`GET /dedicated/server/{serviceName}`). */
export const get = (serviceName: string): Effect.Effect<DedicatedServer, ApiError, OvhClient> => servers.get(serviceName)

/** `dedicated.server.ServerBurst`: whether the server's bandwidth may burst, and how far. */
export const Burst = Schema.Struct({
  /** `active`, `inactive`, or `inactiveLocked` (turned off by OVH for a while after overuse). */
  status: Schema.String,
  /** How far the bandwidth may burst, e.g. `{ unit: "Mbps", value: 1000 }`. */
  capacity: nullable(Schema.Struct({ unit: Schema.String, value: Schema.Number }))
})

/** A burst setting as decoded. */
export interface Burst extends Schema.Schema.Type<typeof Burst> {}

/** A burst status a caller may set (`inactiveLocked` is OVH's to set). */
export type BurstStatus = "active" | "inactive"

/** The server's bandwidth burst (`GET /dedicated/server/{serviceName}/burst`). */
export const burst = (serviceName: string): Effect.Effect<Burst, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/dedicated/server/{serviceName}/burst", { serviceName }), undefined, Burst)
  )

/** Turns the bandwidth burst on or off (`PUT /dedicated/server/{serviceName}/burst`); OVH answers nothing. */
export const setBurst = (serviceName: string, status: BurstStatus): Effect.Effect<void, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => Effect.asVoid(ovh.put(Path.make("/dedicated/server/{serviceName}/burst", { serviceName }), { status }))
  )

/** `dedicated.server.Task`: work OVH does on a server (a reinstall, an IPMI access, …). */
export const Task = Schema.Struct({
  taskId: Schema.Number,
  /** What the task does, e.g. `requestAccessIPMI`. */
  function: Schema.String,
  /** `init`, `todo`, `doing`, `done`, `customerError`, `ovhError` or `cancelled`. */
  status: Schema.String,
  startDate: Schema.Date,
  doneDate: nullable(Schema.Date),
  lastUpdate: nullable(Schema.Date),
  needSchedule: Schema.Boolean,
  comment: nullable(Schema.String),
  note: nullable(Schema.String),
  plannedInterventionId: nullable(Schema.Number),
  ticketReference: nullable(Schema.String),
  tags: nullable(Schema.Array(Schema.Struct({ key: nullable(Schema.String), value: nullable(Schema.String) })))
})

/** A server task as decoded. */
export interface Task extends Schema.Schema.Type<typeof Task> {}

/** One task of a server (`GET /dedicated/server/{serviceName}/task/{taskId}`). */
export const task = (serviceName: string, taskId: number): Effect.Effect<Task, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/dedicated/server/{serviceName}/task/{taskId}", { serviceName, taskId: String(taskId) }), undefined, Task, {
      cache: false
    })
  )

/** `dedicated.server.IpmiAccessTypeEnum`: a KVM console (HTML5 URL or Java JNLP file) or a serial console (URL or SSH). */
export type IpmiAccessType = "kvmipHtml5URL" | "kvmipJnlp" | "serialOverLanSshKey" | "serialOverLanURL"

/** `dedicated.server.CacheTTLEnum`: how many minutes the access lasts. OVH's values are strings; numbers are sent as them. */
export type IpmiTtl = "1" | "3" | "5" | "10" | "15" | 1 | 3 | 5 | 10 | 15

/** What IPMI access to ask for. */
export interface IpmiAccessRequest {
  readonly type: IpmiAccessType
  readonly ttl: IpmiTtl
  /** The IPv4 address the console may be opened from. */
  readonly ipToAllow?: string | undefined
  /** The public SSH key for `serialOverLanSshKey`. */
  readonly sshKey?: string | undefined
}

/** `dedicated.server.IpmiAccessValue`: an IPMI access and when it ends. */
export const IpmiAccessValue = Schema.Struct({
  expiration: nullable(Schema.Date),
  /** A console URL, a JNLP file or an SSH command; whoever holds it reaches the console, so it is `Redacted`. */
  value: nullable(Schema.Redacted(Schema.String))
})

/** An IPMI access as decoded. */
export interface IpmiAccessValue extends Schema.Schema.Type<typeof IpmiAccessValue> {}

/** Asks for IPMI access (`POST /dedicated/server/{serviceName}/features/ipmi/access`); answers the task granting it. */
export const requestIpmiAccess = (serviceName: string, request: IpmiAccessRequest): Effect.Effect<Task, ApiError, OvhClient> =>
  Effect.flatMap(OvhClient, (ovh) =>
    ovh.post(
      Path.make("/dedicated/server/{serviceName}/features/ipmi/access", { serviceName }),
      { type: request.type, ttl: String(request.ttl), ipToAllow: request.ipToAllow, sshKey: request.sshKey },
      Task
    ))

/** The IPMI access of a type, once its task is done (`GET /dedicated/server/{serviceName}/features/ipmi/access`). */
export const ipmiAccess = (serviceName: string, type: IpmiAccessType): Effect.Effect<IpmiAccessValue, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/dedicated/server/{serviceName}/features/ipmi/access", { serviceName }), { type }, IpmiAccessValue, {
      cache: false
    })
  )

/** An IPMI access that is there. */
export interface ReadyIpmiAccess extends IpmiAccessValue {
  readonly value: Redacted.Redacted<string>
}

/** How {@link waitForIpmiAccess} polls. */
export interface IpmiWaitOptions {
  /** Spacing of the reads after the first. Default: every 2 seconds. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
  /** Deadline of the wait, counted from the answer to the request. Default: 2 minutes. */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Whether a failed read means "not ready yet": OVH's own 404 or 400 (an error body with a `class`, such as
 * `Client::NotFound`). Gateway refusals (`errorCode` bodies) and every other status are real failures.
 */
const notReadyYet = (error: ApiError): boolean => {
  const status = statusOf(error)
  return (status === 404 || status === 400) && error._tag !== "InvalidInputError" && Predicate.hasProperty(error.details, "class")
}

const isReady = (access: IpmiAccessValue): access is ReadyIpmiAccess => access.value !== null

/**
 * Asks for IPMI access once, then reads it on `schedule` until OVH answers it (a read that fails as not ready yet, or
 * answers no value, is read again). Fails with `WaitTimeoutError` at the deadline, or when the schedule ends first.
 */
export const waitForIpmiAccess = (
  serviceName: string,
  request: IpmiAccessRequest,
  options: IpmiWaitOptions = {}
): Effect.Effect<ReadyIpmiAccess, ApiError | Waiting.WaitTimeoutError, OvhClient> => {
  const subject = `IPMI access (${request.type}) to ${serviceName}`
  const timeout = Duration.decode(options.timeout ?? "2 minutes")
  const poll = ipmiAccess(serviceName, request.type).pipe(
    Effect.map(Option.liftPredicate(isReady)),
    Effect.catchIf(notReadyYet, () => Effect.succeed(Option.none<ReadyIpmiAccess>()))
  )
  const access = Operation.make({
    subject,
    poll,
    isFinal: Option.isSome,
    schedule: Schedule.spaced("2 seconds"),
    describe: (state) => (Option.isSome(state) ? "ready" : "not ready")
  })
  return requestIpmiAccess(serviceName, request).pipe(
    Effect.zipRight(access.wait({ schedule: options.schedule, timeout })),
    Effect.flatMap(Option.match({
      onSome: Effect.succeed,
      onNone: () => Effect.fail(new Waiting.WaitTimeoutError({ subject, timeoutMillis: Duration.toMillis(timeout), lastState: "not ready" }))
    }))
  )
}
