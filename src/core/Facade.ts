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
import type { HttpClient } from "@effect/platform"
import { Cause, ConfigError, Effect, Exit, Fiber, FiberId, Layer, ManagedRuntime, Option, Scope, Stream } from "effect"
import { fromConfigError } from "./Configuration.js"
import { SessionClosedError } from "./Errors.js"
import * as ResponseCache from "./ResponseCache.js"

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

/** What a box holds once its value was taken. */
const taken: unique symbol = Symbol("taken")

/**
 * A result on its way out of the runtime. The fiber that produced it keeps its exit (and so the box) for a while,
 * often in V8's old generation by then; emptying the box once the value is read lets the value itself be collected
 * by the next young-generation GC instead of the next full one (measured: see bench/gc-box.ts).
 */
class Box<A> {
  #value: A | typeof taken
  constructor(value: A) {
    this.#value = value
  }
  /** The value, once; the box no longer holds it. */
  take(): A {
    const value = this.#value
    this.#value = taken
    if (value === taken) throw new Error("a result was read twice")
    return value
  }
}

const boxed = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Box<A>, E, R> => Effect.map(effect, (value) => new Box(value))

/** What every view of one session shares: whether it is closed, and the calls running. */
interface Session {
  closed: boolean
  closing: Promise<void> | undefined
  readonly running: Set<Fiber.RuntimeFiber<unknown, unknown>>
}

/** Options of one call. */
export interface RunOptions {
  /** Interrupts the call when it aborts; the call then rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
}

const combine = (a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined =>
  a === undefined ? b : b === undefined || a === b ? a : AbortSignal.any([a, b])

/**
 * Runs effects of a layer's services as Promises.
 *
 * Cancellation: `run(effect, { signal })`, or `withSignal(signal)` for a view of the same session whose every call
 * (and iteration) is interrupted when the signal aborts. An interrupted call rejects with `signal.reason` — the
 * `DOMException` named `AbortError` (or `TimeoutError` for `AbortSignal.timeout`) that `fetch` rejects with — or,
 * when the reason is not an `Error`, Effect's `UnknownException` around it. A signal already aborted rejects at
 * once and runs nothing; interrupting a call interrupts its HTTP request (the socket is released, nothing more is
 * sent, no retry follows). Other calls of the session go on.
 */
export class Facade<R, ER> implements AsyncDisposable {
  #session: Session = { closed: false, closing: undefined, running: new Set() }
  #signal: AbortSignal | undefined
  constructor(readonly runtime: ManagedRuntime.ManagedRuntime<R, ER>, readonly api: string) {}

  /** Whether `close()` was called (on this view or any other of the session). */
  get closed(): boolean {
    return this.#session.closed
  }

  /** The signal that interrupts this view's calls, if any. */
  get signal(): AbortSignal | undefined {
    return this.#signal
  }

  /**
   * A view of the same session whose calls are interrupted when `signal` aborts (and when this view's own signal
   * does). Closing a view closes the session.
   */
  withSignal(signal: AbortSignal): Facade<R, ER> {
    const view = new Facade(this.runtime, this.api)
    view.#session = this.#session
    view.#signal = combine(this.#signal, signal)
    return view
  }

  /** The rejection of a failed exit; a call cut short by `close()` is a `SessionClosedError`, by `signal` its reason. */
  #failure<E>(cause: Cause.Cause<E>, signal: AbortSignal | undefined): Error {
    if (this.#session.closed && (Cause.isInterruptedOnly(cause) || Cause.isDie(cause))) return closedError(this.api)
    if (signal?.aborted === true && Cause.isInterruptedOnly(cause)) return toError(this.api, signal.reason)
    return squash(this.api, cause)
  }

  /** Runs an effect in a fiber that `close()` and `signal` interrupt, and answers its exit. */
  #exit<A, E>(effect: Effect.Effect<A, E, R>, signal: AbortSignal | undefined): Promise<Exit.Exit<A, E | ER>> {
    if (this.#session.closed) return Promise.resolve(Exit.die(closedError(this.api)))
    if (signal?.aborted === true) return Promise.resolve(Exit.interrupt(FiberId.none))
    const running = this.#session.running
    const fiber = this.runtime.runFork(effect)
    running.add(fiber)
    const abort = () => fiber.unsafeInterruptAsFork(FiberId.none)
    signal?.addEventListener("abort", abort, { once: true })
    return new Promise((resolve) =>
      fiber.addObserver((exit) => {
        running.delete(fiber)
        signal?.removeEventListener("abort", abort)
        resolve(exit)
      })
    )
  }

  /** Runs an effect; rejects with its typed error (or, when `signal` or this view's signal aborts, the abort reason). */
  async run<A, E>(effect: Effect.Effect<A, E, R>, options?: RunOptions): Promise<A> {
    if (this.#session.closed) throw closedError(this.api)
    const signal = combine(this.#signal, options?.signal)
    const exit = await this.#exit(boxed(effect), signal)
    if (Exit.isSuccess(exit)) return exit.value.take()
    throw this.#failure(exit.cause, signal)
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

  /**
   * Iterates a stream; pages are fetched as the loop asks for more, and stopping early releases everything. When
   * this view's signal aborts, the page being fetched is interrupted, the loop rejects with the abort reason (before
   * the next item) and the stream is released.
   */
  iterate<A, E>(stream: Stream.Stream<A, E, R>): AsyncIterable<A> {
    const facade = this
    const signal = this.#signal
    return {
      async *[Symbol.asyncIterator]() {
        const scope = await facade.run(Scope.make())
        try {
          const pull = await facade.run(Scope.extend(Stream.toPull(stream), scope))
          while (true) {
            if (facade.#session.closed) throw closedError(facade.api)
            const exit = await facade.#exit(boxed(pull), signal)
            if (Exit.isSuccess(exit)) {
              for (const item of exit.value.take()) {
                if (signal?.aborted === true) throw toError(facade.api, signal.reason)
                yield item
              }
              continue
            }
            const failure = Cause.failureOption(exit.cause)
            if (Option.isSome(failure) && Option.isOption(failure.value)) {
              if (Option.isNone(failure.value)) return
              throw toError(facade.api, failure.value.value)
            }
            throw facade.#failure(exit.cause, signal)
          }
        } finally {
          // Closing a scope needs no service, so it runs even when the session is closed already.
          await Effect.runPromise(Scope.close(scope, Exit.void))
        }
      }
    }
  }

  /**
   * Closes the session and releases every resource; calls still running (in every view) are interrupted and reject
   * with a `SessionClosedError`. Safe to call twice.
   */
  close(): Promise<void> {
    const session = this.#session
    if (session.closing === undefined) {
      session.closed = true
      session.closing = Effect.runPromise(Fiber.interruptAll(session.running)).then(() => this.runtime.dispose())
    }
    return session.closing
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/** What every Promise facade's `connect` takes besides the API's own options. */
export interface SessionOptions {
  /** Serve safe reads from an in-memory cache (off by default). */
  readonly cache?: ResponseCache.MemoryOptions | undefined
  /** A transport other than a Node connection pool of its own (e.g. an in-process simulator). */
  readonly transport?: Layer.Layer<HttpClient.HttpClient> | undefined
}

/**
 * The layer a Promise facade opens: the client over its transport, with an in-memory cache of its safe reads when
 * `cache` is given (none otherwise), the cache also offered to the session (for its counters).
 */
export const session = <ET>(transport: Layer.Layer<HttpClient.HttpClient, ET>, cache: ResponseCache.MemoryOptions | undefined) => {
  const cached = cache === undefined ? ResponseCache.layerNone : ResponseCache.layerMemory(cache)
  return <R, E, RIn>(
    client: Layer.Layer<R, E, RIn>
  ): Layer.Layer<R | ResponseCache.ResponseCache, E | ET, Exclude<RIn, HttpClient.HttpClient | ResponseCache.ResponseCache>> =>
    client.pipe(Layer.provide(Layer.merge(transport, cached)), Layer.merge(cached))
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
