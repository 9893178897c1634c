/**
 * Core resources over an OVH session: each request becomes the session's signed call (OVH's path rules, the
 * version prefix, the rate limit), reached through the `OvhClient` service.
 *
 * @since 0.1.0
 */
import { Effect, Predicate, Schema } from "effect"
import { type ApiError, InvalidInputError } from "../core/Errors.js"
import type * as Resource from "../core/Resource.js"
import type { RestRequest } from "../core/RestClient.js"
import { api, type CallOptions, OvhClient } from "./Client.js"

const call = <A, I>(request: RestRequest, schema: Schema.Schema<A, I>): Effect.Effect<A, ApiError, OvhClient> =>
  Effect.flatMap(OvhClient, (ovh) => {
    const options: CallOptions = request.cache === false ? { cache: false } : {}
    const body = Predicate.isObject(request.body) ? request.body : undefined
    switch (request.method) {
      case "GET":
        return ovh.get(request.path, request.query, schema, options)
      case "DELETE":
        return ovh.delete(request.path, request.query, schema, options)
      case "POST":
        return ovh.post(request.path, body, schema, options)
      case "PUT":
        return ovh.put(request.path, body, schema, options)
      default:
        return Effect.fail(new InvalidInputError({ api, parameter: "method", message: `OVH has no ${request.method} calls` }))
    }
  })

/** The sender of core resources declared for OVH. */
export const sender: Resource.Direct<never, OvhClient> = { api, json: call, send: (request) => call(request, Schema.Unknown) }
