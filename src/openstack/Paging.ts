/**
 * OpenStack's marker paging: a page is asked for with `limit` and `marker` (the id of the last item seen), and the
 * answer names the next page in a link (Nova `servers_links`, Neutron `networks_links`, Glance `next`). Only the
 * marker is taken from that link; the link itself is never followed, so a token is never sent to a host the server
 * names. Written once in core's `Envelope`.
 *
 * @since 0.1.0
 */
import * as Envelope from "../core/Envelope.js"

/** The `marker` query parameter of a link (absolute, or relative like Glance's `/v2/images?marker=…`). */
export const markerOf = Envelope.markerOf

/** The marker of the `next` link among `links`, if any. */
export const nextMarker = Envelope.nextMarker
