/**
 * Envelopes: how an API wraps one resource and a page of them. An envelope pairs the Schema of the whole body with
 * a reader of what matters in it (the resource; or the rows, the total and where the next page is), so the body is
 * decoded once, by a Schema without transformations where the rows have none (a page that already is what it should
 * be is checked, not rebuilt), and reading it costs nothing per row.
 *
 * - {@link bare}: the resource itself is the body (VeiL, OVH);
 * - {@link wrapped}: `{"server": {...}}` (OpenStack);
 * - {@link results}: `{count, next, previous, results}` (Django REST framework, VeiL);
 * - {@link keyed}: `{"servers": [...], "servers_links": [...]}` (Nova, Neutron, Cinder);
 * - {@link array}: a bare JSON array (OVH's lists of ids, Swift's listings).
 *
 * @since 0.1.0
 */
import { identity, Option, Schema } from "effect"
import { optional } from "./Fields.js"

/** What a page's body says: its rows, and what it tells of the listing. */
export interface Listed<A> {
  readonly items: ReadonlyArray<A>
  /** Total number of rows of the listing, when the body says. */
  readonly total?: number | undefined
  /** Whether the body says a next page exists (`false`: it says there is none). */
  readonly more?: boolean | undefined
  /** The next page's marker or link, when the body names one. */
  readonly next?: string | undefined
}

/** The envelope of a page of `A`: the body's Schema, and what a decoded body lists. */
export interface Many<A, Body, BodyI> {
  readonly schema: Schema.Schema<Body, BodyI>
  readonly read: (body: Body) => Listed<A>
}

/** The envelope of one `A`: the body's Schema, and the resource in a decoded body. */
export interface One<A, Body, BodyI> {
  readonly schema: Schema.Schema<Body, BodyI>
  readonly read: (body: Body) => A
}

/** The body is the resource. */
export const bare = <A, I>(schema: Schema.Schema<A, I>): One<A, A, I> => ({ schema, read: identity })

/** The resource under one key: `{"port": {...}}`. */
export const wrapped = <const K extends string, A, I>(
  key: K,
  schema: Schema.Schema<A, I>
): One<A, { readonly [P in K]: A }, { readonly [P in K]: I }> => ({
  schema: Schema.Record({ key: Schema.Literal(key), value: schema }),
  read: (body) => body[key]
})

/**
 * A bare JSON array of rows (OVH's lists of ids). With `lastKey`, the next page would start after the last row's key
 * (Swift's listings: see `Resource.afterLast`).
 */
export const array = <A, I>(row: Schema.Schema<A, I>, lastKey?: (row: A) => string): Many<A, ReadonlyArray<A>, ReadonlyArray<I>> => ({
  schema: Schema.Array(row),
  read: (items) => {
    const last = items[items.length - 1]
    return lastKey === undefined || last === undefined ? { items } : { items, next: lastKey(last) }
  }
})

/**
 * The `{count, next, previous, results}` page. `next` and `previous` are URLs, or `null` when there is no such page;
 * a body without them means the same as `null`. It holds no transformation (no defaults).
 */
export const resultsSchema = <A, I>(row: Schema.Schema<A, I>) =>
  Schema.Struct({
    count: Schema.Number,
    next: optional(Schema.NullOr(Schema.String)),
    previous: optional(Schema.NullOr(Schema.String)),
    results: Schema.Array(row)
  })

/** The `{count, next, previous, results}` page: `count` is the total, a `next` link says there is more. */
export const results = <A, I>(row: Schema.Schema<A, I>): Many<A, Schema.Schema.Type<ReturnType<typeof resultsSchema<A, I>>>, Schema.Schema.Encoded<ReturnType<typeof resultsSchema<A, I>>>> => ({
  schema: resultsSchema(row),
  read: (body) => ({ items: body.results, total: body.count, more: typeof body.next === "string" })
})

/** A link as OpenStack writes them: `{href, rel, type?}` (`rel` is `self`, `bookmark`, `next`, `previous`, …). */
export const Link = Schema.Struct({
  href: Schema.String,
  rel: Schema.String,
  type: optional(Schema.String)
})

/** A link. */
export interface Link extends Schema.Schema.Type<typeof Link> {}

/** The `marker` query parameter of a link (absolute, or relative like Glance's `/v2/images?marker=…`). */
export const markerOf = (href: string): Option.Option<string> => {
  const query = href.indexOf("?")
  if (query === -1) return Option.none()
  return Option.fromNullable(new URLSearchParams(href.slice(query + 1)).get("marker"))
}

/** The marker of the `next` link among `links`, if any. */
export const nextMarker = (links: ReadonlyArray<Link> | undefined): Option.Option<string> =>
  Option.flatMap(Option.fromNullable(links?.find((link) => link.rel === "next")), (link) => markerOf(link.href))

/**
 * Rows under one key, with the listing's links beside them: `{"ports": [...], "ports_links": [{rel: "next", …}]}`.
 * The next page is the marker of the `next` link (the link itself is never followed).
 */
export const keyed = <const K extends string, A, I>(key: K, row: Schema.Schema<A, I>) => {
  const links = `${key}_links` as const
  const schema = Schema.extend(
    Schema.Record({ key: Schema.Literal(key), value: Schema.Array(row) }),
    Schema.partialWith(Schema.Record({ key: Schema.Literal(links), value: Schema.Array(Link) }), { exact: true })
  )
  const many: Many<A, Schema.Schema.Type<typeof schema>, Schema.Schema.Encoded<typeof schema>> = {
    schema,
    read: (body) => ({ items: body[key], next: Option.getOrUndefined(nextMarker(linksOf(body, links))) })
  }
  return many
}

const linksOf = <L extends string>(body: { readonly [P in L]?: ReadonlyArray<Link> }, name: L): ReadonlyArray<Link> | undefined =>
  body[name]
