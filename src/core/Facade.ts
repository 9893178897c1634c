/**
 * The bridge from Effect services to plain Node code: a `ManagedRuntime` that runs effects as Promises, turns
 * streams into async iterables and closes the session on `await using` / `close()`.
 *
 * Failures reject with the error value itself (the same tagged error an Effect program sees, `_tag` included),
 * not with a wrapper.
 *
 * @since 0.1.0
 */
import { Cause, Chunk, Effect, Exit, type Layer, ManagedRuntime, Option, Scope, Stream } from "effect"

/** The error a failed effect rejects with: the typed failure, else the defect, else an interruption error. */
export const squash = <E>(cause: Cause.Cause<E>): unknown => Cause.squash(cause)

/** Runs effects of a layer's services as Promises. */
export class Facade<R, ER> implements AsyncDisposable {
  #closed = false
  constructor(readonly runtime: ManagedRuntime.ManagedRuntime<R, ER>) {}

  /** Runs an effect; rejects with its typed error. */
  async run<A, E>(effect: Effect.Effect<A, E, R>): Promise<A> {
    const exit = await this.runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw squash(exit.cause)
  }

  /** Turns an effectful function into an async one. */
  lift<Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E, R>): (...args: Args) => Promise<A> {
    return (...args) => this.run(f(...args))
  }

  /** Turns a function returning a stream into one returning an async iterable. */
  liftStream<Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Stream.Stream<A, E, R>): (...args: Args) => AsyncIterable<A> {
    return (...args) => this.iterate(f(...args))
  }

  /** The Promise form of a listing: `list` (one page) and `listAll` (every item, as an async iterable). */
  listing<LA extends ReadonlyArray<unknown>, P, E1, SA extends ReadonlyArray<unknown>, A, E2>(collection: {
    readonly list: (...args: LA) => Effect.Effect<P, E1, R>
    readonly listAll: (...args: SA) => Stream.Stream<A, E2, R>
  }): { readonly list: (...args: LA) => Promise<P>; readonly listAll: (...args: SA) => AsyncIterable<A> } {
    return { list: this.lift(collection.list), listAll: this.liftStream(collection.listAll) }
  }

  /** Iterates a stream; pages are fetched as the loop asks for more, and stopping early releases everything. */
  iterate<A, E>(stream: Stream.Stream<A, E, R>): AsyncIterable<A> {
    const facade = this
    return {
      async *[Symbol.asyncIterator]() {
        const scope = await facade.run(Scope.make())
        try {
          const pull = await facade.run(Scope.extend(Stream.toPull(stream), scope))
          while (true) {
            const exit = await facade.runtime.runPromiseExit(pull)
            if (Exit.isSuccess(exit)) {
              yield* Chunk.toReadonlyArray(exit.value)
              continue
            }
            const failure = Cause.failureOption(exit.cause)
            if (Option.isSome(failure) && Option.isOption(failure.value)) {
              if (Option.isNone(failure.value)) return
              throw failure.value.value
            }
            throw squash(exit.cause)
          }
        } finally {
          await facade.runtime.runPromise(Scope.close(scope, Exit.void))
        }
      }
    }
  }

  /** Closes the session and releases every resource. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.runtime.dispose()
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/** Builds the layer now (so configuration and connection errors reject here, typed) and returns a facade. */
export const open = async <R, ER>(layer: Layer.Layer<R, ER>): Promise<Facade<R, ER>> => {
  const runtime = ManagedRuntime.make(layer)
  const exit = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(exit)) {
    await runtime.dispose()
    throw squash(exit.cause)
  }
  return new Facade(runtime)
}
