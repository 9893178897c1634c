/**
 * Nova flavors: the sizes a server can have.
 *
 * @since 0.1.0
 */
import { Effect, type Stream } from "effect"
import * as Envelope from "../core/Envelope.js"
import type * as Paging from "../core/Paging.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import type { Engine, OpenStackError } from "./Session.js"
import type { EndpointNotFound } from "./KeystoneV3.js"
import { Flavor } from "./Flavor.js"
import { byIdOrName } from "./Lookup.js"
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
  readonly list: (query?: FlavorQuery) => Effect.Effect<Paging.Page<Flavor, string>, OpenStackError>
  readonly listAll: (query?: FlavorQuery) => Stream.Stream<Flavor, OpenStackError>
  /** A flavor by id or, failing that, by exact name. */
  readonly get: (idOrName: string) => Effect.Effect<Flavor, OpenStackError>
}

/** The description of Nova's flavors (listed in detail, read one by one). */
export const flavors = {
  name: "flavor",
  path: "flavors",
  listing: "flavors/detail",
  list: Envelope.keyed("flavors", Flavor),
  one: Envelope.wrapped("flavor", Flavor),
  query: {
    minRam: Query.number("minRam"),
    minDisk: Query.number("minDisk"),
    isPublic: Query.boolean("is_public"),
    sortKey: Query.string("sort_key"),
    sortDir: Query.literal<"asc" | "desc">("sort_dir")
  },
  paging: Resource.marker
} as const

/** Builds the flavor operations of a client. */
export const make = (compute: Engine): Flavors => {
  const resource = Resource.direct(Resource.deferred(api, compute), flavors)
  return {
    list: resource.list,
    listAll: resource.listAll,
    // Nova has no name filter on flavors: the names are compared here.
    get: byIdOrName<Flavor, EndpointNotFound>("flavor", resource.get, () => Effect.map(resource.list(), (page) => page.items))
  }
}
