/**
 * Finding a resource by id or by name, as the seed's API does (`GET /api/v1/image/{name}` takes either): the id
 * first; when nothing has that id, the one resource with that exact name (core's `Resource.byIdOrName`).
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Resource from "../core/Resource.js"

/** A resource that has an id and maybe a name. */
export type Named = Resource.Named

/** Looks `idOrName` up: by id, else by exact name among what `byName` lists. */
export const byIdOrName = <A extends Named, E = never>(
  what: string,
  byId: (id: string) => Effect.Effect<A, E | ApiError>,
  byName: (name: string) => Effect.Effect<ReadonlyArray<A>, E | ApiError>
): (idOrName: string) => Effect.Effect<A, E | ApiError> => Resource.byIdOrName("openstack", what, byId, byName)
