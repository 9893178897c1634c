/**
 * `effect-cloud-clients/openstack/testing` — an in-memory OpenStack (Keystone, Nova, Glance, Neutron, Swift) for
 * tests, examples and demos. Every service lives on one origin under a path prefix; the catalog Keystone hands out
 * points at the origin the request came to.
 *
 * ```ts
 * import * as OpenStackTesting from "effect-cloud-clients/openstack/testing"
 * // in-process: an HttpClient wired to a fresh simulator, plus the simulator itself
 * const TestLayer = OpenStackTesting.layer({ buildDuration: "2 seconds" })
 * // authUrl: "http://openstack.simulator/identity/v3", user demo / secret, project demo, domain Default
 * // on a socket: yield* OpenStackTesting.serve() → { url, authUrl, env: { OS_AUTH_URL, … }, simulator }
 * ```
 *
 * @since 0.1.0
 */

/**
 * The simulator: `make`, `layer`, `serve`, the `OpenStackSimulator` tag, client options and OS_* variables for
 * the seeded user, and their option/result types.
 *
 * @since 0.1.0
 */
export {
  layer,
  make,
  type MakeOptions,
  OpenStackSimulator,
  serve,
  type ServedSimulator
} from "./Simulator.js"

/**
 * The seeded credentials with the client options and OS_* variables made of them, the views of the simulator's
 * state and the levers tests pull.
 *
 * @since 0.1.0
 */
export { authUrlOf, clientOptions, defaultOrigin, envOf, type SimulatorControl, type SimulatorCredentials, type SimulatorState } from "./Control.js"

/**
 * The fixed ids and names of the seeded entities, and the seed itself.
 *
 * @since 0.1.0
 */
export { seed, SeedIds } from "./Seed.js"

/**
 * The catalog the simulator's Keystone hands out for a project on an origin.
 *
 * @since 0.1.0
 */
export { catalog } from "./Keystone.js"

/**
 * Error bodies of each service (`renderErrorFor` is the fault middleware's renderer per service).
 *
 * @since 0.1.0
 */
export { renderErrorFor, type ServiceName, SimError } from "./Errors.js"

/**
 * The state record types.
 *
 * @since 0.1.0
 */
export type {
  AddressRecord,
  AppCredentialRecord,
  AssignmentRecord,
  ContainerRecord,
  DomainRecord,
  FlavorRecord,
  ImageRecord,
  NetworkRecord,
  ObjectRecord,
  PendingTransition,
  ProjectRecord,
  RoleRecord,
  ServerRecord,
  Settings,
  SimState,
  SubnetRecord,
  TokenRecord,
  UserRecord,
  VmState
} from "./State.js"

/**
 * How long the simulator's Cinder takes to make and delete volumes and snapshots, and the most a volume may hold.
 *
 * @since 0.1.0
 */
export { cinderTimings } from "./State.js"

/**
 * The simulator's Cinder records.
 *
 * @since 0.1.0
 */
export type { SnapshotRecord, StorageRecord, VolumeRecord } from "./State.js"

/**
 * The fault kinds and rules of the simulator kit, for `simulator.faults.inject(...)`.
 *
 * @since 0.1.0
 */
export { Fault, type FaultRule } from "../../core/testing/Faults.js"

/**
 * A `OpenStackClient` layer whose operations are the ones given; any other dies when used, with a defect naming it.
 *
 * @since 0.1.0
 */
export { mock, type MockOperations } from "./Mock.js"
