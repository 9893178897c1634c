/**
 * Task schemas: what `_task` in a 202 answer and `GET tasks/{id}/` hold.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import { Permissions } from "./Entity.js"

/** Task statuses. Every status except `IN_PROGRESS` is terminal. */
export const TaskStatuses = ["IN_PROGRESS", "SUCCESS", "FAILED", "CANCELED", "LOST", "PARTIAL"] as const

/** A known task status. */
export type TaskStatus = typeof TaskStatuses[number]

/** `executed`: a number (`0`) while the task runs, a string (`"2.492376"`) once it finished; decoded to seconds. */
export const Executed = Schema.Union(Schema.Number, Schema.NumberFromString)

/** An event of a task. */
export class TaskEvent extends Schema.Class<TaskEvent>("TaskEvent")({
  id: Schema.String,
  message: opt(Schema.String),
  detail_message: optNull(Schema.String),
  user: optNull(Schema.String),
  created: opt(Schema.String),
  type: opt(Schema.String),
  entities: opt(Schema.Array(Schema.Struct({ entity_uuid: Schema.String, entity_class: Schema.String })))
}) {}

/** A task. */
export class Task extends Schema.Class<Task>("Task")({
  id: Schema.String,
  status: Schema.String,
  verbose_name: optNull(Schema.String),
  name: optNull(Schema.String),
  progress: Schema.optionalWith(Schema.Number, { default: () => 0, exact: true }),
  created: optNull(Schema.String),
  executed: optNull(Executed),
  finished_time: optNull(Schema.String),
  error_message: optNull(Schema.String),
  detail_message: optNull(Schema.String),
  is_cancellable: opt(Schema.Boolean),
  is_multitask: opt(Schema.Boolean),
  parent: optNull(Schema.String),
  /** Entity uuid → entity class, in the controller's order (the first is the created entity, e.g. a new tag). */
  entities: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), { default: () => ({}), exact: true }),
  events: opt(Schema.Array(TaskEvent)),
  nodes_list: opt(Schema.Array(Schema.String)),
  nodes_user_responses: opt(Schema.Array(Schema.Unknown)),
  user: optNull(Schema.Struct({ id: opt(Schema.Number), username: opt(Schema.String) })),
  permissions: opt(Permissions),
  response: opt(Schema.Unknown)
}) {
  /** The task is still running. */
  get inProgress(): boolean {
    return this.status === "IN_PROGRESS"
  }
  /** The task ended (any status but `IN_PROGRESS`: `SUCCESS`, `FAILED`, `CANCELED`, `LOST`, `PARTIAL`, …). */
  get finished(): boolean {
    return this.status !== "IN_PROGRESS"
  }
  /** The task ended with `SUCCESS`. */
  get succeeded(): boolean {
    return this.status === "SUCCESS"
  }
  /** The task ended with anything but `SUCCESS`. */
  get failed(): boolean {
    return this.finished && !this.succeeded
  }
  /** The entities of the task as references with their class. */
  get entityList(): ReadonlyArray<{ readonly id: string; readonly entityClass: string }> {
    return Object.entries(this.entities).map(([id, entityClass]) => ({ id, entityClass }))
  }
  /** The first entity (the controller's key order): the object a create-type task made. */
  get firstEntity(): string | undefined {
    return Object.keys(this.entities)[0]
  }
  /** Ids of the entities of one class (e.g. every `domain` a multi-create made). */
  entitiesOf(entityClass: string): ReadonlyArray<string> {
    return Object.entries(this.entities).filter(([, c]) => c === entityClass).map(([id]) => id)
  }
}

/** A 202 answer: `{"_task": {...}}`, plus `entity` for create-type calls. */
export class Accepted extends Schema.Class<Accepted>("Accepted")({
  _task: Task,
  entity: optNull(Schema.String)
}) {}
