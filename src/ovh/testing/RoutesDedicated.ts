/**
 * Dedicated-server routes: list and detail, burst, tasks, and IPMI access (requested with a `POST`, readable with a
 * `GET` once its task is done, for the `ttl` minutes asked).
 *
 * Until the access is ready, `GET …/features/ipmi/access` answers 404 `Client::NotFound` (what the real API answers
 * then is not documented). `ttl` is OVH's string enum `"1" | "3" | "5" | "10" | "15"`; the same numbers sent as JSON
 * numbers (as the seed's example does) are accepted too.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { randomUUID } from "node:crypto"
import { badRequest, notFound, type SimError } from "./Errors.js"
import { bodyObject, type Ctx, type Env, found, json, route, type Route, updateOne } from "./Http.js"
import { type IpmiAccessRecord, ovhDate, type ServerRecord, type ServerTaskRecord, type SimState } from "./State.js"

const serverNamed = (ctx: Ctx) => (s: SimState): ServerRecord | undefined => s.servers.find((r) => r.detail.name === ctx.params["serviceName"])

/** Applies `f` to the server the path names, atomically, or answers 404. */
const updateServer = <A>(
  ctx: Ctx,
  env: Env,
  f: (server: ServerRecord, id: number, state: SimState) => Either.Either<readonly [A, ServerRecord], SimError>
): Effect.Effect<A, SimError> =>
  updateOne(env, servers, (r) => r.detail.name === ctx.params["serviceName"], f)

const servers = { get: (s: SimState) => s.servers, set: (s: SimState, list: ReadonlyArray<ServerRecord>): SimState => ({ ...s, servers: list }) }

/** `dedicated.server.Task` as OVH answers it at `now`. */
const taskBody = (task: ServerTaskRecord, now: number) => {
  const done = now >= task.doneAt
  return {
    taskId: task.taskId,
    function: task.function,
    status: done ? "done" : now >= task.startDate + (task.doneAt - task.startDate) / 2 ? "doing" : "todo",
    startDate: ovhDate(task.startDate),
    doneDate: done ? ovhDate(task.doneAt) : null,
    lastUpdate: ovhDate(Math.min(now, task.doneAt)),
    comment: task.comment,
    needSchedule: false,
    note: null,
    plannedInterventionId: null,
    tags: null,
    ticketReference: null
  }
}

const burstStatuses: ReadonlyArray<string> = ["active", "inactive"]
const ipmiTypes: ReadonlyArray<string> = ["kvmipHtml5URL", "kvmipJnlp", "serialOverLanSshKey", "serialOverLanURL"]
const ttls: ReadonlyArray<string> = ["1", "3", "5", "10", "15"]

/** What an IPMI access of `type` reads as. */
const ipmiValue = (type: string, server: string, ip: string | undefined): string => {
  const session = randomUUID()
  switch (type) {
    case "kvmipJnlp":
      return `<?xml version="1.0" encoding="UTF-8"?><jnlp spec="1.0+" codebase="https://ipmi.simulator.invalid/${session}"><information><title>${server}</title></information><application-desc main-class="com.example.kvm.Viewer"><argument>${ip ?? ""}</argument></application-desc></jnlp>`
    case "serialOverLanSshKey":
      return `ssh -p 2222 sol-${session}@ipmi.simulator.invalid`
    default:
      return `https://ipmi.simulator.invalid/${type === "kvmipHtml5URL" ? "kvm" : "sol"}/${session}`
  }
}

const ipmiRoutes: ReadonlyArray<Route> = [
  route("GET", "/dedicated/server/{serviceName}/features/ipmi", (ctx, env) =>
    Effect.as(found(env, serverNamed(ctx)), json({
      activated: true,
      supportedFeatures: { kvmipHtml5URL: true, kvmipJnlp: true, serialOverLanSshKey: true, serialOverLanURL: true }
    }))),
  route("POST", "/dedicated/server/{serviceName}/features/ipmi/access", (ctx, env) =>
    Effect.flatMap(bodyObject(ctx), (body) => {
      const type = body["type"]
      const ttl = body["ttl"]
      const ipToAllow = body["ipToAllow"]
      if (typeof type !== "string" || !ipmiTypes.includes(type)) {
        return Effect.fail(badRequest(`[type] Invalid value: expected one of ${ipmiTypes.join(", ")}`))
      }
      if ((typeof ttl !== "string" && typeof ttl !== "number") || !ttls.includes(String(ttl))) {
        return Effect.fail(badRequest(`[ttl] Invalid value: expected one of ${ttls.join(", ")}`))
      }
      if (ipToAllow !== undefined && typeof ipToAllow !== "string") return Effect.fail(badRequest("[ipToAllow] Invalid value: an IPv4 address is expected"))
      return updateServer(ctx, env, (server, id, state) => {
        const task: ServerTaskRecord = {
          taskId: id,
          function: "requestAccessIPMI",
          startDate: ctx.now,
          doneAt: ctx.now + state.settings.ipmiDelayMs,
          comment: `Request ${type} access`
        }
        const access: IpmiAccessRecord = {
          type,
          taskId: task.taskId,
          value: ipmiValue(type, server.detail.name, ipToAllow),
          readyAt: task.doneAt,
          expiresAt: task.doneAt + Number(ttl) * 60_000
        }
        return Either.right([json(taskBody(task, ctx.now)), { ...server, tasks: [...server.tasks, task], ipmi: [...server.ipmi, access] }] as const)
      })
    })),
  route("GET", "/dedicated/server/{serviceName}/features/ipmi/access", (ctx, env) =>
    Effect.flatMap(found(env, serverNamed(ctx)), (server) => {
      const type = ctx.query.get("type")
      if (type === null) return Effect.fail(badRequest("[type] Property is mandatory"))
      const ready = [...server.ipmi].reverse().find((a) => a.type === type && a.readyAt <= ctx.now && a.expiresAt > ctx.now)
      return ready === undefined
        ? Effect.fail(notFound(`No ${type} access is available for this server yet`))
        : Effect.succeed(json({ expiration: ovhDate(ready.expiresAt), value: ready.value }))
    }))
]

/**
 * Every dedicated-server route.
 *
 * @since 0.1.0
 */
export const dedicatedRoutes: ReadonlyArray<Route> = [
  route("GET", "/dedicated/server", (_ctx, env) => Effect.map(env.state.get, (s) => json(s.servers.map((r) => r.detail.name)))),
  route("GET", "/dedicated/server/{serviceName}", (ctx, env) => Effect.map(found(env, serverNamed(ctx)), (r) => json(r.detail))),
  route("GET", "/dedicated/server/{serviceName}/burst", (ctx, env) => Effect.map(found(env, serverNamed(ctx)), (r) => json(r.burst))),
  route("PUT", "/dedicated/server/{serviceName}/burst", (ctx, env) =>
    Effect.flatMap(bodyObject(ctx), (body) => {
      const status = body["status"]
      if (typeof status !== "string" || !burstStatuses.includes(status)) {
        return Effect.fail(badRequest(`[status] Invalid value: expected one of ${burstStatuses.join(", ")}`))
      }
      return updateServer(ctx, env, (server) =>
        server.burst.status === "inactiveLocked"
          ? Either.left(badRequest("Burst is locked on this server"))
          : Either.right([json(null), { ...server, burst: { ...server.burst, status } }] as const))
    })),
  route("GET", "/dedicated/server/{serviceName}/task", (ctx, env) =>
    Effect.map(found(env, serverNamed(ctx)), (r) => json(r.tasks.map((t) => t.taskId)))),
  route("GET", "/dedicated/server/{serviceName}/task/{taskId}", (ctx, env) =>
    Effect.map(
      found(env, (s) => serverNamed(ctx)(s)?.tasks.find((t) => String(t.taskId) === ctx.params["taskId"]), "This task does not exist"),
      (task) => json(taskBody(task, ctx.now))
    )),
  ...ipmiRoutes
]
