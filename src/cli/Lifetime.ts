/**
 * How long a long-running command lives. SIGINT and SIGTERM interrupt it through `NodeRuntime.runMain`; this module
 * adds the two ends that arrive without either signal:
 *
 * - SIGHUP: the terminal it ran in was closed;
 * - its parent went away, when npm started it (`npm run …`, `npx …`). npm runs a command through `sh -c`, and
 *   forwards SIGINT and SIGTERM to that shell only; a non-interactive shell waiting for its command dies of them
 *   without passing them on, so `kill <npm's pid>` would leave the command running under a new parent.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"

/**
 * Completes once the process's parent is no longer `parent` (it died, and the process was handed to init or a
 * subreaper), looking `every` so often.
 *
 * @since 0.1.0
 */
export const parentGone = (parent: number, every: Duration.DurationInput = Duration.millis(200)): Effect.Effect<void> =>
  Effect.asVoid(Effect.repeat(Effect.sync(() => process.ppid), {
    schedule: Schedule.spaced(every),
    until: (ppid) => ppid !== parent
  }))

/**
 * Whether npm started this process, directly or through a shell (`npm run`, `npm exec` and `npx` set
 * `npm_lifecycle_event`).
 *
 * @since 0.1.0
 */
export const startedByNpm = (): boolean => process.env["npm_lifecycle_event"] !== undefined

/**
 * Starts watching, for the lifetime of the scope, for the ends above — from now on, so that a SIGHUP arriving while
 * the command starts is not lost (nor the default action of killing the process taken) — and answers an effect that
 * completes once one has come.
 *
 * @since 0.1.0
 */
export const stopRequested: Effect.Effect<Effect.Effect<void>, never, Scope.Scope> = Effect.gen(function*() {
  const stopped = yield* Deferred.make<void>()
  const onHangup = () => {
    Deferred.unsafeDone(stopped, Effect.void)
  }
  yield* Effect.acquireRelease(
    Effect.sync(() => process.on("SIGHUP", onHangup)),
    () => Effect.sync(() => process.off("SIGHUP", onHangup))
  )
  if (startedByNpm()) yield* Effect.forkScoped(Effect.andThen(parentGone(process.ppid), Deferred.succeed(stopped, undefined)))
  return Deferred.await(stopped)
})
