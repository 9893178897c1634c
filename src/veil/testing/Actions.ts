/**
 * Runs a mutating call the ECP way (veil.md §1.4, §4): with `async=1` the work becomes a task and the answer is
 * **202** `{"_task": …}` (plus a top-level `entity` for create-type calls); otherwise the work completes during the
 * request and the answer is **200** with the resulting object. A synchronous call whose task fails answers 400 with
 * the task's error message (the failed task stays in `tasks/`).
 *
 * @since 0.1.0
 */
import type { HttpServerResponse } from "@effect/platform"
import { Either } from "effect"
import type { RenderContext } from "./BodiesCommon.js"
import { badRequest, toResponse, type VeilError } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { isAsync, transact, type Req, type SimEnv } from "./Http.js"
import type { Json, JsonObject } from "../../core/testing/Json.js"
import { findById, type SimState } from "./State.js"
import { settle, startTask, taskBody, type MultiTaskSpec, type TaskSpec } from "./Tasks.js"

/**
 * What a validated mutating call will do.
 *
 * - `prepare`: immediate state change when the call is accepted (e.g. new domains appear as CREATING).
 * - `spec`: the task (or multitask).
 * - `entity`: the id of the created object, answered as top-level `entity` in the 202 body.
 * - `syncBody`: the 200 body of the synchronous form, computed after the work is done.
 *
 * @since 0.1.0
 */
export interface Plan {
  readonly prepare?: (state: SimState) => SimState
  readonly spec: TaskSpec | MultiTaskSpec
  readonly entity?: string
  readonly syncBody: (ctx: RenderContext) => Json
}

/**
 * Validates against the latest state and runs the plan atomically, answering 202 or 200 as the request asks.
 *
 * @since 0.1.0
 */
export const perform = (
  env: SimEnv,
  req: Req,
  plan: (state: SimState) => Either.Either<Plan, VeilError>
) =>
  transact(env, (state) =>
    Either.map(plan(state), (p): readonly [HttpServerResponse.HttpServerResponse, SimState] => {
      const prepared = p.prepare === undefined ? state : p.prepare(state)
      if (isAsync(req)) {
        const [task, next] = startTask(prepared, p.spec, req.now)
        const body: JsonObject = {
          ...(p.entity !== undefined ? { entity: p.entity } : {}),
          _task: taskBody({ state: next, now: req.now }, task)
        }
        return [json(body, 202), next]
      }
      const [task, started] = startTask(prepared, p.spec, req.now, 0)
      const done = settle(req.now)(started)
      const finished = findById(done.tasks, task.id)
      if (finished === undefined || finished.status !== "SUCCESS") {
        const message = finished?.error_message ?? ""
        return [toResponse(badRequest(message.length > 0 ? message : "The operation failed.")), done]
      }
      return [json(p.syncBody({ state: done, now: req.now })), done]
    }))
