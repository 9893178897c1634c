/**
 * Deleting an API application (`DELETE /me/api/application/{applicationId}`): the application goes, and with it
 * every credential issued to it.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import * as Store from "../../core/testing/Store.js"
import { notFound } from "./Errors.js"
import { json, route, type Route } from "./Http.js"

/**
 * Every application route beyond the account's reads.
 *
 * @since 0.1.0
 */
export const applicationRoutes: ReadonlyArray<Route> = [
  route("DELETE", "/me/api/application/{applicationId}", (ctx, env) =>
    Store.transact(env.state, (state) => {
      const id = Number(ctx.params["applicationId"])
      return state.applications.some((a) => a.applicationId === id)
        ? Either.right([json(null), {
          ...state,
          applications: state.applications.filter((a) => a.applicationId !== id),
          credentials: state.credentials.filter((c) => c.applicationId !== id)
        }] as const)
        : Either.left(notFound("This application does not exist"))
    }))
]
