/**
 * Task routes (veil.md §4.4): list (filters `parent`, `status`), detail, counters, check, cancel, response,
 * release-locks and jid.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { badRequest } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { decodeBody, param, renderContext, reply, route, transact, type Handler, type SimEnv } from "./Http.js"
import { findOr404, itemHandler, listHandler, type Listing } from "./Listing.js"
import { CancelBody } from "./RequestBodies.js"
import { findById, type TaskRecord, type TaskStatus } from "./State.js"
import { cancelTask, taskBody, taskResponse } from "./Tasks.js"

const statuses: ReadonlyArray<TaskStatus> = ["IN_PROGRESS", "SUCCESS", "FAILED", "CANCELED", "LOST", "PARTIAL"]

const tasks: Listing<TaskRecord> = {
  items: (s) => s.tasks,
  filters: {
    parent: { uuid: true, test: (t, v) => t.parent === v },
    status: {
      check: (v) =>
        statuses.some((s) => s === v.toUpperCase())
          ? undefined
          : `status: Select a valid choice. ${v} is not one of the available choices.`,
      test: (t, v) => t.status === v.toUpperCase()
    },
    is_multitask: { test: (t, v) => t.is_multitask === (v === "1" || v.toLowerCase() === "true") }
  },
  name: (t) => t.name,
  row: taskBody,
  detail: taskBody
}

const countHandler = (env: SimEnv): Handler => (req) =>
  Effect.map(renderContext(env, req), (ctx) => {
    const by = (status: TaskStatus): number => ctx.state.tasks.filter((t) => t.status === status).length
    return json({
      all: ctx.state.tasks.length,
      in_progress: by("IN_PROGRESS"),
      success: by("SUCCESS"),
      failed: by("FAILED"),
      canceled: by("CANCELED"),
      lost: by("LOST"),
      partial: by("PARTIAL")
    })
  })

const cancelHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(decodeBody(CancelBody), () =>
    transact(env, (state) =>
      Either.flatMap(findOr404(state.tasks, "Task", param(req, "id")), (task) =>
        Either.match(cancelTask(state, task.id, req.now), {
          onLeft: (message) => Either.left(badRequest(message)),
          onRight: (next) => {
            const canceled = findById(next.tasks, task.id) ?? task
            return Either.right(reply(json(taskBody({ state: next, now: req.now }, canceled)), next))
          }
        }))))

const releaseLocksHandler = (env: SimEnv): Handler => (req) =>
  transact(env, (state) =>
    Either.map(findOr404(state.tasks, "Task", param(req, "id")), (task) => {
      const ids = [task.id, ...state.tasks.filter((t) => t.parent === task.id).map((t) => t.id)]
      return reply(json({}), {
        ...state,
        domains: state.domains.map((d) => (d.locked_by !== null && ids.includes(d.locked_by) ? { ...d, locked_by: null } : d))
      })
    }))

const responseHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.map(findOr404(ctx.state.tasks, "Task", param(req, "id")), (task) => json(taskResponse(ctx, task.id))))

const jidHandler = (env: SimEnv): Handler => (req) =>
  Effect.flatMap(renderContext(env, req), (ctx) =>
    Effect.map(findOr404(ctx.state.tasks, "Task", param(req, "id")), (task) =>
      json({ jid: `2023${String(task.createdAt).padStart(16, "0")}` })))

/**
 * The task routes.
 *
 * @since 0.1.0
 */
export const taskRoutes = (env: SimEnv) => [
  route(env, "GET", "/api/tasks/", listHandler(env, tasks)),
  route(env, "GET", "/api/tasks/count/", countHandler(env)),
  route(env, "PUT", "/api/tasks/check/", () => Effect.succeed(json({}))),
  route(env, "GET", "/api/tasks/:id/", itemHandler(env, "Task", (s) => s.tasks, taskBody)),
  route(env, "PUT", "/api/tasks/:id/cancel/", cancelHandler(env)),
  route(env, "GET", "/api/tasks/:id/response/", responseHandler(env)),
  route(env, "PUT", "/api/tasks/:id/release-locks/", releaseLocksHandler(env)),
  route(env, "GET", "/api/tasks/:id/jid/", jidHandler(env))
]
