/**
 * Mail-domain routes (redirections and their tasks) and the domain list.
 *
 * A redirection is created at once; its `add` task is answered as OVH models it (`email.domain.TaskSpecialAccount`).
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { badRequest, notFound, type SimError } from "./Errors.js"
import { bodyObject, type Ctx, type Env, found, json, requiredString, route, type Route, updateOne } from "./Http.js"
import { type MailDomainRecord, type MailTaskRecord, ovhDate, type SimState } from "./State.js"

const mailDomains = {
  get: (s: SimState) => s.mailDomains,
  set: (s: SimState, list: ReadonlyArray<MailDomainRecord>): SimState => ({ ...s, mailDomains: list })
}

/** Applies `f` to the mail domain the path names, atomically, or answers 404. */
const updateDomain = <A>(
  ctx: Ctx,
  env: Env,
  f: (domain: MailDomainRecord, id: number) => Either.Either<readonly [A, MailDomainRecord], SimError>
): Effect.Effect<A, SimError> =>
  updateOne(env, mailDomains, (d) => d.domain === ctx.params["domain"], f)

const task = (ctx: Ctx, domain: string, id: number, from: string, action: MailTaskRecord["action"]): MailTaskRecord => ({
  id: String(id),
  account: from.split("@")[0] ?? from,
  action,
  date: ovhDate(ctx.now),
  domain,
  type: "forward"
})

const domainNamed = (ctx: Ctx) => (s: { readonly mailDomains: ReadonlyArray<MailDomainRecord> }) =>
  s.mailDomains.find((d) => d.domain === ctx.params["domain"])

/**
 * Every mail-domain route, and `GET /domain`.
 *
 * @since 0.1.0
 */
export const emailRoutes: ReadonlyArray<Route> = [
  route("GET", "/domain", (_ctx, env) => Effect.map(env.state.get, (s) => json(s.domains))),
  route("GET", "/email/domain", (_ctx, env) => Effect.map(env.state.get, (s) => json(s.mailDomains.map((d) => d.domain)))),
  route("GET", "/email/domain/{domain}/redirection", (ctx, env) =>
    Effect.map(found(env, domainNamed(ctx)), (domain) => {
      const from = ctx.query.get("from")
      const to = ctx.query.get("to")
      return json(domain.redirections.filter((r) => (from === null || r.from === from) && (to === null || r.to === to)).map((r) => r.id))
    })),
  route("POST", "/email/domain/{domain}/redirection", (ctx, env) =>
    Effect.gen(function*() {
      const body = yield* bodyObject(ctx)
      const from = yield* requiredString(body, "from")
      const to = yield* requiredString(body, "to")
      const localCopy = body["localCopy"]
      if (typeof localCopy !== "boolean") {
        return yield* badRequest(localCopy === undefined ? "[localCopy] Property is mandatory" : "[localCopy] Invalid value: a boolean is expected")
      }
      return yield* updateDomain(ctx, env, (domain, id) => {
        if (domain.redirections.some((r) => r.from === from && r.to === to)) {
          return Either.left(badRequest(`A redirection from ${from} to ${to} already exists`))
        }
        const added = task(ctx, domain.domain, id, from, "add")
        return Either.right([json(added), {
          ...domain,
          redirections: [...domain.redirections, { id: String(id), from, to, localCopy }],
          tasks: [...domain.tasks, added]
        }] as const)
      })
    })),
  route("GET", "/email/domain/{domain}/redirection/{id}", (ctx, env) =>
    Effect.map(found(env, (s) => domainNamed(ctx)(s)?.redirections.find((r) => r.id === ctx.params["id"])), ({ from, id, to }) => json({ from, id, to }))),
  route("DELETE", "/email/domain/{domain}/redirection/{id}", (ctx, env) =>
    updateDomain(ctx, env, (domain, id) => {
      const redirection = domain.redirections.find((r) => r.id === ctx.params["id"])
      if (redirection === undefined) return Either.left(notFound())
      const deleted = task(ctx, domain.domain, id, redirection.from, "delete")
      return Either.right([json(deleted), {
        ...domain,
        redirections: domain.redirections.filter((r) => r !== redirection),
        tasks: [...domain.tasks, deleted]
      }] as const)
    })),
  route("GET", "/email/domain/{domain}/task/redirection/{id}", (ctx, env) =>
    Effect.map(found(env, (s) => domainNamed(ctx)(s)?.tasks.find((t) => t.id === ctx.params["id"])), json))
]
