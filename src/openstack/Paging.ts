/**
 * OpenStack's marker paging: a page is asked for with `limit` and `marker` (the id of the last item seen), and the
 * answer names the next page in a link (Nova `servers_links`, Neutron `networks_links`, Glance `next`). Only the
 * marker is taken from that link; the link itself is never followed, so a token is never sent to a host the server
 * names.
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import type { Link } from "./Version.js"

/** The `marker` query parameter of a link (absolute, or relative like Glance's `/v2/images?marker=…`). */
export const markerOf = (href: string): Option.Option<string> => {
  const query = href.indexOf("?")
  if (query === -1) return Option.none()
  return Option.fromNullable(new URLSearchParams(href.slice(query + 1)).get("marker"))
}

/** The marker of the `next` link among `links`, if any. */
export const nextMarker = (links: ReadonlyArray<Link> | undefined): Option.Option<string> =>
  Option.flatMap(Option.fromNullable(links?.find((link) => link.rel === "next")), (link) => markerOf(link.href))
