/**
 * Events: the controller's journal.
 *
 * @since 0.1.0
 */
import type { Effect, Scope } from "effect"
import * as Collection from "./Collection.js"
import { Event } from "./Records.js"
import type * as Rest from "./Rest.js"

const eventFilters = { user: "user", type: "type" } as const

/** Event operations. */
export type Events = Collection.Collection<Event, Event, Collection.Filters<typeof eventFilters>>

/** Builds the event operations of a session. */
export const make = (veil: Rest.VeilRest): Effect.Effect<Events, never, Scope.Scope> =>
  Collection.make(veil, { prefix: "events/", entityClass: "event", row: Event, detail: Event, filters: eventFilters })
