/**
 * The state of a simulator: one value in a `Ref`, changed only by atomic steps, settled against the Effect `Clock`
 * before it is read (see `Transitions`).
 *
 * @since 0.1.0
 */
import { Clock, Effect, Either, Ref } from "effect"

/**
 * Runs a pure step against the latest state atomically: on Right the new state is stored and the value returned,
 * on Left nothing changes and the error is raised.
 *
 * @since 0.1.0
 */
export const transact = <S, A, E>(
  state: Ref.Ref<S>,
  f: (state: S) => Either.Either<readonly [A, S], E>
): Effect.Effect<A, E> =>
  Effect.flatMap(
    Ref.modify(state, (current): readonly [Either.Either<A, E>, S] =>
      Either.match(f(current), {
        onLeft: (error) => [Either.left(error), current],
        onRight: ([value, next]) => [Either.right(value), next]
      })),
    Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })
  )

/**
 * A simulator's state.
 *
 * - `ref`: the state itself (routes read and change it).
 * - `settled`: applies what is due at the current `Clock` time, stores and returns the result.
 * - `view`: a read of the settled state.
 * - `update`: a pure change; `transact`: a step that may refuse (see {@link transact}).
 *
 * @since 0.1.0
 */
export interface Store<S> {
  readonly ref: Ref.Ref<S>
  readonly settled: Effect.Effect<S>
  readonly view: <A>(f: (state: S) => A) => Effect.Effect<A>
  readonly update: (f: (state: S) => S) => Effect.Effect<void>
  readonly transact: <A, E>(f: (state: S) => Either.Either<readonly [A, S], E>) => Effect.Effect<A, E>
}

/**
 * Read-only views of some fields of a state, each read settled (what `Store.view` gives), for a simulator's tests.
 *
 * @since 0.1.0
 */
export type Views<S, K extends keyof S> = { readonly [P in K]: Effect.Effect<S[P]> }

/**
 * A store holding `initial`; `settle` applies what is due at a time (default: nothing ever is).
 *
 * @since 0.1.0
 */
export const make = <S>(
  initial: S,
  settle: (now: number) => (state: S) => S = () => (state) => state
): Effect.Effect<Store<S>> =>
  Effect.map(Ref.make(initial), (ref): Store<S> => {
    const settled = Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.updateAndGet(ref, settle(now)))
    return {
      ref,
      settled,
      view: (f) => Effect.map(settled, f),
      update: (f) => Ref.update(ref, f),
      transact: (f) => transact(ref, f)
    }
  })
