/**
 * The account's routes: the nichandle (`/me`), bills and their details, API credentials and applications.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import * as Store from "../../core/testing/Store.js"
import { credentialBody } from "./Auth.js"
import { badRequest, notFound, type SimError } from "./Errors.js"
import { bodyObject, found, json, route, type Route } from "./Http.js"
import type { BillRecord } from "./State.js"

/** A date query parameter, or a refusal naming it. */
const dateParam = (query: URLSearchParams, name: string): Effect.Effect<number | undefined, SimError> => {
  const value = query.get(name)
  if (value === null) return Effect.succeed(undefined)
  const time = Date.parse(value)
  return Number.isNaN(time) ? Effect.fail(badRequest(`[${name}] Invalid value: a datetime is expected, got "${value}"`)) : Effect.succeed(time)
}

const billBody = ({ details: _, ...bill }: BillRecord) => bill

const billRoutes: ReadonlyArray<Route> = [
  route("GET", "/me/bill", (ctx, env) =>
    Effect.gen(function*() {
      const from = yield* dateParam(ctx.query, "date.from")
      const to = yield* dateParam(ctx.query, "date.to")
      const category = ctx.query.get("category")
      const orderId = ctx.query.get("orderId")
      const state = yield* env.state.get
      return json(
        state.bills
          .filter((b) =>
            (category === null || b.category === category) &&
            (orderId === null || String(b.orderId) === orderId) &&
            (from === undefined || Date.parse(b.date) >= from) &&
            (to === undefined || Date.parse(b.date) <= to)
          )
          .map((b) => b.billId)
      )
    })),
  route("GET", "/me/bill/{billId}", (ctx, env) =>
    Effect.map(found(env, (s) => s.bills.find((b) => b.billId === ctx.params["billId"])), (bill) => json(billBody(bill)))),
  route("GET", "/me/bill/{billId}/details", (ctx, env) =>
    Effect.map(found(env, (s) => s.bills.find((b) => b.billId === ctx.params["billId"])), (bill) => json(bill.details.map((d) => d.billDetailId)))),
  route("GET", "/me/bill/{billId}/details/{billDetailId}", (ctx, env) =>
    Effect.map(
      found(env, (s) => s.bills.find((b) => b.billId === ctx.params["billId"])?.details.find((d) => d.billDetailId === ctx.params["billDetailId"])),
      json
    ))
]

const credentialId = (params: Readonly<Record<string, string>>): number => Number(params["credentialId"])

const credentialRoutes: ReadonlyArray<Route> = [
  route("GET", "/me/api/credential", (ctx, env) =>
    Effect.map(env.state.get, (state) => {
      const status = ctx.query.get("status")
      const applicationId = ctx.query.get("applicationId")
      return json(
        state.credentials
          .filter((c) => (status === null || c.status === status) && (applicationId === null || String(c.applicationId) === applicationId))
          .map((c) => c.credentialId)
      )
    })),
  route("GET", "/me/api/credential/{credentialId}", (ctx, env) =>
    Effect.map(found(env, (s) => s.credentials.find((c) => c.credentialId === credentialId(ctx.params))), (c) => json(credentialBody(c)))),
  route("PUT", "/me/api/credential/{credentialId}", (ctx, env) =>
    Effect.flatMap(bodyObject(ctx), (body) => {
      const allowedIPs = body["allowedIPs"]
      if (allowedIPs !== undefined && allowedIPs !== null && !(Array.isArray(allowedIPs) && allowedIPs.every((ip) => typeof ip === "string"))) {
        return Effect.fail(badRequest("[allowedIPs] Invalid value: a list of IP blocks is expected"))
      }
      return Store.transact(env.state, (state) => {
        const id = credentialId(ctx.params)
        if (!state.credentials.some((c) => c.credentialId === id)) return Either.left(notFound("This credential does not exist"))
        const ips = Array.isArray(allowedIPs) ? allowedIPs.filter((ip): ip is string => typeof ip === "string") : null
        return Either.right([
          json(null),
          { ...state, credentials: state.credentials.map((c) => (c.credentialId === id && allowedIPs !== undefined ? { ...c, allowedIPs: ips } : c)) }
        ] as const)
      })
    })),
  route("DELETE", "/me/api/credential/{credentialId}", (ctx, env) =>
    Store.transact(env.state, (state) => {
      const id = credentialId(ctx.params)
      return state.credentials.some((c) => c.credentialId === id)
        ? Either.right([json(null), { ...state, credentials: state.credentials.filter((c) => c.credentialId !== id) }] as const)
        : Either.left(notFound("This credential does not exist"))
    })),
  route("GET", "/me/api/credential/{credentialId}/application", (ctx, env) =>
    Effect.map(
      found(env, (s) => {
        const credential = s.credentials.find((c) => c.credentialId === credentialId(ctx.params))
        return s.applications.find((a) => a.applicationId === credential?.applicationId)
      }),
      ({ applicationSecret: _, ...application }) => json(application)
    )),
  route("GET", "/me/api/application", (_ctx, env) => Effect.map(env.state.get, (s) => json(s.applications.map((a) => a.applicationId)))),
  route("GET", "/me/api/application/{applicationId}", (ctx, env) =>
    Effect.map(
      found(env, (s) => s.applications.find((a) => String(a.applicationId) === ctx.params["applicationId"])),
      ({ applicationSecret: _, ...application }) => json(application)
    ))
]

/**
 * Every account route.
 *
 * @since 0.1.0
 */
export const accountRoutes: ReadonlyArray<Route> = [
  route("GET", "/me", (_ctx, env) => Effect.map(env.state.get, (s) => json(s.me))),
  ...billRoutes,
  ...credentialRoutes
]
