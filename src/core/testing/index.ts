/**
 * API-agnostic kit for in-memory API simulators: run them in-process, inject faults, journal requests, serve them
 * on 127.0.0.1.
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
 * Serving an app on 127.0.0.1.
 *
 * @since 0.1.0
 */
export * as Http from "./Http.js"
export * as Serve from "./Serve.js"

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
