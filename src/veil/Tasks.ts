/**
 * Tasks: the controller's record of queued work, and the handle every 202 answer becomes.
 *
 * A {@link TaskHandle} polls `GET tasks/{id}/` on a `Schedule` (every second by default) until the task leaves
 * `IN_PROGRESS` — whatever status it ends in (`SUCCESS`, `FAILED`, `CANCELED`, `LOST`, `PARTIAL`, …) — within a
 * deadline, and shows each state it sees. When the task ends, cached reads of the entities it touched are dropped.
 *
 * @since 0.1.0
 */
import { Data, type Duration, Effect, Predicate, Schedule, Schema, type Scope, Stream } from "effect"
import type * as Callback from "../core/Callback.js"
import type { ApiError } from "../core/Errors.js"
import * as Handle from "../core/Handle.js"
import * as Path from "../core/Path.js"
import type { RestRequest } from "../core/RestClient.js"
import * as Operation from "../core/Operation.js"
import type * as Waiting from "../core/Waiting.js"
import { type Filters, type Listing, listing } from "./Collection.js"
import * as Rest from "./Rest.js"
import { Accepted, Task } from "./Task.js"

/** A task ended in a status other than `SUCCESS`. */
export class TaskFailedError extends Data.TaggedError("TaskFailedError")<{
  readonly taskId: string
  readonly status: string
  /** The task's `error_message`, when the controller gave one. */
  readonly detail: string | undefined
  readonly taskName: string | undefined
}> {
  override get message(): string {
    return `task ${this.taskId}${this.taskName ? ` (${this.taskName})` : ""} ended ${this.status}` +
      (this.detail ? `: ${this.detail}` : "")
  }
}

/** How to wait for a task. */
export interface WaitOptions {
  /** Time between polls (default 1 s); ignored when `schedule` is given. */
  readonly interval?: Duration.DurationInput | undefined
  /** Spacing of the polls, for anything fancier than a fixed interval. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
  /** Deadline of the whole wait (default 5 minutes). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Called with every state observed, the terminal one included. */
  readonly onProgress?: Callback.Callback<Task> | undefined
}

/** A task the controller accepted: its first state, and how to follow, await or cancel it. */
export interface TaskHandle extends Handle.Handle {
  readonly _tag: "TaskHandle"
  /** The task id. */
  readonly id: string
  /** The task as the 202 answer gave it. */
  readonly task: Task
  /** The entity a create-type call made (`entity` in the answer), if any. */
  readonly entity: string | undefined
  /** The current state. */
  readonly refresh: Effect.Effect<Task, ApiError>
  /** Every state observed until the task ends (the terminal one last). */
  readonly progress: (options?: WaitOptions) => Stream.Stream<Task, ApiError | Waiting.WaitTimeoutError>
  /** The terminal state, whatever it is. */
  readonly wait: (options?: WaitOptions) => Effect.Effect<Task, ApiError | Waiting.WaitTimeoutError>
  /** The terminal state when it is `SUCCESS`; any other fails with {@link TaskFailedError}. */
  readonly waitForSuccess: (
    options?: WaitOptions
  ) => Effect.Effect<Task, ApiError | Waiting.WaitTimeoutError | TaskFailedError>
  /** Asks the controller to cancel the task (`force` defaults to true, as the Python client sends). */
  readonly cancel: (options?: { readonly force?: boolean }) => Effect.Effect<void, ApiError>
  /** What the node answered for the task (`GET tasks/{id}/response/`). */
  readonly response: Effect.Effect<unknown, ApiError>
}

/** A call the controller answered without queueing a task (status 200): its body. */
export interface Completed {
  readonly _tag: "Completed"
  readonly body: unknown
}

/** The answer of a call that may queue a task or finish at once. */
export type ActionResult = TaskHandle | Completed

const taskFilters = { parent: "parent", status: "status" } as const

/** Task operations. */
export interface Tasks extends Listing<Task, Filters<typeof taskFilters>> {
  /** The current state of a task (never served from the cache). */
  readonly get: (id: string) => Effect.Effect<Task, ApiError>
  /** A handle on an existing task. */
  readonly handle: (id: string) => Effect.Effect<TaskHandle, ApiError>
  /** A handle on the task of a 202 answer. */
  readonly accepted: (accepted: Accepted) => TaskHandle
  /** Sends a call that answers 202 with a task, and returns the handle. */
  readonly submit: (request: RestRequest) => Effect.Effect<TaskHandle, ApiError>
  /** Sends a call that may answer 202 with a task or 200 with a result. */
  readonly submitAny: (request: RestRequest) => Effect.Effect<ActionResult, ApiError>
  /** Cancels a task. */
  readonly cancel: (id: string, options?: { readonly force?: boolean }) => Effect.Effect<void, ApiError>
  /** Releases the locks a task holds on its entities. */
  readonly releaseLocks: (id: string) => Effect.Effect<void, ApiError>
  /** What the node answered for the task. */
  readonly response: (id: string) => Effect.Effect<unknown, ApiError>
  /** The task's internal job id. */
  readonly jid: (id: string) => Effect.Effect<unknown, ApiError>
  /** Task counters. */
  readonly count: Effect.Effect<unknown, ApiError>
  /** Asks the controller to check that all tasks completed. */
  readonly check: Effect.Effect<unknown, ApiError>
}

/** Entity class → collection prefix, for dropping cached reads of what a finished task touched. */
const prefixOfClass: Readonly<Record<string, string>> = {
  domain: "domains/",
  node: "nodes/",
  cluster: "clusters/",
  datapool: "data-pools/",
  resourcepool: "resource-pools/",
  vdisk: "vdisks/",
  controller: "controllers/",
  library: "library/",
  tag: ""
}

/** The poll schedule of a wait. */
export const pollSchedule = (options: WaitOptions = {}): Schedule.Schedule<unknown> =>
  options.schedule ?? Schedule.spaced(options.interval ?? "1 second")

const describe = (task: Task): string => `${task.status} ${task.progress}%`

/** Builds the task operations of a session. */
export const make = (veil: Rest.VeilRest): Effect.Effect<Tasks, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { rest } = veil
    const { list, listAll } = yield* listing(veil, "task", "tasks/", Task, taskFilters)
    // A task's state is what a wait polls for: never served from the cache.
    const get = (id: string) => rest.json({ method: "GET", path: Rest.path("tasks/{id}/", { id }), cache: false }, Task)

    const finish = (task: Task): Effect.Effect<void> =>
      Effect.forEach(
        new Set(["tasks/", ...Object.values(task.entities).map((c) => prefixOfClass[c]).filter((p) => p !== undefined)]),
        (prefix) => rest.invalidate(prefix),
        { discard: true }
      )

    const cancel = (id: string, o: { readonly force?: boolean } = {}) =>
      Effect.asVoid(rest.send({ method: "PUT", path: Rest.path("tasks/{id}/cancel/", { id }), body: { force: o.force ?? true } }))

    const response = (id: string) =>
      rest.json({ method: "GET", path: Rest.path("tasks/{id}/response/", { id }) }, Schema.Unknown)

    const handleOf = (task: Task, entity: string | undefined): TaskHandle => {
      const operation = Operation.make<Task, ApiError, never, TaskFailedError>({
        subject: `task ${task.id}${task.name ? ` (${task.name})` : ""}`,
        poll: get(task.id),
        isFinal: (t) => t.finished,
        failure: (t) =>
          t.succeeded ? undefined : new TaskFailedError({
            taskId: t.id,
            status: t.status,
            detail: t.error_message ?? undefined,
            taskName: t.name ?? t.verbose_name ?? undefined
          }),
        describe,
        onFinal: finish
      })
      const polling = (o: WaitOptions = {}) => ({ schedule: pollSchedule(o), timeout: o.timeout, onProgress: o.onProgress })
      return {
        [Handle.HandleTypeId]: Handle.HandleTypeId,
        _tag: "TaskHandle",
        id: task.id,
        task,
        entity,
        refresh: get(task.id),
        progress: (o) => operation.progress(polling(o)),
        wait: (o) => operation.wait(polling(o)),
        waitForSuccess: (o) => operation.waitForSuccess(polling(o)),
        cancel: (o) => cancel(task.id, o),
        response: response(task.id)
      }
    }

    const accepted = (a: Accepted) => handleOf(a._task, a.entity ?? undefined)
    // A body with `_task` must be a valid task; any other body is a finished call's result.
    const ActionBody = Schema.Union(
      Accepted,
      Schema.Unknown.pipe(Schema.filter((u) => !Predicate.hasProperty(u, "_task"), { message: () => "invalid _task" }))
    )

    return {
      list,
      listAll,
      get,
      accepted,
      submit: (request) => Effect.map(rest.json(request, Accepted), accepted),
      submitAny: (request) =>
        Effect.map(rest.json(request, ActionBody), (body): ActionResult =>
          body instanceof Accepted ? accepted(body) : { _tag: "Completed", body }),
      handle: (id) => Effect.map(get(id), (task) => handleOf(task, undefined)),
      cancel,
      releaseLocks: (id) =>
        Effect.asVoid(rest.send({ method: "PUT", path: Rest.path("tasks/{id}/release-locks/", { id }) })),
      response,
      jid: (id) => rest.json({ method: "GET", path: Rest.path("tasks/{id}/jid/", { id }) }, Schema.Unknown),
      count: rest.json({ method: "GET", path: Path.literal("tasks/count/"), cache: false }, Schema.Unknown),
      check: rest.json({ method: "PUT", path: Path.literal("tasks/check/") }, Schema.Unknown)
    }
  })
