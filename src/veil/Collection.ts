/**
 * The operations every VeiL entity collection has, written once: `list` (one page, with the paginator and the
 * collection's filters), `listAll` (a lazy `Stream` over every page), `get` (the detail body) and `tags`.
 *
 * @since 0.1.0
 */
import { Effect, Option, type Schema, type Scope, type Stream } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import { ListEnvelope } from "./Entity.js"
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

const paginatorQuery = (q: ListQuery): Readonly<Record<string, Rest.QueryValue>> => ({
  ...q.params,
  name: q.name,
  ordering: q.ordering,
  limit: q.limit,
  offset: q.offset,
  ...(q.fields === "all" ? { all_content: 1 } : q.fields === undefined ? {} : { fields: q.fields })
})

/** Builds the listing of `prefix` (a reader of pages of `row`, created once). */
export const listing = <Row, RowI, Spec extends Readonly<Record<string, string>>>(
  veil: Rest.VeilRest,
  name: string,
  prefix: string,
  row: Schema.Schema<Row, RowI>,
  filters: Spec
): Effect.Effect<Listing<Row, Filters<Spec>>, never, Scope.Scope> =>
  Effect.map(veil.rest.reader(`${name}:page`, ListEnvelope(row)), (readPage) => {
    const filterQuery = (q: Filters<Spec>): Record<string, Rest.QueryValue> => {
      const out: Record<string, Rest.QueryValue> = {}
      const given: Readonly<Record<string, Rest.QueryValue>> = q
      for (const [key, wire] of Object.entries(filters)) out[wire] = given[key]
      return out
    }
    const list = (q: ListQuery & Filters<Spec> = {}): Effect.Effect<ListPage<Row>, ApiError> => {
      const offset = q.offset ?? 0
      return Effect.map(
        readPage({
          method: "GET",
          path: Path.literal(prefix),
          query: Rest.query({ ...paginatorQuery(q), ...filterQuery(q) })
        }),
        (envelope) => ({
          items: envelope.results,
          count: envelope.count,
          total: Option.some(envelope.count),
          // An envelope without `next` has no next page, as one with `next: null`.
          next: Paging.nextOffset(offset, envelope.results.length, {
            total: envelope.count,
            hasNext: typeof envelope.next === "string"
          })
        })
      )
    }
    const listAll = (q: ListQuery & Filters<Spec> = {}) =>
      Paging.stream(q.offset ?? 0, (offset) => list({ ...q, offset, limit: q.limit ?? 100 }))
    return { list, listAll }
  })

/** Builds the operations of one collection. */
export const make = <Row, RowI, Detail, DetailI, Spec extends Readonly<Record<string, string>>>(
  veil: Rest.VeilRest,
  spec: CollectionSpec<Row, RowI, Detail, DetailI, Spec>
): Effect.Effect<Collection<Row, Detail, Filters<Spec>>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { list, listAll } = yield* listing(veil, spec.entityClass, spec.prefix, spec.row, spec.filters)
    const readDetail = yield* veil.rest.reader(`${spec.entityClass}:detail`, spec.detail)
    const tagList = yield* listing(veil, `${spec.entityClass}:tags`, "tags/", Tag, {})
    return {
      list,
      listAll,
      get: (id) => readDetail({ method: "GET", path: Rest.path(`${spec.prefix}{id}/`, { id }) }),
      tags: (id, q = {}) =>
        Effect.zipRight(
          Rest.requireUuid("id", id),
          tagList.list({ ...q, params: { ...q.params, entity_uuid: id, entity_class: spec.entityClass } })
        )
    }
  })
