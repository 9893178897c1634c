/**
 * Clock-driven transitions of simulated resources (a server going BUILD → ACTIVE, an access becoming ready): a
 * record carries the transition it is in and when it completes on the Effect `Clock`; no background fiber runs,
 * every request first settles what is due, so `TestClock` drives it exactly.
 *
 * @since 0.1.0
 */
import { Duration } from "effect"

/**
 * A transition of kind `kind` that completes at `at` (epoch ms on the `Clock`).
 *
 * @since 0.1.0
 */
export interface Pending<K extends string> {
  readonly at: number
  readonly kind: K
}

/**
 * Milliseconds of a duration input.
 *
 * @since 0.1.0
 */
export const millis = (duration: Duration.DurationInput): number => Duration.toMillis(Duration.decode(duration))

/**
 * A transition of `kind` starting at `now` and lasting `duration`.
 *
 * @since 0.1.0
 */
export const after = <K extends string>(kind: K, now: number, duration: Duration.DurationInput): Pending<K> => ({
  kind,
  at: now + millis(duration)
})

/**
 * Whether a transition is due at `now` (none is never due).
 *
 * @since 0.1.0
 */
export const isDue = (pending: Pending<string> | null, now: number): boolean => pending !== null && pending.at <= now

/**
 * Completes every transition due at `now`: `complete` gives a record's next version, or `null` when it goes away.
 * The same array comes back when nothing is due (callers keep their state as it is).
 *
 * @since 0.1.0
 */
export const settle = <R extends { readonly pending: Pending<string> | null }>(
  records: ReadonlyArray<R>,
  now: number,
  complete: (record: R) => R | null
): ReadonlyArray<R> => {
  if (!records.some((record) => isDue(record.pending, now))) return records
  return records.flatMap((record) => {
    if (!isDue(record.pending, now)) return [record]
    const next = complete(record)
    return next === null ? [] : [next]
  })
}
