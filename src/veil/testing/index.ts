/**
 * `effect-cloud-clients/veil/testing` — an in-memory VeiL ECP for tests, examples and demos.
 *
 * ```ts
 * import * as VeilTesting from "effect-cloud-clients/veil/testing"
 * // in-process: an HttpClient wired to a fresh simulator, plus the simulator itself
 * const TestLayer = VeilTesting.layer({ taskDuration: "3 seconds" })
 * // on a socket: yield* VeilTesting.serve() → { url, address, token, simulator }
 * // stub a few operations: VeilTesting.mock({ domains: { get: (id) => Effect.succeed(...) } })
 * ```
 *
 * @since 0.1.0
 */

/**
 * The simulator: `make`, `layer`, `serve`, the `VeilSimulator` tag and their option/result types.
 *
 * @since 0.1.0
 */
export {
  defaultBaseUrl,
  layer,
  make,
  type MakeOptions,
  serve,
  type ServedSimulator,
  VeilSimulator
} from "./Simulator.js"

/**
 * Raw HTTP to the simulator in tests: `rawClient` (base URL and token) and `rawRequest` (one request read whole).
 *
 * @since 0.1.0
 */
export { rawClient, rawRequest, type RawResponse } from "./Raw.js"

/**
 * What tests see of the simulator's state and the levers they pull.
 *
 * @since 0.1.0
 */
export type { SimulatorControl, SimulatorState } from "./Control.js"

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
 * A `VeilClient` layer whose operations are the ones given; any other dies when used, with a defect naming it.
 *
 * @since 0.1.0
 */
export { mock, type MockOperations } from "./Mock.js"

/**
 * The fault kinds and rules of the simulator kit, for `simulator.faults.inject(...)`.
 *
 * @since 0.1.0
 */
export { Fault, type FaultRule } from "../../core/testing/Faults.js"
