/**
 * The account's API applications (`/me/api/application`), declared with core's `Resource` and decoded against the
 * API schema's `auth.ApiApplication`: the ids, one application, and deleting one (which revokes its credentials).
 * OVH creates applications on its web page only: the API has no create.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import type { ApiError } from "../core/Errors.js"
import * as Resource from "../core/Resource.js"
import { ApiApplication } from "./ApiCredentials.js"
import type { OvhClient } from "./Client.js"
import { sender } from "./Sender.js"

/** The description of the account's applications. */
export const applications = {
  name: "application",
  path: "/me/api/application",
  list: Envelope.array(Schema.Number),
  one: Envelope.bare(ApiApplication),
  query: {},
  paging: Resource.single
} as const

const resource = Resource.direct(sender, applications)

/** The ids of the account's applications (`GET /me/api/application`). */
export const list: Effect.Effect<ReadonlyArray<number>, ApiError, OvhClient> = Effect.map(resource.list(), (page) => page.items)

/** One application (`GET /me/api/application/{applicationId}`). */
export const get = (applicationId: number): Effect.Effect<ApiApplication, ApiError, OvhClient> =>
  resource.get(String(applicationId))

/** Deletes an application and its credentials (`DELETE /me/api/application/{applicationId}`). */
export const remove = (applicationId: number): Effect.Effect<void, ApiError, OvhClient> =>
  resource.delete(String(applicationId))
