/**
 * Pages and streams over pages, written once for every API.
 *
 * An API supplies how to fetch one page from a cursor (an offset, a marker, a link) and what the next cursor is;
 * {@link stream} turns that into a lazy `Stream` of items that fetches a page only when its items are pulled. A
 * server whose next cursor never advances (the same marker again, or one seen before) cannot keep a listing going
 * forever: the stream fails with the error `onStall` builds (see {@link stalled}), or ends there when none is given.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Option, Stream } from "effect"
import { DecodeError, DecodeIssue } from "./Errors.js"

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

/** Every item of every page, starting at `first`; pages are fetched lazily, one at a time, each cursor once. */
export const stream = <A, Cursor, E, R, E2 = never>(
  first: Cursor,
  fetch: (cursor: Cursor) => Effect.Effect<Page<A, Cursor>, E, R>,
  onStall?: (cursor: Cursor) => E2
): Stream.Stream<A, E | E2, R> =>
  Stream.suspend(() => {
    const seen = new Set<Cursor>([first])
    return Stream.paginateChunkEffect(first, (cursor) =>
      Effect.flatMap(fetch(cursor), (p): Effect.Effect<readonly [Chunk.Chunk<A>, Option.Option<Cursor>], E2> => {
        // The page's own array, not a copy: pages are read-only, and a copy would double what a long listing holds.
        const items = Chunk.unsafeFromArray(p.items)
        if (Option.isNone(p.next)) return Effect.succeed([items, p.next] as const)
        const next = p.next.value
        if (!seen.has(next)) {
          seen.add(next)
          return Effect.succeed([items, p.next] as const)
        }
        return onStall === undefined
          ? Effect.as(Effect.logWarning("a listing's next page repeats one already read: it ends here"), [items, Option.none()] as const)
          : Effect.fail(onStall(next))
      }))
  })

/** The error of a listing whose server keeps answering a next page already read (for {@link stream}'s `onStall`). */
export const stalled = (api: string, method: string, template: string) => (cursor: unknown): DecodeError =>
  new DecodeError({
    api,
    method,
    url: template,
    message: `${method} ${template}: the server's next page (${typeof cursor === "string" || typeof cursor === "number" ? `"${String(cursor)}"` : "cursor"}) was read already; the listing would never end`,
    issues: [new DecodeIssue({ path: [], message: "the next-page cursor does not advance" })]
  })

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
