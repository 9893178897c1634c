/**
 * Domain reads and synchronous domain calls: list (with the filters of veil.md §2.4), detail, update
 * (`PUT domains/{id}/`), convert to/from template, SPICE/VNC URLs and guest-agent commands.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { domainDetail, domainRow } from "./BodiesDomain.js"
import { badRequest, type VeilError } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { decodeBody, param, renderContext, reply, route, transact, type Handler, type SimEnv } from "./Http.js"
import { isUuid, uuidFrom } from "./Ids.js"
import { isObject, type Json } from "../../core/testing/Json.js"
import { listHandler, type Listing } from "./Listing.js"
import { isTrue } from "./Paging.js"
import { GuestCommandBody, TemplateBody, UpdateBody, updatableFields } from "./RequestBodies.js"
import { requireDomain, requireFree, requireRunning, requireVm } from "./DomainOps.js"
import { findById, isoAt, powerStateFromName, updateDomain, type DomainRecord } from "./State.js"

const boolFilter = (field: string) => (value: string): string | undefined =>
  ["0", "1", "true", "false", "True", "False"].includes(value) ? undefined : `${field}: Must be 0 or 1.`

/**
 * The domain listing and its filters: `template`, `node`, `cluster`, `datapool`, `resource_pool`, `parent`, `ids`
 * (comma-joined), `power_state` (`ON`/`OFF`/`SUSPENDED`/`UNDEFINED`), `status`, `os_type`.
 *
 * @since 0.1.0
 */
export const domainListing: Listing<DomainRecord> = {
  items: (s) => s.domains,
  filters: {
    template: { check: boolFilter("template"), test: (d, v) => d.template === isTrue(v) },
    node: { uuid: true, test: (d, v) => d.nodeId === v },
    cluster: { uuid: true, test: (d, v, s) => findById(s.nodes, d.nodeId)?.clusterId === v },
    datapool: { uuid: true, test: (d, v) => d.datapoolId === v },
    resource_pool: { uuid: true, test: (d, v) => d.resourcePoolId === v },
    parent: { uuid: true, test: (d, v) => d.parentId === v },
    ids: {
      check: (v) => {
        const bad = v.split(",").map((id) => id.trim()).find((id) => id.length > 0 && !isUuid(id))
        return bad === undefined ? undefined : `ids: “${bad}” is not a valid UUID.`
      },
      test: (d, v) => v.split(",").map((id) => id.trim().toLowerCase()).includes(d.id)
    },
    power_state: {
      check: (v) =>
        powerStateFromName(v) === undefined
          ? `power_state: Select a valid choice. ${v} is not one of the available choices.`
          : undefined,
      test: (d, v) => d.user_power_state === powerStateFromName(v)
    },
    status: { test: (d, v) => d.status === v.toUpperCase() },
    os_type: { test: (d, v) => d.os_type.toLowerCase() === v.toLowerCase() }
  },
  name: (d) => d.verbose_name,
  row: domainRow,
  detail: domainDetail
}

const getDomain = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.map(requireDomain(ctx.state, param(req, "id")), (domain) => json(domainDetail(ctx, domain))))

const updateDomainHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(UpdateBody), (body) => {
    const given = updatableFields.filter((field) => body[field] !== undefined)
    if (given.length === 0) {
      return Effect.fail(badRequest(`At least one of ${updatableFields.join(", ")} is required.`))
    }
    return transact(env, (state) =>
      Either.map(Either.flatMap(requireDomain(state, param(req, "id")), requireFree), (domain) => {
        const next = updateDomain(state, domain.id, (d) => ({
          ...d,
          ...(body.verbose_name !== undefined ? { verbose_name: body.verbose_name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.os_type !== undefined ? { os_type: body.os_type } : {}),
          ...(body.os_version !== undefined ? { os_version: body.os_version } : {}),
          ...(body.tablet !== undefined ? { tablet: body.tablet } : {}),
          ...(body.start_on_boot !== undefined ? { start_on_boot: body.start_on_boot } : {}),
          ...(body.spice_stream !== undefined ? { spice_stream: body.spice_stream } : {}),
          modified: isoAt(req.now)
        }))
        const updated = findById(next.domains, domain.id) ?? domain
        return reply(json(domainDetail({ state: next, now: req.now }, updated)), next)
      }))
  })

const templateHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(TemplateBody), (body) =>
    transact(env, (state) =>
      Either.gen(function*() {
        const domain = yield* Either.flatMap(requireDomain(state, param(req, "id")), requireFree)
        if (body.template && !domain.template && domain.user_power_state === 3) {
          return yield* Either.left(badRequest(`Domain ${domain.verbose_name} must be powered off to become a template.`))
        }
        if (!body.template && domain.template) {
          const children = state.domains.filter((d) => d.parentId === domain.id && d.thin)
          if (children.length > 0) {
            return yield* Either.left(
              badRequest(`Template ${domain.verbose_name} has ${children.length} thin clone(s) and cannot become a VM.`)
            )
          }
        }
        const next = updateDomain(state, domain.id, (d) => ({
          ...d,
          template: body.template,
          user_power_state: body.template ? 1 : d.user_power_state,
          startedAt: body.template ? null : d.startedAt,
          modified: isoAt(req.now)
        }))
        const updated = findById(next.domains, domain.id) ?? domain
        return reply(json(domainDetail({ state: next, now: req.now }, updated)), next)
      })))

const consoleHandler = (env: SimEnv, kind: "spice" | "vnc"): Handler => (req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.flatMap(
      Either.flatMap(
        Either.flatMap(requireDomain(ctx.state, param(req, "id")), (d) => requireVm(d, kind)),
        (d) => requireRunning(d, kind === "spice" ? "SPICE" : "VNC")
      ),
      (domain): Effect.Effect<ReturnType<typeof json>, VeilError> => {
        if (!domain.remote_access) {
          return Effect.fail(badRequest(`Remote access is disabled for domain ${domain.verbose_name}.`))
        }
        const token = uuidFrom(`veil-simulator:${kind}:${domain.id}:${domain.startedAt ?? 0}`).replaceAll("-", "")
        const page = kind === "spice" ? "/spice-html5/spice_auto.html" : "/no-vnc/vnc.html"
        return Effect.succeed(json({
          [`${kind}_url`]: `${page}?host=${req.url.hostname}&password=${domain.graphics_password}&path=websockify?token=${token}`
        }))
      }
    ))

const guestExecOutput = (fargs: unknown): string => {
  if (!isObject(fargs)) return ""
  const args = Array.isArray(fargs["arg"]) ? fargs["arg"].map(String).join(" ") : ""
  return args.includes("PartOfDomain") ? "False\r\n" : args.includes("hostname") ? "SIMULATED-HOST\r\n" : ""
}

const guestCommandHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(GuestCommandBody), (body) =>
    Effect.flatMap(renderContext(env, req), (ctx) =>
      Effect.map(
        Either.flatMap(requireDomain(ctx.state, param(req, "id")), (d) => requireRunning(d, "Guest agent")),
        (domain): ReturnType<typeof json> => {
          if (body.qemu_cmd === "guest-exec") {
            return json({ "guest-exec": { "out-data": guestExecOutput(body.fargs) } })
          }
          const answers: Readonly<Record<string, Json>> = {
            "guest-ping": {},
            "guest-get-host-name": { "host-name": domain.hostname },
            fqdn: { fqdn: domain.hostname.toLowerCase() },
            api_version: { version: "101.1.0" }
          }
          return json(answers[body.qemu_cmd ?? body.veil_cmd ?? ""] ?? {})
        }
      )))

/**
 * The domain routes that answer synchronously.
 *
 * @since 0.1.0
 */
export const domainRoutes = (env: SimEnv) => [
  route(env, "GET", "/api/domains/", listHandler(env, domainListing)),
  route(env, "GET", "/api/domains/:id/", getDomain(env)),
  route(env, "PUT", "/api/domains/:id/", updateDomainHandler(env)),
  route(env, "PUT", "/api/domains/:id/template/", templateHandler(env)),
  route(env, "GET", "/api/domains/:id/spice/", consoleHandler(env, "spice")),
  route(env, "GET", "/api/domains/:id/vnc/", consoleHandler(env, "vnc")),
  route(env, "POST", "/api/domains/:id/guest-command/", guestCommandHandler(env))
]
