/**
 * Nova flavors: the sizes a server can have.
 *
 * @since 0.1.0
 */
import { Effect, type Stream } from "effect"
import * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import type { Query } from "../core/RestClient.js"
import type { ServiceAccess } from "./Client.js"
import { type Flavor, FlavorDetailList, FlavorResponse } from "./Flavor.js"
import { byIdOrName } from "./Lookup.js"
import { nextMarker } from "./Paging.js"
import type { ServerError } from "./Servers.js"
import { api } from "./Keystone.js"

/** Filters and paging of `GET /flavors/detail`. */
export interface FlavorQuery {
  readonly minRam?: number | undefined
  readonly minDisk?: number | undefined
  /** `true` public only, `false` private only (admin), default both that the caller may see. */
  readonly isPublic?: boolean | undefined
  readonly limit?: number | undefined
  readonly marker?: string | undefined
  readonly sortKey?: string | undefined
  readonly sortDir?: "asc" | "desc" | undefined
}

/** Flavor operations. */
export interface Flavors {
  readonly list: (query?: FlavorQuery) => Effect.Effect<Paging.Page<Flavor, string>, ServerError>
  readonly listAll: (query?: FlavorQuery) => Stream.Stream<Flavor, ServerError>
  /** A flavor by id or, failing that, by exact name. */
  readonly get: (idOrName: string) => Effect.Effect<Flavor, ServerError>
}

const flavorQuery = (q: FlavorQuery): Query => ({
  ...(q.minRam === undefined ? {} : { minRam: String(q.minRam) }),
  ...(q.minDisk === undefined ? {} : { minDisk: String(q.minDisk) }),
  ...(q.isPublic === undefined ? {} : { is_public: q.isPublic ? "true" : "false" }),
  ...(q.limit === undefined ? {} : { limit: String(q.limit) }),
  ...(q.marker === undefined ? {} : { marker: q.marker }),
  ...(q.sortKey === undefined ? {} : { sort_key: q.sortKey }),
  ...(q.sortDir === undefined ? {} : { sort_dir: q.sortDir })
})

/** Builds the flavor operations of a client. */
export const make = (client: ServiceAccess): Flavors => {
  const compute = Effect.map(client.service("compute"), (service) => service.rest)
  const list = (q: FlavorQuery = {}) =>
    Effect.flatMap(compute, (rest) =>
      Effect.map(
        rest.json({ method: "GET", path: Path.literal("flavors/detail"), query: flavorQuery(q) }, FlavorDetailList),
        (body) => Paging.page(body.flavors, nextMarker(body.flavors_links))
      ))
  const listAll = (q: FlavorQuery = {}) =>
    Paging.stream(
      q.marker,
      (marker: string | undefined) => list({ ...q, ...(marker === undefined ? {} : { marker }) }),
      Paging.stalled(api, "GET", "flavors/detail")
    )
  return {
    list,
    listAll,
    get: (idOrName) =>
      Effect.flatMap(compute, (rest) =>
        byIdOrName<Flavor>(
          "flavor",
          (id) => Effect.map(rest.json({ method: "GET", path: Path.make("flavors/{id}", { id }) }, FlavorResponse), (b) => b.flavor),
          // Nova has no name filter on flavors: the names are compared here.
          () => Effect.map(rest.json({ method: "GET", path: Path.literal("flavors/detail") }, FlavorDetailList), (b) => b.flavors)
        )(idOrName))
  }
}
