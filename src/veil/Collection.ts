/**
 * The operations every VeiL entity collection has, declared with core's `Resource`: `list` (one page, with the
 * paginator and the collection's filters), `listAll` (a lazy `Stream` over every page), `get` (the detail body) and
 * `tags`. ECP's query forms (`0`/`1`, comma-joined lists, `all_content=1`) are declared once, here.
 *
 * @since 0.1.0
 */
import { Effect, Option, type Schema, type Scope, type Stream } from "effect"
import * as Envelope from "../core/Envelope.js"
import type { ApiError } from "../core/Errors.js"
import type * as Paging from "../core/Paging.js"
import type * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import * as Rest from "./Rest.js"
import { Tag } from "./Tag.js"

/** The paginator (`VeilRestPaginator`) and the generic list options. */
export interface ListQuery {
  /** Name filter (`name`). */
  readonly name?: string | undefined
  /** Sort field (`ordering`), `-` prefix for descending: `"verbose_name"`, `"-created"`. */
  readonly ordering?: string | undefined
  /** Page size (`limit`); the controller's default is 100. */
  readonly limit?: number | undefined
  /** Start index (`offset`). */
  readonly offset?: number | undefined
  /** Only these fields (`fields=a,b`), or `"all"` for every field (`all_content=1`). */
  readonly fields?: ReadonlyArray<string> | "all" | undefined
  /** Any other query parameter the controller accepts (e.g. `ids`, `power_state`). */
  readonly params?: Readonly<Record<string, Rest.QueryValue>> | undefined
}

/** One page of a listing: its rows, the total `count`, and the offset of the next page. */
export interface ListPage<A> extends Paging.Page<A, number> {
  readonly count: number
}

/** The filters of a collection, keyed as in TypeScript; `spec` maps each to its query name. */
export type Filters<Spec extends Readonly<Record<string, string>>> = {
  readonly [K in keyof Spec]?: Rest.QueryValue
}

/** Listing operations. */
export interface Listing<Row, F> {
  /** One page. */
  readonly list: (query?: ListQuery & F) => Effect.Effect<ListPage<Row>, ApiError>
  /** Every row of every page, fetched lazily page by page (`limit` sets the page size, default 100). */
  readonly listAll: (query?: ListQuery & F) => Stream.Stream<Row, ApiError>
}

/** Listing, detail and tags of one entity collection. */
export interface Collection<Row, Detail, F> extends Listing<Row, F> {
  /** The detail body of one entity (the Python client's `info()`). */
  readonly get: (id: string) => Effect.Effect<Detail, ApiError>
  /** The tags attached to one entity. */
  readonly tags: (id: string, query?: ListQuery) => Effect.Effect<ListPage<Tag>, ApiError>
}

/** What describes a collection. */
export interface CollectionSpec<Row, RowI, Detail, DetailI, Spec extends Readonly<Record<string, string>>> {
  /** Collection prefix, e.g. `domains/`. */
  readonly prefix: string
  /** Entity class as tags name it, e.g. `domain`. */
  readonly entityClass: string
  readonly row: Schema.Schema<Row, RowI>
  readonly detail: Schema.Schema<Detail, DetailI>
  /** TypeScript filter name → query name, e.g. `{ resourcePool: "resource_pool" }`. */
  readonly filters: Spec
}

/** ECP's paginator and a collection's filters, written as ECP reads them (the filters by their query names). */
const veilQuery = <Spec extends Readonly<Record<string, string>>>(filters: Spec): Query.Param<Partial<ListQuery & Filters<Spec>>> => ({
  write: (q, into) => {
    const given: Readonly<Record<string, Rest.QueryValue>> = q
    const extra: Readonly<Record<string, Rest.QueryValue>> | undefined = q.params
    const fields: ReadonlyArray<string> | "all" | undefined = q.fields
    const named: Record<string, Rest.QueryValue> = {}
    for (const [key, wire] of Object.entries(filters)) named[wire] = given[key]
    Object.assign(
      into,
      Rest.query({
        ...extra,
        name: given["name"],
        ordering: given["ordering"],
        ...(fields === "all" ? { all_content: 1 } : { fields }),
        ...named
      })
    )
  }
})

/** Every VeiL id is a UUID: anything else is refused before a request is sent. */
export const uuid = (value: string): string | undefined =>
  Rest.isUuid(value) ? undefined : `id must be a UUID, got ${JSON.stringify(value)}`

/** The core description of a collection of `row` under `prefix` (detail bodies of `detail`). */
const describe = <Row, RowI, Detail, DetailI, Spec extends Readonly<Record<string, string>>>(
  name: string,
  prefix: string,
  row: Schema.Schema<Row, RowI>,
  detail: Schema.Schema<Detail, DetailI>,
  filters: Spec
) => ({
  name,
  path: prefix,
  id: uuid,
  list: Envelope.results(row),
  one: Envelope.bare(detail),
  query: { veil: veilQuery(filters) },
  paging: Resource.offset(100)
})

const listingOf = <Row, Q>(
  resource: Resource.Resource<Row, unknown, { readonly veil?: Partial<ListQuery & Q> | undefined } & Resource.OffsetQuery, number, never, never>
): Listing<Row, Q> => {
  const list = (given?: ListQuery & Q) => {
    const q: Partial<ListQuery & Q> = given ?? {}
    return Effect.map(resource.list({ veil: q, offset: q.offset, limit: q.limit }), (page) => ({
      ...page,
      count: Option.getOrElse(page.total, () => page.items.length)
    }))
  }
  const listAll = (given?: ListQuery & Q) => {
    const q: Partial<ListQuery & Q> = given ?? {}
    return resource.listAll({ veil: q, offset: q.offset, limit: q.limit })
  }
  return { list, listAll }
}

/** Builds the listing of `prefix` (a reader of pages of `row`, created once). */
export const listing = <Row, RowI, Spec extends Readonly<Record<string, string>>>(
  veil: Rest.VeilRest,
  name: string,
  prefix: string,
  row: Schema.Schema<Row, RowI>,
  filters: Spec
): Effect.Effect<Listing<Row, Filters<Spec>>, never, Scope.Scope> =>
  Effect.map(Resource.make(Resource.engine(veil.rest), describe(name, prefix, row, row, filters)), listingOf)

/** Builds the operations of one collection. */
export const make = <Row, RowI, Detail, DetailI, Spec extends Readonly<Record<string, string>>>(
  veil: Rest.VeilRest,
  spec: CollectionSpec<Row, RowI, Detail, DetailI, Spec>
): Effect.Effect<Collection<Row, Detail, Filters<Spec>>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const resource = yield* Resource.make(
      Resource.engine(veil.rest),
      describe(spec.entityClass, spec.prefix, spec.row, spec.detail, spec.filters)
    )
    const tagList = yield* listing(veil, `${spec.entityClass}:tags`, "tags/", Tag, {})
    return {
      ...listingOf(resource),
      get: resource.get,
      tags: (id, q = {}) =>
        Effect.zipRight(
          Rest.requireUuid("id", id),
          tagList.list({ ...q, params: { ...q.params, entity_uuid: id, entity_class: spec.entityClass } })
        )
    }
  })
