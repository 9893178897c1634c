/**
 * Finding a resource by id or by name, as the seed's API does (`GET /api/v1/image/{name}` takes either): the id
 * first; when nothing has that id, the one resource with that exact name. Several with that name is an error that
 * lists their ids, never a guess.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { type ApiError, InvalidInputError, isApiError, NotFoundError } from "../core/Errors.js"

/** A resource that has an id and maybe a name. */
export interface Named {
  readonly id: string
  readonly name?: string | null | undefined
}

/** Looks `idOrName` up: by id, else by exact name among what `byName` lists. */
export const byIdOrName = <A extends Named, E = never>(
  what: string,
  byId: (id: string) => Effect.Effect<A, E | ApiError>,
  byName: (name: string) => Effect.Effect<ReadonlyArray<A>, E | ApiError>
) =>
(idOrName: string): Effect.Effect<A, E | ApiError> =>
  Effect.catchIf(
    byId(idOrName),
    (error): error is NotFoundError | InvalidInputError =>
      isApiError(error) && (error._tag === "NotFoundError" || error._tag === "InvalidInputError"),
    (error) =>
      Effect.flatMap(byName(idOrName), (found): Effect.Effect<A, E | ApiError> => {
        const exact = found.filter((item) => item.name === idOrName)
        const [only] = exact
        if (only !== undefined && exact.length === 1) return Effect.succeed(only)
        if (exact.length > 1) {
          return Effect.fail(
            new InvalidInputError({
              api: "openstack",
              parameter: what,
              message: `${exact.length} ${what}s are named "${idOrName}" (${exact.map((i) => i.id).join(", ")}): use an id`
            })
          )
        }
        return Effect.fail(
          error._tag === "NotFoundError"
            ? new NotFoundError({
              api: error.api,
              method: error.method,
              url: error.url,
              message: `no ${what} has the id or name "${idOrName}"`,
              ...(error.status === undefined ? {} : { status: error.status }),
              ...(error.requestId === undefined ? {} : { requestId: error.requestId })
            })
            : error
        )
      })
  )
