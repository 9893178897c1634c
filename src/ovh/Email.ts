/**
 * Mail redirections of an OVH e-mail domain (`/email/domain/{domain}/redirection`), decoded against the API schema's
 * `email.domain.*` models. OVH marks these calls ALPHA.
 *
 * Creating or deleting a redirection answers a task (`email.domain.TaskSpecialAccount`) that OVH carries out a little
 * later; {@link redirectionTask} reads it again. Its enumerations (`action`, `type`) are read as plain strings: OVH adds
 * values over time.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Envelope from "../core/Envelope.js"
import * as Path from "../core/Path.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import { OvhClient } from "./Client.js"
import { sender } from "./Sender.js"

/** `email.domain.RedirectionCreation`: a new redirection. */
export const RedirectionCreation = Schema.Struct({
  /** The address mail is sent to, e.g. `sales@example.com`. */
  from: Schema.String,
  /** The address it goes on to. */
  to: Schema.String,
  /** Whether a copy stays in the `from` mailbox. */
  localCopy: Schema.Boolean
})

/** A new redirection. */
export interface RedirectionCreation extends Schema.Schema.Type<typeof RedirectionCreation> {}

/** `email.domain.RedirectionGlobal`: one redirection. */
export const Redirection = Schema.Struct({ id: Schema.String, from: Schema.String, to: Schema.String })

/** A redirection as decoded. */
export interface Redirection extends Schema.Schema.Type<typeof Redirection> {}

/** `email.domain.TaskSpecialAccount`: the task that creates, changes or deletes a redirection. */
export const TaskSpecialAccount = Schema.Struct({
  id: Schema.String,
  /** `add`, `change` or `delete`. */
  action: Schema.String,
  /** `25g`, `alias`, `delete`, `filter`, `forward` or `responder`. */
  type: Schema.String,
  account: Schema.String,
  domain: Schema.String,
  date: Schema.Date
})

/** A redirection task as decoded. */
export interface TaskSpecialAccount extends Schema.Schema.Type<typeof TaskSpecialAccount> {}

/** Which redirections to list; all of them by default. */
export interface RedirectionFilter {
  readonly from?: string | undefined
  readonly to?: string | undefined
}

/** Creates a redirection (`POST /email/domain/{domain}/redirection`); answers the task that sets it up. */
export const createRedirection = (domain: string, creation: RedirectionCreation): Effect.Effect<TaskSpecialAccount, ApiError, OvhClient> =>
  Effect.flatMap(OvhClient, (ovh) =>
    ovh.post(
      Path.make("/email/domain/{domain}/redirection", { domain }),
      { from: creation.from, to: creation.to, localCopy: creation.localCopy },
      TaskSpecialAccount
    ))

/** A domain's redirections, declared with core's `Resource`: a child of the domain. */
const redirectionsOf = (domain: string) =>
  Resource.direct(sender, {
    name: "redirection",
    path: "redirection",
    list: Envelope.array(Schema.String),
    one: Envelope.bare(Redirection),
    query: { from: Query.string("from"), to: Query.string("to") },
    paging: Resource.single
  }).under(Path.make("/email/domain/{domain}", { domain }))

/** The ids of the domain's redirections (`GET /email/domain/{domain}/redirection`). */
export const redirections = (domain: string, filter: RedirectionFilter = {}): Effect.Effect<ReadonlyArray<string>, ApiError, OvhClient> =>
  Effect.map(redirectionsOf(domain).list(filter), (page) => page.items)

/** One redirection by id (`GET /email/domain/{domain}/redirection/{id}`). */
export const redirection = (domain: string, id: string): Effect.Effect<Redirection, ApiError, OvhClient> => redirectionsOf(domain).get(id)

/** Deletes a redirection (`DELETE /email/domain/{domain}/redirection/{id}`); answers the task that removes it. */
export const deleteRedirection = (domain: string, id: string): Effect.Effect<TaskSpecialAccount, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.delete(Path.make("/email/domain/{domain}/redirection/{id}", { domain, id }), undefined, TaskSpecialAccount)
  )

/** A redirection task by id (`GET /email/domain/{domain}/task/redirection/{id}`). */
export const redirectionTask = (domain: string, id: string): Effect.Effect<TaskSpecialAccount, ApiError, OvhClient> =>
  Effect.flatMap(
    OvhClient,
    (ovh) => ovh.get(Path.make("/email/domain/{domain}/task/redirection/{id}", { domain, id }), undefined, TaskSpecialAccount, { cache: false })
  )
