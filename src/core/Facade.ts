/**
 * The bridge from Effect services to plain Node code: a `ManagedRuntime` that runs effects as Promises, turns
 * streams into async iterables and closes the session on `await using` / `close()`.
 *
 * Failures reject with the error value itself (the same tagged error an Effect program sees, `_tag` included), and
 * always with an `Error`: a call after `close()` rejects with a `SessionClosedError`, a configuration failure with
 * the library's `ConfigurationError`, anything else that is not an `Error` with Effect's `UnknownException` around it.
 *
 * @since 0.1.0
 */
import { Cause, Chunk, ConfigError, Effect, Exit, Fiber, type Layer, ManagedRuntime, Option, Scope, Stream } from "effect"
import { fromConfigError } from "./Configuration.js"
import { SessionClosedError } from "./Errors.js"

/** A failure as an `Error` of the library: the value itself when it is one, else a typed wrapper. */
export const toError = (api: string, failure: unknown): Error => {
  if (failure instanceof Error) return failure
  if (ConfigError.isConfigError(failure)) return fromConfigError(api, failure)
  return new Cause.UnknownException(failure, `${api}: ${String(failure)}`)
}

/** The error a failed effect rejects with: the typed failure, else the defect, else an interruption error. */
export const squash = <E>(api: string, cause: Cause.Cause<E>): Error => toError(api, Cause.squash(cause))

/** Runs an effect that needs no session (reading a configuration); rejects with its typed error as an `Error`. */
export const settle = async <A, E>(api: string, effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw squash(api, exit.cause)
}

const closedError = (api: string) =>
  new SessionClosedError({ api, message: `the ${api} session is closed: open a new one (connect) to go on` })

/** Runs effects of a layer's services as Promises. */
export class Facade<R, ER> implements AsyncDisposable {
  #closed = false
  #closing: Promise<void> | undefined
  readonly #running = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  constructor(readonly runtime: ManagedRuntime.ManagedRuntime<R, ER>, readonly api: string) {}

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** The rejection of a failed exit; a call cut short by `close()` is a `SessionClosedError`. */
  #failure<E>(cause: Cause.Cause<E>): Error {
    if (this.#closed && (Cause.isInterruptedOnly(cause) || Cause.isDie(cause))) return closedError(this.api)
    return squash(this.api, cause)
  }

  /** Runs an effect in a fiber that `close()` interrupts, and answers its exit. */
  #exit<A, E>(effect: Effect.Effect<A, E, R>): Promise<Exit.Exit<A, E | ER>> {
    if (this.#closed) return Promise.resolve(Exit.die(closedError(this.api)))
    const fiber = this.runtime.runFork(effect)
    this.#running.add(fiber)
    return new Promise((resolve) =>
      fiber.addObserver((exit) => {
        this.#running.delete(fiber)
        resolve(exit)
      })
    )
  }

  /** Runs an effect; rejects with its typed error. */
  async run<A, E>(effect: Effect.Effect<A, E, R>): Promise<A> {
    if (this.#closed) throw closedError(this.api)
    const exit = await this.#exit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw this.#failure(exit.cause)
  }

  /** Turns an effectful function into an async one. */
  lift<Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E, R>): (...args: Args) => Promise<A> {
    return (...args) => this.run(Effect.suspend(() => f(...args)))
  }

  /** Turns a function returning a stream into one returning an async iterable. */
  liftStream<Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Stream.Stream<A, E, R>): (...args: Args) => AsyncIterable<A> {
    return (...args) => this.iterate(Stream.suspend(() => f(...args)))
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
            if (facade.#closed) throw closedError(facade.api)
            const exit = await facade.#exit(pull)
            if (Exit.isSuccess(exit)) {
              yield* Chunk.toReadonlyArray(exit.value)
              continue
            }
            const failure = Cause.failureOption(exit.cause)
            if (Option.isSome(failure) && Option.isOption(failure.value)) {
              if (Option.isNone(failure.value)) return
              throw toError(facade.api, failure.value.value)
            }
            throw facade.#failure(exit.cause)
          }
        } finally {
          // Closing a scope needs no service, so it runs even when the session is closed already.
          await Effect.runPromise(Scope.close(scope, Exit.void))
        }
      }
    }
  }

  /**
   * Closes the session and releases every resource; calls still running are interrupted and reject with a
   * `SessionClosedError`. Safe to call twice.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true
      this.#closing = Effect.runPromise(Fiber.interruptAll(this.#running)).then(() => this.runtime.dispose())
    }
    return this.#closing
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/**
 * Builds the layer now (so configuration and connection errors reject here, typed) and returns a facade; `api`
 * names the API in the errors the facade makes itself.
 */
export const open = async <R, ER>(layer: Layer.Layer<R, ER>, api: string): Promise<Facade<R, ER>> => {
  const runtime = ManagedRuntime.make(layer)
  const exit = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(exit)) {
    await runtime.dispose()
    throw squash(api, exit.cause)
  }
  return new Facade(runtime, api)
}
