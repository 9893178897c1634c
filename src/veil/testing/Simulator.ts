/**
 * The VeiL ECP simulator: an in-memory ECP answering the REST API under `/api/` (veil.md), with the core kit's
 * journal and fault injection wired in, usable in-process (`layer`) or on 127.0.0.1 (`serve`).
 *
 * @since 0.1.0
 */
import {
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  HttpRouter,
  HttpServerRequest,
  type HttpApp,
  type HttpServerError
} from "@effect/platform"
import { Clock, Context, Duration, Effect, Layer, Option, Ref, type Scope } from "effect"
import * as Faults from "../../core/testing/Faults.js"
import * as InProcess from "../../core/testing/InProcess.js"
import * as Journal from "../../core/testing/Journal.js"
import * as Serve from "../../core/testing/Serve.js"
import { defaultToken, normaliseToken } from "./Auth.js"
import { internalError, renderError, toResponse, urlNotFound } from "./Errors.js"
import type { SimEnv } from "./Http.js"
import { makeIdempotency } from "./Idempotency.js"
import { domainActionRoutes } from "./RoutesDomainActions.js"
import { domainRoutes } from "./RoutesDomains.js"
import { inventoryRoutes } from "./RoutesInventory.js"
import { isoRoutes } from "./RoutesIso.js"
import { tagRoutes } from "./RoutesTags.js"
import { taskRoutes } from "./RoutesTasks.js"
import { seed } from "./Seed.js"
import {
  findById,
  isoAt,
  powerStateFromName,
  updateDomain,
  type DomainRecord,
  type EventRecord,
  type LibraryRecord,
  type PowerState,
  type SimState,
  type TagRecord,
  type TaskRecord,
  type VdiskRecord
} from "./State.js"
import { settle } from "./Tasks.js"

/**
 * Options of {@link make}.
 *
 * - `token`: the accepted `Authorization` value, e.g. `"jwt eyJ…"` (the `jwt ` prefix is added when missing);
 *   default {@link defaultToken}.
 * - `taskDuration`: how long every task takes on the Effect clock (default 3 seconds).
 * - `domains`: how many ordinary domains to seed (default 12), besides the two templates.
 *
 * @since 0.1.0
 */
export interface MakeOptions {
  readonly token?: string
  readonly taskDuration?: Duration.DurationInput
  readonly domains?: number
}

/**
 * Read-only views of the simulator state for tests. Every view first settles the tasks due at the current
 * `Clock` time, so it agrees with what the API would answer now.
 *
 * @since 0.1.0
 */
export interface SimulatorState {
  readonly snapshot: Effect.Effect<SimState>
  readonly domains: Effect.Effect<ReadonlyArray<DomainRecord>>
  readonly domain: (id: string) => Effect.Effect<Option.Option<DomainRecord>>
  readonly tasks: Effect.Effect<ReadonlyArray<TaskRecord>>
  readonly task: (id: string) => Effect.Effect<Option.Option<TaskRecord>>
  readonly tags: Effect.Effect<ReadonlyArray<TagRecord>>
  readonly vdisks: Effect.Effect<ReadonlyArray<VdiskRecord>>
  readonly library: Effect.Effect<ReadonlyArray<LibraryRecord>>
  readonly events: Effect.Effect<ReadonlyArray<EventRecord>>
  /** The idempotency keys seen so far (each answered once, replayed afterwards). */
  readonly idempotencyKeys: Effect.Effect<ReadonlyArray<string>>
}

/**
 * Levers for tests.
 *
 * - `failNextTask`: the next task created (`count` tasks, default 1) ends `FAILED` with `errorMessage`; with
 *   `status: "PARTIAL"` only the first sub-task of the next multitask fails, so the multitask ends `PARTIAL`.
 * - `setTaskDuration`: the duration of tasks created from now on.
 * - `setPowerState`: sets a domain's power state directly (no task).
 * - `settle`: settles the tasks due now (views and requests already do this).
 *
 * @since 0.1.0
 */
export interface SimulatorControl {
  readonly failNextTask: (options?: {
    readonly errorMessage?: string
    readonly status?: "FAILED" | "PARTIAL"
    readonly count?: number
  }) => Effect.Effect<void>
  readonly setTaskDuration: (duration: Duration.DurationInput) => Effect.Effect<void>
  readonly setPowerState: (
    domainId: string,
    state: PowerState | "ON" | "OFF" | "SUSPENDED" | "UNDEFINED"
  ) => Effect.Effect<void>
  readonly settle: Effect.Effect<void>
}

/**
 * A running simulator.
 *
 * - `app`: the whole ECP (journal → faults → idempotency → router), ready for `InProcess.layer` or `Serve.serve`.
 * - `token`: the accepted `Authorization` header value.
 * - `faults`, `journal`: the core kit's injector and journal for this simulator.
 *
 * @since 0.1.0
 */
export interface VeilSimulator {
  readonly app: HttpApp.Default<never, never>
  readonly token: string
  readonly faults: Faults.FaultInjector
  readonly journal: Journal.Journal
  readonly state: SimulatorState
  readonly control: SimulatorControl
}

/**
 * The service tag under which {@link layer} provides the simulator.
 *
 * @since 0.1.0
 */
export const VeilSimulator = Context.GenericTag<VeilSimulator>("effect-cloud-clients/veil/testing/VeilSimulator")

const settled = (state: Ref.Ref<SimState>): Effect.Effect<SimState> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.updateAndGet(state, settle(now)))

const toPowerState = (value: PowerState | "ON" | "OFF" | "SUSPENDED" | "UNDEFINED"): PowerState =>
  typeof value === "number" ? value : powerStateFromName(value) ?? 0

/**
 * Creates a fresh simulator with seeded state (see `Seed`).
 *
 * @since 0.1.0
 */
export const make = (options?: MakeOptions): Effect.Effect<VeilSimulator> =>
  Effect.gen(function*() {
    const token = normaliseToken(options?.token ?? defaultToken)
    const taskDurationMs = Duration.toMillis(Duration.decode(options?.taskDuration ?? "3 seconds"))
    const state = yield* Ref.make(seed({ domains: options?.domains ?? 12, taskDurationMs }))
    const env: SimEnv = { state, token }
    const faults = yield* Faults.makeInjector
    const journal = yield* Journal.makeJournal
    const idempotency = yield* makeIdempotency(token)
    const router = HttpRouter.fromIterable([
      ...inventoryRoutes(env),
      ...domainRoutes(env),
      ...domainActionRoutes(env),
      ...taskRoutes(env),
      ...tagRoutes(env),
      ...isoRoutes(env)
    ])
    const routed: HttpApp.Default<never, never> = router.pipe(
      Effect.catchTag("RouteNotFound", () => Effect.succeed(toResponse(urlNotFound))),
      Effect.catchAllCause(() => Effect.succeed(toResponse(internalError)))
    )
    // ECP routes all end with "/" (veil.md §1.1); the router would forgive a missing slash, ECP does not.
    const core: HttpApp.Default<never, never> = Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) => (Faults.pathnameOf(request.url).endsWith("/") ? routed : Effect.succeed(toResponse(urlNotFound)))
    )
    const app = journal.record(Faults.middleware(faults, { renderError })(idempotency.middleware(core)))
    const view = <A>(f: (s: SimState) => A): Effect.Effect<A> => Effect.map(settled(state), f)
    return {
      app,
      token,
      faults,
      journal,
      state: {
        snapshot: settled(state),
        domains: view((s) => s.domains),
        domain: (id) => view((s) => Option.fromNullable(findById(s.domains, id))),
        tasks: view((s) => s.tasks),
        task: (id) => view((s) => Option.fromNullable(findById(s.tasks, id))),
        tags: view((s) => s.tags),
        vdisks: view((s) => s.vdisks),
        library: view((s) => s.library),
        events: view((s) => s.events),
        idempotencyKeys: idempotency.keys
      },
      control: {
        failNextTask: (o) =>
          Ref.update(state, (s) => ({
            ...s,
            armedFailures: [
              ...s.armedFailures,
              ...Array.from({ length: o?.count ?? 1 }, () => ({
                message: o?.errorMessage ?? "Task failed (simulated).",
                status: o?.status ?? "FAILED"
              }))
            ]
          })),
        setTaskDuration: (duration) =>
          Ref.update(state, (s) => ({ ...s, taskDurationMs: Duration.toMillis(Duration.decode(duration)) })),
        setPowerState: (domainId, power) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Ref.update(state, (s) =>
              updateDomain(s, domainId, (d) => {
                const to = toPowerState(power)
                return {
                  ...d,
                  user_power_state: to,
                  startedAt: to === 3 ? (d.startedAt ?? now) : to === 2 ? d.startedAt : null,
                  modified: isoAt(now)
                }
              }))),
        settle: Effect.asVoid(settled(state))
      }
    }
  })

/**
 * A layer providing an in-process `HttpClient` wired to a fresh simulator, and the simulator itself under
 * {@link VeilSimulator}.
 *
 * @since 0.1.0
 */
export const layer = (options?: MakeOptions): Layer.Layer<HttpClient.HttpClient | VeilSimulator> =>
  Layer.unwrapEffect(
    Effect.map(make(options), (simulator) =>
      Layer.merge(InProcess.layer(simulator.app), Layer.succeed(VeilSimulator, simulator)))
  )

/**
 * The base URL {@link rawClient} uses by default for the in-process simulator (any origin works in-process; it
 * is echoed in `next`/`previous` links).
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "http://ecp.simulator"

/**
 * The ambient `HttpClient` prefixed with a base URL and sending the simulator's token — for talking raw HTTP to
 * the simulator in tests. `token: null` sends no `Authorization` header; a string sends that value instead.
 *
 * @since 0.1.0
 */
export const rawClient = (options?: {
  readonly baseUrl?: string
  readonly token?: string | null
}): Effect.Effect<HttpClient.HttpClient, never, HttpClient.HttpClient | VeilSimulator> =>
  Effect.gen(function*() {
    const simulator = yield* VeilSimulator
    const client = yield* HttpClient.HttpClient
    const token = options?.token === undefined ? simulator.token : options.token
    return client.pipe(
      HttpClient.mapRequest(HttpClientRequest.prependUrl(options?.baseUrl ?? defaultBaseUrl)),
      HttpClient.mapRequest((request) =>
        token === null ? request : HttpClientRequest.setHeader(request, "authorization", token))
    )
  })

/**
 * A raw answer of the simulator: status, lower-case headers and the body (parsed JSON, the text when it is not
 * JSON, `undefined` when empty).
 *
 * @since 0.1.0
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/**
 * Sends one raw request through {@link rawClient} and reads the answer. `query` values are sent as given
 * (booleans as `0`/`1` are the caller's business); `body` is sent as JSON.
 *
 * @since 0.1.0
 */
export const rawRequest = (
  method: "GET" | "POST" | "PUT",
  path: string,
  options?: {
    readonly query?: Readonly<Record<string, string | number>>
    readonly body?: unknown
    readonly token?: string | null
    readonly baseUrl?: string
  }
): Effect.Effect<RawResponse, HttpClientError.HttpClientError, HttpClient.HttpClient | VeilSimulator> =>
  Effect.gen(function*() {
    const client = yield* rawClient({
      ...(options?.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options?.token !== undefined ? { token: options.token } : {})
    })
    const base = HttpClientRequest.make(method)(path, options?.query !== undefined ? { urlParams: options.query } : {})
    const request = options?.body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, options.body)
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, body: parseText(text) }
  })

const parseText = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * Where a served simulator listens: `url` is `http://127.0.0.1:PORT`, `address` is `127.0.0.1:PORT` (the form
 * VeiL clients take as server address).
 *
 * @since 0.1.0
 */
export interface ServedSimulator {
  readonly url: string
  readonly address: string
  readonly port: number
  readonly token: string
  readonly simulator: VeilSimulator
}

/**
 * Serves a fresh simulator on 127.0.0.1 (`port` 0 = a free port; `tls` for HTTPS) for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = (
  options?: { readonly port?: number; readonly tls?: Serve.ServeOptions["tls"] } & MakeOptions
): Effect.Effect<ServedSimulator, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const simulator = yield* make(options)
    const served = yield* Serve.serve(simulator.app, {
      ...(options?.port !== undefined ? { port: options.port } : {}),
      ...(options?.tls !== undefined ? { tls: options.tls } : {})
    })
    return {
      url: served.url,
      address: `127.0.0.1:${served.port}`,
      port: served.port,
      token: simulator.token,
      simulator
    }
  })
