/**
 * API-agnostic kit for in-memory API simulators: one router, JSON answers and bodies, state with atomic steps and
 * clock-driven transitions, the journal → faults → API wiring, in-process clients, serving on 127.0.0.1, and a
 * scripted client for testing clients against exact answers.
 *
 * @since 0.1.0
 */

/**
 * Fault injection (statuses, rate limits, latency, dropped connections, malformed/HTML/truncated/empty bodies).
 *
 * @since 0.1.0
 */
export * as Faults from "./Faults.js"

/**
 * An `HttpClient` that runs an `HttpApp` in the calling fiber.
 *
 * @since 0.1.0
 */
export * as InProcess from "./InProcess.js"

/**
 * A journal of received requests.
 *
 * @since 0.1.0
 */
export * as Journal from "./Journal.js"

/**
 * Request plumbing and answers (absolute URL, JSON and empty answers).
 *
 * @since 0.1.0
 */
export * as Http from "./Http.js"

/**
 * JSON values and reading JSON bodies.
 *
 * @since 0.1.0
 */
export * as Json from "./Json.js"

/**
 * The one router (`HttpRouter`) over an API's route groups.
 *
 * @since 0.1.0
 */
export * as Router from "./Router.js"

/**
 * State with atomic steps.
 *
 * @since 0.1.0
 */
export * as Store from "./Store.js"

/**
 * Clock-driven transitions of simulated resources.
 *
 * @since 0.1.0
 */
export * as Transitions from "./Transitions.js"

/**
 * The wiring, layer and serving every simulator shares.
 *
 * @since 0.1.0
 */
export * as Shell from "./Shell.js"

/**
 * Serving an app on 127.0.0.1.
 *
 * @since 0.1.0
 */
export * as Serve from "./Serve.js"

/**
 * Raw requests to a simulator, answers read whole.
 *
 * @since 0.1.0
 */
export * as Raw from "./Raw.js"

/**
 * A scripted `HttpClient`.
 *
 * @since 0.1.0
 */
export * as Scripted from "./Scripted.js"

/**
 * A throwaway self-signed certificate for 127.0.0.1.
 *
 * @since 0.1.0
 */
export * as Certificate from "./Certificate.js"

/**
 * Mock layers of any service: the members given, every other dying when used with a defect naming it.
 *
 * @since 0.1.0
 */
export * as Mock from "./Mock.js"
