/**
 * Pages and streams over pages, written once for every API.
 *
 * An API supplies how to fetch one page from a cursor (an offset, a marker, a link) and what the next cursor is;
 * {@link stream} turns that into a lazy `Stream` of items that fetches a page only when its items are pulled.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Option, Stream } from "effect"

/** One page of a listing. */
export interface Page<A, Cursor> {
  /** The items of this page. */
  readonly items: ReadonlyArray<A>
  /** Total number of items across every page, when the API says. */
  readonly total: Option.Option<number>
  /** Where the next page starts, or none on the last page. */
  readonly next: Option.Option<Cursor>
}

/** Builds a page. */
export const page = <A, Cursor>(
  items: ReadonlyArray<A>,
  next: Option.Option<Cursor>,
  total: Option.Option<number> = Option.none()
): Page<A, Cursor> => ({ items, next, total })

/** Every item of every page, starting at `first`; pages are fetched lazily, one at a time. */
export const stream = <A, Cursor, E, R>(
  first: Cursor,
  fetch: (cursor: Cursor) => Effect.Effect<Page<A, Cursor>, E, R>
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(first, (cursor) =>
    Effect.map(fetch(cursor), (p) => [Chunk.fromIterable(p.items), p.next] as const))

/** Every page, as pages (for callers that want page boundaries or totals). */
export const pages = <A, Cursor, E, R>(
  first: Cursor,
  fetch: (cursor: Cursor) => Effect.Effect<Page<A, Cursor>, E, R>
): Stream.Stream<Page<A, Cursor>, E, R> =>
  Stream.paginateEffect(first, (cursor) => Effect.map(fetch(cursor), (p) => [p, p.next] as const))

/**
 * The next offset of an offset/limit listing: none when the page was empty, when the server says there is no next
 * page, or when `total` items have been seen.
 */
export const nextOffset = (
  offset: number,
  received: number,
  options: { readonly total?: number | undefined; readonly hasNext?: boolean | undefined }
): Option.Option<number> => {
  const next = offset + received
  if (received === 0 || options.hasNext === false) return Option.none()
  if (options.total !== undefined && next >= options.total) return Option.none()
  return Option.some(next)
}
