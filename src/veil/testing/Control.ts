/**
 * What tests see of and do to the VeiL simulator's state: read-only views (settled at the current `Clock` time)
 * and levers (failing the next tasks, task duration, power states).
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Option } from "effect"
import type * as Store from "../../core/testing/Store.js"
import {
  findById,
  isoAt,
  powerStateFromName,
  updateDomain,
  type DomainRecord,
  type PowerState,
  type SimState,
  type TaskRecord
} from "./State.js"

/**
 * Read-only views of the simulator state for tests. Every view first settles the tasks due at the current
 * `Clock` time, so it agrees with what the API would answer now.
 *
 * @since 0.1.0
 */
export interface SimulatorState
  extends Store.Views<SimState, "domains" | "tasks" | "tags" | "vdisks" | "library" | "events">
{
  readonly snapshot: Effect.Effect<SimState>
  readonly domain: (id: string) => Effect.Effect<Option.Option<DomainRecord>>
  readonly task: (id: string) => Effect.Effect<Option.Option<TaskRecord>>
  /** The idempotency keys seen so far (each answered once, replayed afterwards). */
  readonly idempotencyKeys: Effect.Effect<ReadonlyArray<string>>
}

/**
 * Levers for tests.
 *
 * - `failNextTask`: the next task created (`count` tasks, default 1) ends `FAILED` with `errorMessage`; with
 *   `status: "PARTIAL"` only the first sub-task of the next multitask fails, so the multitask ends `PARTIAL`.
 * - `setTaskDuration`: the duration of tasks created from now on.
 * - `setPowerState`: sets a domain's power state directly (no task).
 * - `settle`: settles the tasks due now (views and requests already do this).
 *
 * @since 0.1.0
 */
export interface SimulatorControl {
  readonly failNextTask: (options?: {
    readonly errorMessage?: string
    readonly status?: "FAILED" | "PARTIAL"
    readonly count?: number
  }) => Effect.Effect<void>
  readonly setTaskDuration: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly setPowerState: (
    domainId: string,
    state: PowerState | "ON" | "OFF" | "SUSPENDED" | "UNDEFINED"
  ) => Effect.Effect<void>
  readonly settle: Effect.Effect<void>
}

const toPowerState = (value: PowerState | "ON" | "OFF" | "SUSPENDED" | "UNDEFINED"): PowerState =>
  typeof value === "number" ? value : powerStateFromName(value) ?? 0

/**
 * The views of a store (`idempotencyKeys`: those the idempotency layer has seen).
 *
 * @since 0.1.0
 */
export const views = (
  store: Store.Store<SimState>,
  idempotencyKeys: Effect.Effect<ReadonlyArray<string>>
): SimulatorState => ({
  snapshot: store.settled,
  domains: store.view((s) => s.domains),
  domain: (id) => store.view((s) => Option.fromNullable(findById(s.domains, id))),
  tasks: store.view((s) => s.tasks),
  task: (id) => store.view((s) => Option.fromNullable(findById(s.tasks, id))),
  tags: store.view((s) => s.tags),
  vdisks: store.view((s) => s.vdisks),
  library: store.view((s) => s.library),
  events: store.view((s) => s.events),
  idempotencyKeys
})

/**
 * The levers on a store.
 *
 * @since 0.1.0
 */
export const levers = (store: Store.Store<SimState>): SimulatorControl => ({
  failNextTask: (o) =>
    store.update((s) => ({
      ...s,
      armedFailures: [
        ...s.armedFailures,
        ...Array.from({ length: o?.count ?? 1 }, () => ({
          message: o?.errorMessage ?? "Task failed (simulated).",
          status: o?.status ?? "FAILED"
        }))
      ]
    })),
  setTaskDuration: (duration) =>
    store.update((s) => ({ ...s, taskDurationMs: Duration.toMillis(Duration.decode(duration)) })),
  setPowerState: (domainId, power) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      store.update((s) =>
        updateDomain(s, domainId, (d) => {
          const to = toPowerState(power)
          return {
            ...d,
            user_power_state: to,
            startedAt: to === 3 ? (d.startedAt ?? now) : to === 2 ? d.startedAt : null,
            modified: isoAt(now)
          }
        }))),
  settle: Effect.asVoid(store.settled)
})
