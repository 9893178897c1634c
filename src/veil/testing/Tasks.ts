/**
 * Asynchronous ECP tasks, driven only by the Effect `Clock`: a task stores when it started and how long it lasts;
 * every request first *settles* the tasks whose time has come (applying their effect on the state), and renders
 * `progress` from the current time. No background fiber exists, so `TestClock` controls tasks exactly.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { RenderContext } from "./BodiesCommon.js"
import type { Json, JsonObject } from "../../core/testing/Json.js"
import {
  findById,
  isoAt,
  nextId,
  type EntityRef,
  type EventRecord,
  type SimState,
  type TaskHooks,
  type TaskRecord,
  type TaskStatus
} from "./State.js"

/**
 * A unit of work: its name, the entities it touches (uuid → class, first key first), the node that runs it, the
 * domains it locks while running, and what happens when it finishes.
 *
 * @since 0.1.0
 */
export interface TaskSpec {
  readonly name: string
  readonly entities: ReadonlyArray<readonly [string, string]>
  readonly nodeId: string
  readonly lock?: ReadonlyArray<string>
  readonly onSuccess: (state: SimState, at: number) => Either.Either<SimState, string>
  readonly onFailure?: (state: SimState, at: number) => SimState
  readonly response?: (state: SimState, now: number) => Json
}

/**
 * A multitask: a parent whose status follows its sub-tasks (all succeeded → SUCCESS, all failed → FAILED, some →
 * PARTIAL).
 *
 * @since 0.1.0
 */
export interface MultiTaskSpec {
  readonly name: string
  readonly entities: ReadonlyArray<readonly [string, string]>
  readonly nodeId: string
  readonly children: ReadonlyArray<TaskSpec>
  readonly response?: (state: SimState, now: number) => Json
}

const noop = (state: SimState): SimState => state

const eventOf = (
  state: SimState,
  taskId: string,
  message: string,
  type: string,
  at: number,
  entities: ReadonlyArray<readonly [string, string]>
): SimState => {
  const [id, next] = nextId(state, "event")
  const refs: ReadonlyArray<EntityRef> = entities.map(([entity_uuid, entity_class]) => ({ entity_uuid, entity_class }))
  const event: EventRecord = {
    id,
    message,
    detail_message: message,
    user: state.user.username,
    type,
    created: isoAt(at),
    taskId,
    entities: refs
  }
  return { ...next, events: [...next.events, event] }
}

const lockDomains = (state: SimState, ids: ReadonlyArray<string>, taskId: string): SimState => ({
  ...state,
  domains: state.domains.map((d) => (ids.includes(d.id) ? { ...d, locked_by: taskId } : d))
})

const unlockDomains = (state: SimState, taskId: string): SimState => ({
  ...state,
  domains: state.domains.map((d) => (d.locked_by === taskId ? { ...d, locked_by: null } : d))
})

const addTask = (
  state: SimState,
  spec: { readonly name: string; readonly entities: ReadonlyArray<readonly [string, string]>; readonly nodeId: string },
  hooks: TaskHooks,
  options: {
    readonly now: number
    readonly durationMs: number
    readonly parent: string | null
    readonly multitask: boolean
    readonly failWith: string | null
  }
): readonly [TaskRecord, SimState] => {
  const [id, s1] = nextId(state, "task")
  const task: TaskRecord = {
    id,
    name: spec.name,
    verbose_name: "Task",
    status: "IN_PROGRESS",
    createdAt: options.now,
    durationMs: options.durationMs,
    finishedAt: null,
    error_message: "",
    entities: spec.entities,
    parent: options.parent,
    is_multitask: options.multitask,
    nodeId: spec.nodeId,
    failWith: options.failWith
  }
  const s2: SimState = { ...s1, tasks: [...s1.tasks, task], hooks: new Map([...s1.hooks, [id, hooks]]) }
  return [task, eventOf(s2, id, `Task created:  ${spec.name}`, "info", options.now, spec.entities)]
}

const hooksOf = (spec: TaskSpec): TaskHooks => ({
  onSuccess: spec.onSuccess,
  onFailure: spec.onFailure ?? noop,
  response: spec.response ?? (() => ({}))
})

const isMulti = (spec: TaskSpec | MultiTaskSpec): spec is MultiTaskSpec => "children" in spec

/**
 * Starts a task (or a multitask with its sub-tasks) at `now`, lasting `durationMs` (default: the configured task
 * duration), consuming an armed failure if one is pending. Returns the root task and the new state.
 *
 * @since 0.1.0
 */
export const startTask = (
  state: SimState,
  spec: TaskSpec | MultiTaskSpec,
  now: number,
  durationMs: number = state.taskDurationMs
): readonly [TaskRecord, SimState] => {
  const [armed, ...rest] = state.armedFailures
  const s0: SimState = armed === undefined ? state : { ...state, armedFailures: rest }
  if (!isMulti(spec)) {
    const [task, s1] = addTask(s0, spec, hooksOf(spec), {
      now,
      durationMs,
      parent: null,
      multitask: false,
      failWith: armed?.message ?? null
    })
    return [task, lockDomains(s1, spec.lock ?? [], task.id)]
  }
  const [parent, s1] = addTask(
    s0,
    spec,
    { onSuccess: Either.right, onFailure: noop, response: spec.response ?? (() => ({})) },
    { now, durationMs, parent: null, multitask: true, failWith: null }
  )
  const s2 = spec.children.reduce((acc, child, index) => {
    const failWith = armed === undefined || (armed.status === "PARTIAL" && index > 0) ? null : armed.message
    const [task, next] = addTask(acc, child, hooksOf(child), {
      now,
      durationMs,
      parent: parent.id,
      multitask: false,
      failWith
    })
    return lockDomains(next, child.lock ?? [], task.id)
  }, s1)
  return [parent, s2]
}

const replaceTask = (state: SimState, id: string, f: (t: TaskRecord) => TaskRecord): SimState => ({
  ...state,
  tasks: state.tasks.map((t) => (t.id === id ? f(t) : t))
})

const endOf = (task: TaskRecord): number => task.createdAt + task.durationMs

const finishLeaf = (state: SimState, task: TaskRecord): SimState => {
  const at = endOf(task)
  const hooks = state.hooks.get(task.id)
  const outcome: Either.Either<SimState, string> = task.failWith !== null
    ? Either.left(task.failWith)
    : hooks === undefined
    ? Either.right(state)
    : hooks.onSuccess(state, at)
  const finished = Either.match(outcome, {
    onLeft: (message) =>
      replaceTask(hooks === undefined ? state : hooks.onFailure(state, at), task.id, (t) => ({
        ...t,
        status: "FAILED",
        finishedAt: at,
        error_message: message
      })),
    onRight: (next) => replaceTask(next, task.id, (t) => ({ ...t, status: "SUCCESS", finishedAt: at }))
  })
  const status = Either.isLeft(outcome) ? "failed" : "finished"
  return eventOf(
    unlockDomains(finished, task.id),
    task.id,
    `Task ${status}: ${task.name}`,
    Either.isLeft(outcome) ? "error" : "info",
    at,
    task.entities
  )
}

const childrenOf = (state: SimState, id: string): ReadonlyArray<TaskRecord> => state.tasks.filter((t) => t.parent === id)

const multiStatus = (children: ReadonlyArray<TaskRecord>): TaskStatus => {
  const ok = children.filter((c) => c.status === "SUCCESS").length
  return ok === children.length ? "SUCCESS" : ok === 0 ? "FAILED" : "PARTIAL"
}

const finishMulti = (state: SimState, task: TaskRecord): SimState => {
  const children = childrenOf(state, task.id)
  const status = multiStatus(children)
  const at = Math.max(endOf(task), ...children.map((c) => c.finishedAt ?? endOf(c)))
  const failed = children.filter((c) => c.status !== "SUCCESS")
  return replaceTask(state, task.id, (t) => ({
    ...t,
    status,
    finishedAt: at,
    error_message: failed.map((c) => c.error_message).filter((m) => m.length > 0).join("; ")
  }))
}

/**
 * Settles every task whose time has come at `now`, in the order they end (sub-tasks before their multitask).
 *
 * @since 0.1.0
 */
export const settle = (now: number) => (state: SimState): SimState => {
  const due = state.tasks
    .filter((t) => t.status === "IN_PROGRESS" && !t.is_multitask && endOf(t) <= now)
    .sort((a, b) => endOf(a) - endOf(b))
  const leavesDone = due.reduce((acc, task) => finishLeaf(acc, task), state)
  return leavesDone.tasks
    .filter((t) =>
      t.status === "IN_PROGRESS" && t.is_multitask && endOf(t) <= now &&
      childrenOf(leavesDone, t.id).every((c) => c.status !== "IN_PROGRESS")
    )
    .reduce((acc, task) => finishMulti(acc, task), leavesDone)
}

/**
 * Cancels a task in progress (and its sub-tasks) at `now`. Returns Left when it is not in progress.
 *
 * @since 0.1.0
 */
export const cancelTask = (state: SimState, id: string, now: number): Either.Either<SimState, string> => {
  const task = findById(state.tasks, id)
  if (task === undefined || task.status !== "IN_PROGRESS") {
    return Either.left(`Task ${id} is not in progress and cannot be canceled.`)
  }
  const targets = [task, ...childrenOf(state, id).filter((c) => c.status === "IN_PROGRESS")]
  const canceled = targets.reduce((acc, t) => {
    const hooks = acc.hooks.get(t.id)
    const after = hooks === undefined ? acc : hooks.onFailure(acc, now)
    return unlockDomains(
      replaceTask(after, t.id, (r) => ({ ...r, status: "CANCELED", finishedAt: now, error_message: "Task canceled." })),
      t.id
    )
  }, state)
  return Either.right(eventOf(canceled, id, `Task canceled: ${task.name}`, "warning", now, task.entities))
}

/**
 * `progress` of a task at `now`: linear from 0 while in progress (never 100 before it ends), frozen when finished.
 *
 * @since 0.1.0
 */
export const progressOf = (task: TaskRecord, now: number): number => {
  if (task.status === "SUCCESS") return 100
  const until = task.finishedAt ?? now
  if (task.durationMs <= 0) return task.status === "IN_PROGRESS" ? 0 : 100
  const raw = Math.floor(((until - task.createdAt) * 100) / task.durationMs)
  return Math.min(task.status === "IN_PROGRESS" ? 99 : 100, Math.max(0, raw))
}

const executedOf = (task: TaskRecord): Json =>
  task.finishedAt === null ? 0 : ((task.finishedAt - task.createdAt) / 1000).toFixed(6)

const eventBody = (event: EventRecord): JsonObject => ({
  id: event.id,
  message: event.message,
  user: event.user,
  created: event.created,
  task: event.taskId,
  readed: [],
  entities: event.entities.map((e) => ({ entity_uuid: e.entity_uuid, entity_class: e.entity_class })),
  detail_message: event.detail_message,
  permissions: { mark: true },
  type: event.type
})

/**
 * The task body, like `task-info.json` / the `_task` of `domain-action-202-task.json`.
 *
 * @since 0.1.0
 */
export const taskBody = (ctx: RenderContext, task: TaskRecord): JsonObject => {
  const running = task.status === "IN_PROGRESS"
  const node = findById(ctx.state.nodes, task.nodeId)
  return {
    id: task.id,
    verbose_name: task.verbose_name,
    name: task.name,
    progress: progressOf(task, ctx.now),
    status: task.status,
    created: isoAt(task.createdAt),
    executed: executedOf(task),
    finished_time: task.finishedAt === null ? null : isoAt(task.finishedAt),
    nodes_user_responses: task.is_multitask || node === undefined
      ? []
      : [{ node_id: node.id, node_name: node.verbose_name, node_response: running ? "None" : task.status }],
    events: ctx.state.events.filter((e) => e.taskId === task.id).map(eventBody),
    nodes_list: node === undefined ? [] : [node.id],
    user: { id: ctx.state.user.id, username: ctx.state.user.username },
    error_message: task.error_message,
    is_cancellable: running,
    permissions: { cancel: true, release_locks: true, check: true, run: true },
    is_multitask: task.is_multitask,
    parent: task.parent,
    entities: Object.fromEntries(task.entities)
  }
}

/**
 * The body of `GET tasks/{id}/response/`: what the task produced (e.g. the created domain), `{}` otherwise.
 *
 * @since 0.1.0
 */
export const taskResponse = (ctx: RenderContext, id: string): Json =>
  ctx.state.hooks.get(id)?.response(ctx.state, ctx.now) ?? {}
