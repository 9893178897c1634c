/**
 * How VeiL speaks HTTP, on top of the core engine: `/api/` paths that always end in `/`, ids that are UUIDs,
 * query values in ECP's forms (`0`/`1`, comma-joined lists), `async=1` for calls that queue a task, and a fresh
 * `idempotency_key` in every POST body, kept across retries (which is what makes retrying a POST safe).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { randomUUID } from "node:crypto"
import { Effect, Either, Predicate } from "effect"
import * as Credentials from "../core/Credentials.js"
import { InvalidInputError } from "../core/Errors.js"
import * as Caller from "../core/Caller.js"
import * as Path from "../core/Path.js"
import * as RestClient from "../core/RestClient.js"
import type { VeilConfig } from "./Config.js"
import { errorBody } from "./ErrorBody.js"

/** The API name in errors and spans. */
export const api = "veil"

/** A query value as callers give it. */
export type QueryValue = string | number | boolean | ReadonlyArray<string> | null | undefined

/** The VeiL session's request engine and configuration. */
export interface VeilRest {
  readonly config: VeilConfig
  readonly rest: RestClient.RestClient
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether `value` is a UUID (every ECP id is). */
export const isUuid = (value: string): boolean => uuidPattern.test(value)

/** Succeeds when `value` is a UUID, else fails with a typed error naming `parameter`. */
export const requireUuid = (parameter: string, value: string): Effect.Effect<void, InvalidInputError> =>
  isUuid(value)
    ? Effect.void
    : Effect.fail(new InvalidInputError({ api, parameter, message: `${parameter} must be a UUID, got ${JSON.stringify(value)}` }))

/**
 * A path whose parameters must be UUIDs (every ECP id is one): anything else — `../x`, `a?b`, `%2F` — is refused
 * with a typed error before a request is sent.
 */
export const path = <const T extends string>(template: T, params: Readonly<Record<Path.ParamNames<T>, string>>): Path.Path => {
  const values: Readonly<Record<string, string>> = params
  for (const [name, value] of Object.entries(values)) {
    if (!isUuid(value)) {
      return {
        template,
        rendered: Either.left({ parameter: name, message: `${name} must be a UUID, got ${JSON.stringify(value)}` })
      }
    }
  }
  return Path.make(template, params)
}

/** Encodes query values the way ECP reads them. */
export const query = (values: Readonly<Record<string, QueryValue>>): RestClient.Query => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue
    let text = typeof value === "boolean"
      ? (value ? "1" : "0")
      : typeof value === "number"
      ? String(value)
      : typeof value === "string"
      ? value
      : value.join(",")
    // ECP cannot decode a value ending in a comma (the Python client strips it too).
    while (text.endsWith(",")) text = text.slice(0, -1)
    out[name] = text
  }
  return out
}

/** `async=1`: the controller queues the work as a task and answers 202 with it. */
export const asyncQuery: RestClient.Query = { async: "1" }

/** `async=0`: the controller does the work before answering 200 with the result. */
export const syncQuery: RestClient.Query = { async: "0" }

/** A POST body with a fresh idempotency key: every retry of this request sends the same key. */
export const withIdempotencyKey = <B extends object>(body: B): Effect.Effect<B & { readonly idempotency_key: string }> =>
  Effect.sync(() => ({ ...body, idempotency_key: randomUUID() }))

/** Fresh ids for entities the client asks ECP to create (`domains_ids`). */
export const newIds = (count: number): Effect.Effect<ReadonlyArray<string>> =>
  Effect.sync(() => Array.from({ length: count }, () => randomUUID()))

const hasIdempotencyKey = (body: unknown): boolean =>
  Predicate.hasProperty(body, "idempotency_key") && typeof body.idempotency_key === "string"

/** Tag changes show in every entity's `tags`; other mutations make their collection and the task list stale. */
const invalidates = (_request: RestClient.RestRequest, renderedPath: string): ReadonlyArray<string> => {
  const collection = renderedPath.slice(0, renderedPath.indexOf("/") + 1)
  return collection === "tags/" ? [""] : [collection, "tasks/"]
}

/** Builds the request engine of one session. */
export const make = (config: VeilConfig): Effect.Effect<VeilRest, never, HttpClient.HttpClient> =>
  Effect.map(
    RestClient.make({
      api,
      baseUrl: config.baseUrl,
      caller: Caller.digest(config.baseUrl, config.token),
      headers: { "accept-language": config.language },
      userAgent: config.userAgent,
      credentials: Credentials.fixed({ authorization: config.token }),
      retry: config.retry,
      timeout: config.timeout,
      errorBody,
      nonJsonKind: "UnavailableError",
      replaySafe: (request) => request.method === "POST" && hasIdempotencyKey(request.body),
      invalidates,
      maxUrlLength: config.urlMaxLength,
      transformClient: config.transformClient
    }),
    (rest) => ({ config, rest })
  )
