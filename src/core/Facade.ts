/**
 * The bridge from Effect services to plain Node code: a `ManagedRuntime` that runs effects as Promises, turns
 * streams into async iterables and closes the session on `await using` / `close()`; and `client`, the Promise client
 * of a service derived from its shape (see `Promised`), which each API's facade opens with its own options.
 *
 * Failures reject with the error value itself (the same tagged error an Effect program sees, `_tag` included), and
 * always with an `Error`: a call after `close()` rejects with a `SessionClosedError`, a configuration failure with
 * the library's `ConfigurationError`, anything else that is not an `Error` with Effect's `UnknownException` around it.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Cause, ConfigError, Effect, Exit, Fiber, FiberId, Layer, ManagedRuntime, Option, Predicate, Schema, Scope, Stream } from "effect"
import { fromConfigError } from "./Configuration.js"
import { SessionClosedError } from "./Errors.js"
import { isHandle } from "./Handle.js"
import type { ControlName, PromiseClient, PromisedSchemaCall, Result, SchemaCall } from "./Promised.js"
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
export const toPromise = async <A, E>(api: string, effect: Effect.Effect<A, E>): Promise<A> => {
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

  /** The value of a call's exit, taken out of its box; throws the rejection of a failed one. */
  #value<A, E>(exit: Exit.Exit<Box<A>, E | ER>, signal: AbortSignal | undefined): A {
    if (Exit.isSuccess(exit)) return exit.value.take()
    throw this.#failure(exit.cause, signal)
  }

  /** Runs an effect; rejects with its typed error (or, when `signal` or this view's signal aborts, the abort reason). */
  async run<A, E>(effect: Effect.Effect<A, E, R>, options?: RunOptions): Promise<A> {
    if (this.#session.closed) throw closedError(this.api)
    const signal = combine(this.#signal, options?.signal)
    return this.#value(await this.#exit(boxed(effect), signal), signal)
  }

  /** Runs an effect as {@link run} does; a handle it answers comes out in its Promise form (see `Promised`). */
  async call<A, E>(effect: Effect.Effect<A, E, R>, options?: RunOptions): Promise<Result<A>> {
    if (this.#session.closed) throw closedError(this.api)
    const signal = combine(this.#signal, options?.signal)
    return result(this, this.#value(await this.#exit(boxed(effect), signal), signal))
  }

  /** Turns an effectful function into an async one. */
  lift<Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E, R>): (...args: Args) => Promise<A> {
    return (...args) => this.run(Effect.suspend(() => f(...args)))
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

/** An effect of a service: it needs only what the session provides (the services are built in it). */
const isEffectOf = <R>(u: unknown): u is Effect.Effect<unknown, unknown, R> => Effect.isEffect(u)

/** A stream of a service (checked by its own mark: every effect would pass `Stream.isStream`). */
const isStreamOf = <R>(u: unknown): u is Stream.Stream<unknown, unknown, R> => Predicate.hasProperty(u, Stream.StreamTypeId)

const isFunction = (u: unknown): u is (...args: Array<unknown>) => unknown => typeof u === "function"

const entries = (o: object): ReadonlyArray<readonly [string, unknown]> => Object.entries(o)

/** What a lifted function answers: the call of `f`, run as a Promise or iterated, or its plain result. */
const outcome = <R, ER>(facade: Facade<R, ER>, owner: object, f: (...args: Array<unknown>) => unknown, args: Array<unknown>) => {
  let value: unknown
  try {
    value = f.apply(owner, args)
  } catch (defect) {
    return Promise.reject(squash(facade.api, Cause.die(defect)))
  }
  if (isEffectOf<R>(value)) return facade.call(value)
  if (isStreamOf<R>(value)) return facade.iterate(value)
  return result(facade, value)
}

/**
 * The Promise form of the members of `source` (see `Promised`): effects, streams and functions lifted, handles
 * lifted, objects lifted as groups when `source` is a group (data as it is in a handle).
 */
const lifted = <R, ER>(facade: Facade<R, ER>, source: object, group: boolean, skip?: ReadonlySet<string>) => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of entries(source)) {
    if (skip?.has(key) === true) continue
    out[key] = isEffectOf<R>(value)
      ? () => facade.call(value)
      : isStreamOf<R>(value)
      ? () => facade.iterate(value)
      : isFunction(value)
      ? (...args: Array<unknown>) => outcome(facade, source, value, args)
      : isHandle(value) || (group && typeof value === "object" && value !== null)
      ? lifted(facade, value, group && !isHandle(value))
      : value
  }
  return out
}

/** A result in its Promise form: a handle lifted, anything else as it is (never walked, never copied). */
function result<R, ER, A>(facade: Facade<R, ER>, value: A): Result<A>
function result<R, ER>(facade: Facade<R, ER>, value: unknown): unknown {
  return isHandle(value) ? lifted(facade, value, false) : value
}

/** How {@link client} derives a Promise client. */
export interface ClientOptions<S, R, K extends keyof S, X> {
  /** Members reached through `service` only (data such as `config`, the request engine). */
  readonly omit?: ReadonlyArray<K> | undefined
  /** Members of the API's own, built over the derived client (again for every `withSignal` view). */
  extend?(client: PromiseClient<S, R, K>): X
  /** The prototype of the client (an API's class, for `instanceof`); a plain object's by default. */
  readonly prototype?: object | undefined
}

/** Every control's name (checked against `Controls`): a service member of one of these names stays behind `service`. */
const controlNames: Record<Exclude<ControlName, symbol>, true> = {
  service: true,
  closed: true,
  signal: true,
  withSignal: true,
  run: true,
  forEach: true,
  cacheStats: true,
  close: true
}

/**
 * The Promise client of `service`, derived from its shape (see `Promised`), with the session's controls: `close()`
 * and `await using`, `withSignal` views, `run`, `forEach`, `cacheStats`, and the service itself as `service`.
 */
export function client<S extends object, R, K extends keyof S = never, X = unknown>(
  facade: Facade<R | ResponseCache.ResponseCache, unknown>,
  service: S,
  options?: ClientOptions<S, R | ResponseCache.ResponseCache, K, X>
): PromiseClient<S, R | ResponseCache.ResponseCache, K> & X
export function client(facade: Facade<ResponseCache.ResponseCache, unknown>, service: object, options?: LooseOptions): unknown {
  return derive(facade, service, options ?? {})
}

/** {@link ClientOptions} as the derivation reads them. */
interface LooseOptions {
  readonly omit?: ReadonlyArray<PropertyKey> | undefined
  extend?(client: object): unknown
  readonly prototype?: object | undefined
}

const derive = (facade: Facade<ResponseCache.ResponseCache, unknown>, service: object, options: LooseOptions): unknown => {
  const skip = new Set([...Object.keys(controlNames), ...(options.omit ?? []).map(String)])
  const base = {
    ...lifted(facade, service, true, skip),
    service,
    get closed() {
      return facade.closed
    },
    get signal() {
      return facade.signal
    },
    withSignal: (signal: AbortSignal) => derive(facade.withSignal(signal), service, options),
    run: <A, E>(effect: Effect.Effect<A, E, ResponseCache.ResponseCache>) => facade.run(effect),
    forEach: <T, A, E>(items: Iterable<T>, f: (item: T) => Effect.Effect<A, E, ResponseCache.ResponseCache>, o: { readonly concurrency: number }) =>
      facade.run(Effect.forEach(items, (item) => f(item), { concurrency: o.concurrency })),
    cacheStats: () => facade.run(Effect.flatMap(ResponseCache.ResponseCache, (cache) => cache.stats)),
    close: () => facade.close(),
    [Symbol.asyncDispose]: () => facade.close()
  }
  const derived = options.extend === undefined ? base : Object.assign(base, options.extend(base))
  const prototype = options.prototype
  return prototype === undefined ? derived : Object.defineProperties(Object.create(prototype), Object.getOwnPropertyDescriptors(derived))
}

const isSchemaOf = <A, I, O>(u: Schema.Schema<A, I> | O | undefined): u is Schema.Schema<A, I> => Schema.isSchema(u)

/** The Promise form of a {@link SchemaCall} (a raw call of a path), run by `client.run`, overloads kept. */
export const schemaCall = <R, P, B, O, E>(
  client: { run<A>(effect: Effect.Effect<A, E, R>): Promise<A> },
  f: SchemaCall<P, B, O, E>
): PromisedSchemaCall<P, B, O> => {
  function lifted(path: P, arg?: B, options?: O): Promise<unknown>
  function lifted<A, I>(path: P, arg: B | undefined, schema: Schema.Schema<A, I>, options?: O): Promise<A>
  function lifted<A, I>(path: P, arg?: B, schema?: Schema.Schema<A, I> | O, options?: O): Promise<unknown> {
    return client.run(isSchemaOf(schema) ? f(path, arg, schema, options) : f(path, arg, schema))
  }
  return lifted
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
