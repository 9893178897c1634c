/**
 * `effect-cloud-clients/veil/testing` — an in-memory VeiL ECP for tests, examples and demos.
 *
 * ```ts
 * import { VeilTesting } from "effect-cloud-clients/veil/testing"
 * // in-process: an HttpClient wired to a fresh simulator, plus the simulator itself
 * const TestLayer = VeilTesting.layer({ taskDuration: "3 seconds" })
 * // on a socket: yield* VeilTesting.serve() → { url, address, token, simulator }
 * ```
 *
 * @since 0.1.0
 */

/**
 * The simulator: `make`, `layer`, `serve`, `rawClient`, `rawRequest`, the `VeilSimulator` tag and their option/result types.
 *
 * @since 0.1.0
 */
export {
  defaultBaseUrl,
  layer,
  make,
  type MakeOptions,
  rawClient,
  rawRequest,
  type RawResponse,
  serve,
  type ServedSimulator,
  type SimulatorControl,
  type SimulatorState,
  VeilSimulator
} from "./Simulator.js"

/**
 * The fixed ids of the seeded entities, and the seed itself.
 *
 * @since 0.1.0
 */
export { seed, SeedIds } from "./Seed.js"

/**
 * The default accepted token and the authorisation check.
 *
 * @since 0.1.0
 */
export { authorize, defaultToken, normaliseToken } from "./Auth.js"

/**
 * ECP error bodies (`renderError` is the fault middleware's renderer).
 *
 * @since 0.1.0
 */
export { renderError, VeilError } from "./Errors.js"

/**
 * The state record types.
 *
 * @since 0.1.0
 */
export type {
  ArmedFailure,
  ClusterRecord,
  ControllerRecord,
  DatacenterRecord,
  DatapoolRecord,
  DomainRecord,
  EntityRef,
  EntityStatus,
  EventRecord,
  LibraryRecord,
  NodeRecord,
  PowerState,
  ResourcePoolRecord,
  SimState,
  TagRecord,
  TaskHooks,
  TaskRecord,
  TaskStatus,
  TcpUsbDevice,
  VdiskRecord
} from "./State.js"

/**
 * Module namespaces, for those who build on the simulator's pieces.
 *
 * @since 0.1.0
 */
export * as Actions from "./Actions.js"
/** @since 0.1.0 */
export * as BodiesCommon from "./BodiesCommon.js"
/** @since 0.1.0 */
export * as BodiesDomain from "./BodiesDomain.js"
/** @since 0.1.0 */
export * as BodiesHosts from "./BodiesHosts.js"
/** @since 0.1.0 */
export * as BodiesRecords from "./BodiesRecords.js"
/** @since 0.1.0 */
export * as BodiesStorage from "./BodiesStorage.js"
/** @since 0.1.0 */
export * as DomainOps from "./DomainOps.js"
/** @since 0.1.0 */
export * as Errors from "./Errors.js"
/** @since 0.1.0 */
export * as Http from "./Http.js"
/** @since 0.1.0 */
export * as Idempotency from "./Idempotency.js"
/** @since 0.1.0 */
export * as Ids from "./Ids.js"
/** @since 0.1.0 */
export * as Json from "./Json.js"
/** @since 0.1.0 */
export * as Listing from "./Listing.js"
/** @since 0.1.0 */
export * as Paging from "./Paging.js"
/** @since 0.1.0 */
export * as RequestBodies from "./RequestBodies.js"
/** @since 0.1.0 */
export * as RoutesDomainActions from "./RoutesDomainActions.js"
/** @since 0.1.0 */
export * as RoutesDomains from "./RoutesDomains.js"
/** @since 0.1.0 */
export * as RoutesInventory from "./RoutesInventory.js"
/** @since 0.1.0 */
export * as RoutesTags from "./RoutesTags.js"
/** @since 0.1.0 */
export * as RoutesTasks from "./RoutesTasks.js"
/** @since 0.1.0 */
export * as Seed from "./Seed.js"
/** @since 0.1.0 */
export * as Simulator from "./Simulator.js"
/** @since 0.1.0 */
export * as State from "./State.js"
/** @since 0.1.0 */
export * as Tasks from "./Tasks.js"
