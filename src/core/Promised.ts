/**
 * The Promise view of a service, as types: what `Facade.client` derives from a service's shape at run time.
 *
 * - an `Effect<A>` member becomes `() => Promise<A>`; a `Stream<A>` member `() => AsyncIterable<A>`;
 * - a function answering an `Effect` becomes an async function, one answering a `Stream` a function answering an
 *   `AsyncIterable` (pages fetched as the loop asks for more);
 * - an object member is a group of operations (`domains`, `servers`, `objects`), lifted the same way;
 * - a result marked as a {@link Handle.Handle} (a task to wait on) comes out with its effects lifted too; every
 *   other result (decoded bodies, pages of rows) comes out as it is.
 *
 * @since 0.1.0
 */
import type { Effect, Schema, Stream } from "effect"
import type * as Handle from "./Handle.js"
import type { CacheStats } from "./ResponseCache.js"

/** The Promise form of an operation's result: a handle with its effects lifted, anything else as it is. */
export type Result<A> = A extends Handle.Handle ? PromisedHandle<A> : A

/** What calling a lifted function answers. */
export type Call<R> = R extends Effect.Effect<infer A, unknown, unknown> ? Promise<Result<A>>
  : R extends Stream.Stream<infer A, unknown, unknown> ? AsyncIterable<A>
  : Result<R>

/** Any function. */
export type AnyFunction = (...args: never) => unknown

/** The Promise form of one member of a service or of a group. */
export type Member<T> = T extends Effect.Effect<infer A, unknown, unknown> ? () => Promise<Result<A>>
  : T extends Stream.Stream<infer A, unknown, unknown> ? () => AsyncIterable<A>
  : T extends (...args: infer P) => infer R ? (...args: P) => Call<R>
  : T extends object ? Promised<T>
  : T

/** The Promise form of a group of operations (or of a whole service). */
export type Promised<S> = { readonly [K in keyof S]: Member<S[K]> }

/** The Promise form of a handle: its effects lifted, its nested handles too, its data as it is. */
export type PromisedHandle<H> = {
  readonly [K in keyof H as K extends Handle.HandleTypeId ? never : K]: H[K] extends Handle.Handle ? PromisedHandle<H[K]>
    : H[K] extends Effect.Effect<unknown, unknown, unknown> | Stream.Stream<unknown, unknown, unknown> | AnyFunction ? Member<H[K]>
    : H[K]
}

/** What every Promise client offers besides its operations. */
export interface Controls<S, R> extends AsyncDisposable {
  /** The effect-based service behind this client. */
  readonly service: S
  /** Whether `close()` was called (on this view or any other of the session). */
  readonly closed: boolean
  /** The signal that interrupts this view's calls, if any. */
  readonly signal: AbortSignal | undefined
  /**
   * This session, with every call made through the returned view (and the handles and iterations it hands out)
   * interrupted when `signal` aborts: the call rejects with `signal.reason` (a `DOMException` named `AbortError`
   * unless the reason given is another `Error`), its HTTP request is cut, other calls go on. Closing the view closes
   * the session: keep `await using` on the session itself.
   */
  withSignal(signal: AbortSignal): this
  /** Runs an effect of the session: `await client.run(effect)`; rejects with its typed error. */
  run<A, E>(effect: Effect.Effect<A, E, R>): Promise<A>
  /**
   * Runs `f` on every item, at most `concurrency` at a time, answering in the items' order. The first failure
   * rejects and interrupts the rest.
   */
  forEach<T, A, E>(items: Iterable<T>, f: (item: T) => Effect.Effect<A, E, R>, options: { readonly concurrency: number }): Promise<Array<A>>
  /** Cache counters (all zero without a cache). */
  cacheStats(): Promise<CacheStats>
  /** Closes the session and releases everything it holds (also done by `await using`); safe to call twice. */
  close(): Promise<void>
}

/** The names {@link Controls} takes: a service member of one of these names is reached through `service` only. */
export type ControlName = keyof Controls<unknown, unknown>

/**
 * The Promise client of a service `S` whose effects need `R`: its operations (all but `K`, which stay reachable
 * through `service`) and the session's {@link Controls}.
 */
export type PromiseClient<S, R, K extends keyof S = never> = Promised<Omit<S, K | ControlName>> & Controls<S, R>

/**
 * A call of a path with parameters or a body `B`, its answer decoded with `schema` when one is given: an overloaded
 * function, which {@link Promised} cannot map (a mapped type sees only the last overload).
 */
export interface SchemaCall<P, B, O, E> {
  (path: P, arg?: B, options?: O): Effect.Effect<unknown, E>
  <A, I>(path: P, arg: B | undefined, schema: Schema.Schema<A, I>, options?: O): Effect.Effect<A, E>
}

/** The Promise form of a {@link SchemaCall}, overloads kept. */
export interface PromisedSchemaCall<P, B, O> {
  (path: P, arg?: B, options?: O): Promise<unknown>
  <A, I>(path: P, arg: B | undefined, schema: Schema.Schema<A, I>, options?: O): Promise<A>
}
