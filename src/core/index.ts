/**
 * The shared core: errors, retries, caching, paging, waiting, the request engine and the Promise bridge.
 *
 * @since 0.1.0
 */
export * as Configuration from "./Configuration.js"
export * as Credentials from "./Credentials.js"
export * from "./Errors.js"
export * as Facade from "./Facade.js"
export * as Identity from "./Identity.js"
export * as NodeTransport from "./NodeTransport.js"
export * as Paging from "./Paging.js"
export * as Path from "./Path.js"
export * as ResponseCache from "./ResponseCache.js"
export * as RestClient from "./RestClient.js"
export * as RetryPolicy from "./RetryPolicy.js"
export * as Waiting from "./Waiting.js"
