/**
 * What every simulator is around its routes and state: the app wired journal → faults → API, the layer that gives
 * an in-process `HttpClient` to it, and serving it on 127.0.0.1.
 *
 * @since 0.1.0
 */
import { HttpClient, type HttpApp, type HttpServerError } from "@effect/platform"
import { type Context, Effect, Layer, type Scope } from "effect"
import * as Faults from "./Faults.js"
import * as InProcess from "./InProcess.js"
import * as Journal from "./Journal.js"
import * as Serve from "./Serve.js"

/**
 * A wired simulator: `app` (journal → faults → the API), its fault injector and its journal.
 *
 * @since 0.1.0
 */
export interface Wired {
  readonly app: HttpApp.Default<never, never>
  readonly faults: Faults.FaultInjector
  readonly journal: Journal.Journal
}

/**
 * Wires an API's app: every request is journaled first (a faulted one too), then armed faults apply (answered in
 * the API's words, `wording`), then the API answers.
 *
 * @since 0.1.0
 */
export const wire = (api: HttpApp.Default<never, never>, wording: Faults.FaultWording): Effect.Effect<Wired> =>
  Effect.gen(function*() {
    const faults = yield* Faults.makeInjector
    const journal = yield* Journal.make
    return { app: journal.record(Faults.middleware(faults, wording)(api)), faults, journal }
  })

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator itself under `tag`.
 *
 * @since 0.1.0
 */
export const layer = <I, S extends Wired>(
  tag: Context.Tag<I, S>,
  make: Effect.Effect<S>
): Layer.Layer<HttpClient.HttpClient | I> =>
  Layer.unwrapEffect(
    Effect.map(make, (simulator) => Layer.merge(InProcess.layer(simulator.app), Layer.succeed(tag, simulator)))
  )

/**
 * A served simulator: where it listens and the simulator.
 *
 * @since 0.1.0
 */
export interface Served<S> extends Serve.Served {
  readonly simulator: S
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port; `tls` for HTTPS) for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = <S extends Wired>(
  make: Effect.Effect<S>,
  options?: Serve.ServeOptions
): Effect.Effect<Served<S>, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const simulator = yield* make
    const served = yield* Serve.serve(simulator.app, {
      ...(options?.port === undefined ? {} : { port: options.port }),
      ...(options?.tls === undefined ? {} : { tls: options.tls })
    })
    return { ...served, simulator }
  })
