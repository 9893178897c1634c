/**
 * Waiting for server-side work: poll an operation on a `Schedule` until it reaches a terminal state, within a
 * deadline, and show each observed state as it comes.
 *
 * @since 0.1.0
 */
import { Data, Duration, Effect, Option, Ref, Schedule, Stream } from "effect"
import * as Callback from "./Callback.js"

/** The operation did not reach a terminal state before the deadline. */
export class WaitTimeoutError extends Data.TaggedError("WaitTimeoutError")<{
  /** What was waited for, e.g. `task 0daf02eb-…`. */
  readonly subject: string
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMillis: number
  /** A description of the last state observed, if any was. */
  readonly lastState: string | undefined
}> {
  override get message(): string {
    const seconds = this.timeoutMillis / 1000
    return `${this.subject} did not finish within ${seconds}s` +
      (this.lastState === undefined ? "" : ` (last seen: ${this.lastState})`)
  }
}

/** How to poll. */
export interface PollOptions<S, E, R> {
  /** What is being waited for (for the timeout error). */
  readonly subject: string
  /** Reads the current state. */
  readonly poll: Effect.Effect<S, E, R>
  /** Whether a state ends the wait. */
  readonly isTerminal: (state: S) => boolean
  /** Spacing of the polls after the first (immediate) one. Default: every second. */
  readonly schedule?: Schedule.Schedule<unknown> | undefined
  /** Deadline for the whole wait. Default: 5 minutes. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Describes a state for the timeout error. */
  readonly describe?: ((state: S) => string) | undefined
}

/** Default spacing of polls. */
export const defaultSchedule: Schedule.Schedule<number> = Schedule.spaced("1 second")

/** Default deadline of a wait. */
export const defaultTimeout: Duration.Duration = Duration.minutes(5)

/**
 * Every state observed, the terminal one last; fails with {@link WaitTimeoutError} at the deadline. The first poll
 * happens at once, the next ones on the schedule.
 */
export const observe = <S, E, R>(options: PollOptions<S, E, R>): Stream.Stream<S, E | WaitTimeoutError, R> =>
  Stream.unwrap(Effect.gen(function*() {
    const last = yield* Ref.make(Option.none<S>())
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const deadline = Effect.sleep(timeout).pipe(
      Effect.zipRight(Ref.get(last)),
      Effect.flatMap((state) =>
        new WaitTimeoutError({
          subject: options.subject,
          timeoutMillis: Duration.toMillis(timeout),
          lastState: Option.getOrUndefined(Option.map(state, options.describe ?? String))
        })
      )
    )
    return Stream.repeatEffectWithSchedule(
      Effect.tap(options.poll, (state) => Ref.set(last, Option.some(state))),
      options.schedule ?? defaultSchedule
    ).pipe(
      Stream.takeUntil(options.isTerminal),
      Stream.interruptWhen(deadline)
    )
  }))

/** Waits for the terminal state, calling `onProgress` with every state observed. */
export const until = <S, E, R, R2 = never>(
  options: PollOptions<S, E, R> & {
    readonly onProgress?: Callback.Callback<S, R2> | undefined
  }
): Effect.Effect<S, E | WaitTimeoutError, R | R2> => {
  const onProgress = options.onProgress
  const states = onProgress === undefined ? observe(options) : Stream.tap(observe(options), (state) => Callback.call(onProgress, state))
  return Stream.runLast(states).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.dieMessage(`${options.subject}: polling ended without a state`),
      onSome: Effect.succeed
    }))
  )
}
