/**
 * One handle for server-side work that is polled until a final state (a VeiL task, a Nova server reaching a
 * status, a Glance image becoming active, OVH IPMI access): {@link Operation.progress} streams every state seen,
 * {@link Operation.wait} answers the final one, {@link Operation.waitForSuccess} fails with the operation's own
 * error when the final state is a failure. Polling is {@link Waiting}'s (a `Schedule`, a deadline, the last state
 * in the timeout error).
 *
 * @since 0.1.0
 */
import { Effect, type Schedule, Stream, type Duration } from "effect"
import type * as Callback from "./Callback.js"
import * as Waiting from "./Waiting.js"

/** How one wait polls. */
export interface WaitOptions<S, R2 = never> {
  /** Spacing of the polls after the first (immediate) one; the operation's own by default. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
  /** Deadline of the whole wait (default 5 minutes). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Called with every state observed (a function answering an `Effect`, or a plain or async one). */
  readonly onProgress?: Callback.Callback<S, R2> | undefined
}

/** What describes an operation. */
export interface Spec<S, E, R, F> {
  /** What is waited for, e.g. `task 0daf02eb-…`: names it in the timeout error. */
  readonly subject: string
  /** Reads the current state (never from a cache). */
  readonly poll: Effect.Effect<S, E, R>
  /** Whether a state is final. */
  readonly isFinal: (state: S) => boolean
  /** The error of a final state that is a failure, `undefined` for a success. */
  readonly failure?: ((state: S) => F | undefined) | undefined
  /** Describes a state for the timeout error. */
  readonly describe?: ((state: S) => string) | undefined
  /** The default spacing of polls. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
  /** Runs once the final state is seen (e.g. drops cached reads the work made stale). */
  readonly onFinal?: ((state: S) => Effect.Effect<void, never, R>) | undefined
}

/** A handle on one operation. */
export interface Operation<S, E, R, F> {
  /** Every state observed, the final one last. */
  readonly progress: (options?: WaitOptions<S>) => Stream.Stream<S, E | Waiting.WaitTimeoutError, R>
  /** The final state, success or failure. */
  readonly wait: <R2 = never>(options?: WaitOptions<S, R2>) => Effect.Effect<S, E | Waiting.WaitTimeoutError, R | R2>
  /** The final state when it is a success; the operation's error when it is a failure. */
  readonly waitForSuccess: <R2 = never>(options?: WaitOptions<S, R2>) => Effect.Effect<S, E | F | Waiting.WaitTimeoutError, R | R2>
}

/** Builds the handle of an operation. */
export const make = <S, E, R, F = never>(spec: Spec<S, E, R, F>): Operation<S, E, R, F> => {
  const polling = (options: WaitOptions<S, never> | WaitOptions<S, unknown>): Waiting.PollOptions<S, E, R> => ({
    subject: spec.subject,
    poll: spec.poll,
    isTerminal: spec.isFinal,
    schedule: options.schedule ?? spec.schedule,
    timeout: options.timeout,
    describe: spec.describe
  })
  const final = (state: S): Effect.Effect<void, never, R> =>
    spec.onFinal === undefined || !spec.isFinal(state) ? Effect.void : spec.onFinal(state)
  const wait = <R2 = never>(options: WaitOptions<S, R2> = {}) =>
    Effect.tap(Waiting.until({ ...polling(options), onProgress: options.onProgress }), final)
  return {
    progress: (options = {}) => Stream.tap(Waiting.observe(polling(options)), final),
    wait,
    waitForSuccess: (options) =>
      Effect.flatMap(wait(options), (state) => {
        const failed = spec.failure?.(state)
        return failed === undefined ? Effect.succeed(state) : Effect.fail(failed)
      })
  }
}
