/**
 * Marker paging as OpenStack services do it: the page starts after the item whose id is the marker and holds at
 * most `limit` items; a next link is due when the page is full.
 *
 * @since 0.1.0
 */
import { Either } from "effect"

/**
 * One page: its items, and the marker of the next page when the page is full (`undefined` otherwise).
 *
 * @since 0.1.0
 */
export interface PageOf<A> {
  readonly items: ReadonlyArray<A>
  readonly nextMarker: string | undefined
}

/**
 * The page of `items` after `marker` holding at most `limit` items. An unknown marker is `Left(marker)` (each
 * service words its own 400).
 *
 * @since 0.1.0
 */
export const pageOf = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  marker: string | null,
  limit: number
): Either.Either<PageOf<A>, string> => {
  const start = marker === null ? 0 : items.findIndex((item) => item.id === marker) + 1
  if (marker !== null && start === 0) return Either.left(marker)
  const page = items.slice(start, start + limit)
  const last = page[page.length - 1]
  return Either.right({ items: page, nextMarker: page.length === limit && last !== undefined ? last.id : undefined })
}
