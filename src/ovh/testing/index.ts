/**
 * `effect-cloud-clients/ovh/testing` — an in-memory OVH API for tests, examples and demos: signatures and the time
 * window checked as OVH does, consumer keys with access rules, OAuth2 service accounts, the seed's resources, fault
 * injection.
 *
 * ```ts
 * import * as OvhTesting from "effect-cloud-clients/ovh/testing"
 * // in-process: an HttpClient wired to a fresh simulator, plus the simulator itself
 * const TestLayer = OvhTesting.layer()
 * // endpoint "http://ovh.simulator/1.0", keys from OvhTesting.clientOptions(simulator.keys)
 * // on a socket: yield* OvhTesting.serve() → { endpoint, env: { OVH_ENDPOINT, … }, simulator }
 * ```
 *
 * @since 0.1.0
 */

/**
 * The simulator: `make`, `layer`, `serve`, the `OvhSimulator` tag, client options and `OVH_*` variables for the
 * seeded keys, and their option/result types.
 *
 * @since 0.1.0
 */
export {
  layer,
  make,
  type MakeOptions,
  OvhSimulator,
  serve,
  type ServedSimulator
} from "./Simulator.js"

/**
 * The seeded keys of a simulator with the client options and `OVH_*` variables made of them, and the levers tests
 * pull.
 *
 * @since 0.1.0
 */
export { clientOptions, defaultOrigin, envOf, type SimulatorControl, type SimulatorKeys } from "./Control.js"

/**
 * The seeded keys and the full-access rules.
 *
 * @since 0.1.0
 */
export { fullAccess, SeedKeys } from "./Seed.js"

/**
 * OVH's error answers (the `errorCode` and `class` families) and the refusals of the authentication gateway.
 *
 * @since 0.1.0
 */
export { Refusal, renderError, SimError } from "./Errors.js"

/**
 * Whether an access-rule path covers a path (`*` stands for anything).
 *
 * @since 0.1.0
 */
export { ruleCovers } from "./Auth.js"

/**
 * The state record types.
 *
 * @since 0.1.0
 */
export type * from "./State.js"

/**
 * The fault kinds and rules of the simulator kit, for `simulator.faults.inject(...)`.
 *
 * @since 0.1.0
 */
export { Fault, type FaultRule } from "../../core/testing/Faults.js"

/**
 * A `OvhClient` layer whose operations are the ones given; any other dies when used, with a defect naming it.
 *
 * @since 0.1.0
 */
export { mock, type MockOperations } from "./Mock.js"
