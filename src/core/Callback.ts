/**
 * Callbacks an operation calls on its way (progress of a wait, of an upload), written once for both worlds: an
 * Effect program gives a function answering an `Effect`, Promise code a plain function (or an async one).
 *
 * @since 0.1.0
 */
import { Effect, Predicate } from "effect"

/**
 * A function called with each value: one answering an `Effect` (run in turn), or a plain function (whatever it
 * answers is ignored, but for a Promise, awaited).
 */
export type Callback<A, R = never> = ((value: A) => Effect.Effect<void, never, R>) | ((value: A) => void)

const isEffectOf = <R>(u: unknown): u is Effect.Effect<void, never, R> => Effect.isEffect(u)

const isPromiseLike = (u: unknown): u is PromiseLike<void> => Predicate.hasProperty(u, "then") && Predicate.isFunction(u.then)

/** Calls `f` with `value` as an effect: what it answers is run or awaited; a throw, a failure or a rejection is a defect. */
export const call = <A, R = never>(f: Callback<A, R>, value: A): Effect.Effect<void, never, R> =>
  Effect.suspend(() => {
    const answer = f(value)
    if (isEffectOf<R>(answer)) return Effect.orDie(answer)
    if (isPromiseLike(answer)) return Effect.promise(() => Promise.resolve(answer))
    return Effect.void
  })
