/**
 * Generic list and item handlers: filters from the query (uuid filters validated), paging envelope, 404 bodies.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import type { RenderContext } from "./BodiesCommon.js"
import { badRequest, invalidField, notFound, type VeilError } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { param, renderContext, type Handler, type Req, type SimEnv } from "./Http.js"
import { isUuid } from "./Ids.js"
import type { JsonObject } from "../../core/testing/Json.js"
import { paginate } from "./Paging.js"
import type { SimState } from "./State.js"

/**
 * A query filter: the predicate an item must satisfy for a non-empty query value; `uuid` filters reject values
 * that are not UUIDs with a 400 naming the key, `check` rejects other invalid values.
 *
 * @since 0.1.0
 */
export interface Filter<A> {
  readonly uuid?: boolean
  /** Validates the value: a message (naming the key) makes the request a 400. */
  readonly check?: (value: string) => string | undefined
  readonly test: (item: A, value: string, state: SimState) => boolean
}

/**
 * How to list one kind of entity.
 *
 * @since 0.1.0
 */
export interface Listing<A> {
  readonly items: (state: SimState) => ReadonlyArray<A>
  readonly filters: Readonly<Record<string, Filter<A>>>
  readonly name: (item: A) => string
  readonly row: (ctx: RenderContext, item: A) => JsonObject
  readonly detail: (ctx: RenderContext, item: A) => JsonObject
}

/**
 * The listing of entities known by their `verbose_name`, with the given query filters (none by default).
 *
 * @since 0.1.0
 */
export const byName = <A extends { readonly verbose_name: string }>(
  items: (state: SimState) => ReadonlyArray<A>,
  row: (ctx: RenderContext, item: A) => JsonObject,
  detail: (ctx: RenderContext, item: A) => JsonObject,
  filters: Readonly<Record<string, Filter<A>>> = {}
): Listing<A> => ({ items, filters, name: (item) => item.verbose_name, row, detail })

/**
 * Applies the filters of a listing present in the query.
 *
 * @since 0.1.0
 */
export const applyFilters = <A>(
  listing: Listing<A>,
  req: Req,
  state: SimState
): Either.Either<ReadonlyArray<A>, VeilError> =>
  Object.entries(listing.filters).reduce<Either.Either<ReadonlyArray<A>, VeilError>>(
    (acc, [key, filter]) =>
      Either.flatMap(acc, (items) => {
        const value = req.query.get(key)
        if (value === null || value === "") return Either.right(items)
        if (filter.uuid === true && !isUuid(value)) {
          return Either.left(invalidField(key, `“${value}” is not a valid UUID.`))
        }
        const problem = filter.check?.(value)
        if (problem !== undefined) return Either.left(badRequest(problem))
        return Either.right(items.filter((item) => filter.test(item, value, state)))
      }),
    Either.right(listing.items(state))
  )

/**
 * `GET <collection>/`: filtered, paged list.
 *
 * @since 0.1.0
 */
export const listHandler = <A>(env: SimEnv, listing: Listing<A>): Handler => (req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.map(applyFilters(listing, req, ctx.state), (items) =>
      json(paginate(
        req.url,
        items.map((item) => ({
          name: listing.name(item),
          row: () => listing.row(ctx, item),
          detail: () => listing.detail(ctx, item)
        }))
      ))))

/**
 * Finds an item by the `id` path parameter or fails with a 404 naming it.
 *
 * @since 0.1.0
 */
export const findOr404 = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  what: string,
  id: string
): Either.Either<A, VeilError> => {
  const found = items.find((item) => item.id === id)
  return found === undefined ? Either.left(notFound(what, id)) : Either.right(found)
}

/**
 * `GET <collection>/{id}/<suffix>`: renders one item or 404.
 *
 * @since 0.1.0
 */
export const itemHandler = <A extends { readonly id: string }>(
  env: SimEnv,
  what: string,
  items: (state: SimState) => ReadonlyArray<A>,
  render: (ctx: RenderContext, item: A) => JsonObject
): Handler =>
(req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.map(findOr404(items(ctx.state), what, param(req, "id")), (item) => json(render(ctx, item))))
