/**
 * The list envelope of ECP (`{count, next, previous, results}`, veil.md §3) and the query keys every list takes:
 * `name` (case-insensitive substring of the name), `ordering` (field names, `-` prefix for descending, comma
 * separated), `limit` (default 100), `offset`, `fields` (comma list → only those keys of the full body) and
 * `all_content=1` (full bodies instead of short rows). `next`/`previous` are full URLs on the request's own origin.
 *
 * @since 0.1.0
 */
import { pick, type Json, type JsonObject } from "../../core/testing/Json.js"

/**
 * One listable entity: its name (for the `name` filter), its short row and its full body (computed on demand).
 *
 * @since 0.1.0
 */
export interface ListItem {
  readonly name: string
  readonly row: () => JsonObject
  readonly detail: () => JsonObject
}

/**
 * The page size when `limit` is absent or invalid.
 *
 * @since 0.1.0
 */
export const defaultLimit = 100

const positiveInt = (value: string | null, fallback: number, allowZero: boolean): number => {
  if (value === null || !/^\d+$/.test(value)) return fallback
  const n = Number(value)
  return n === 0 && !allowZero ? fallback : n
}

const rank = (value: Json | undefined): number =>
  value === undefined || value === null ? 0 : typeof value === "boolean" ? 1 : typeof value === "number" ? 2 : 3

const compareValues = (a: Json | undefined, b: Json | undefined): number => {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === "number" && typeof b === "number") return a - b
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b)
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0
  if (a !== null && a !== undefined && b !== null && b !== undefined) {
    const sa = JSON.stringify(a)
    const sb = JSON.stringify(b)
    return sa < sb ? -1 : sa > sb ? 1 : 0
  }
  return 0
}

const sortItems = (items: ReadonlyArray<ListItem>, ordering: string | null): ReadonlyArray<ListItem> => {
  const keys = (ordering ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0 && k !== "-")
  if (keys.length === 0) return items
  const decorated = items.map((item) => ({ item, detail: item.detail() }))
  return decorated
    .sort((x, y) =>
      keys.reduce((result, key) => {
        if (result !== 0) return result
        const descending = key.startsWith("-")
        const field = descending ? key.slice(1) : key
        const c = compareValues(x.detail[field], y.detail[field])
        return descending ? -c : c
      }, 0)
    )
    .map((d) => d.item)
}

const withQuery = (url: URL, set: Record<string, string>, remove: ReadonlyArray<string>): string => {
  const next = new URL(url.href)
  Object.entries(set).forEach(([key, value]) => next.searchParams.set(key, value))
  remove.forEach((key) => next.searchParams.delete(key))
  return next.href
}

/**
 * Whether a query value means true (`1`, `true`, `True`, `yes`, `on`).
 *
 * @since 0.1.0
 */
export const isTrue = (value: string | null): boolean =>
  value !== null && ["1", "true", "yes", "on"].includes(value.toLowerCase())

/**
 * Builds one page of a list, applying `name`, `ordering`, `limit`, `offset`, `fields` and `all_content` from the
 * request URL (an absolute URL on the request's origin).
 *
 * @since 0.1.0
 */
export const paginate = (url: URL, items: ReadonlyArray<ListItem>): JsonObject => {
  const query = url.searchParams
  const name = query.get("name")
  const named = name === null || name === ""
    ? items
    : items.filter((item) => item.name.toLowerCase().includes(name.toLowerCase()))
  const ordered = sortItems(named, query.get("ordering"))
  const count = ordered.length
  const limit = positiveInt(query.get("limit"), defaultLimit, false)
  const offset = positiveInt(query.get("offset"), 0, true)
  const fields = (query.get("fields") ?? "").split(",").map((f) => f.trim()).filter((f) => f.length > 0)
  const full = isTrue(query.get("all_content")) || (fields.length === 1 && fields[0] === "__all__")
  const render = (item: ListItem): JsonObject =>
    full ? item.detail() : fields.length > 0 ? pick(item.detail(), fields) : item.row()
  const next = offset + limit < count
    ? withQuery(url, { limit: String(limit), offset: String(offset + limit) }, [])
    : null
  const previous = offset <= 0
    ? null
    : offset - limit <= 0
    ? withQuery(url, { limit: String(limit) }, ["offset"])
    : withQuery(url, { limit: String(limit), offset: String(offset - limit) }, [])
  return {
    count,
    next,
    previous,
    results: ordered.slice(offset, offset + limit).map(render)
  }
}
