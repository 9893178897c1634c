/**
 * The shared core: errors, retries, caching, paging, waiting, the request engine, resources declared once
 * (`Resource`, `Envelope`, `Query`), operation handles and the Promise bridge. It imports
 * nothing that only Node has (the Node transport is `effect-cloud-clients/node`), so it runs on any JavaScript runtime.
 *
 * @since 0.1.0
 */
export * as Callback from "./Callback.js"
export * as Configuration from "./Configuration.js"
export * as Credentials from "./Credentials.js"
export * as Decoding from "./Decoding.js"
export * as Envelope from "./Envelope.js"
export * from "./Errors.js"
export * as Facade from "./Facade.js"
export * as Handle from "./Handle.js"
export * as Fields from "./Fields.js"
export * as Caller from "./Caller.js"
export * as Version from "./Version.js"
export * as Operation from "./Operation.js"
export * as Paging from "./Paging.js"
export type * as Promised from "./Promised.js"
export * as Path from "./Path.js"
export * as Query from "./Query.js"
export * as Resource from "./Resource.js"
export * as ResponseCache from "./ResponseCache.js"
export * as RestClient from "./RestClient.js"
export * as RetryPolicy from "./RetryPolicy.js"
export * as Transport from "./Transport.js"
export * as Waiting from "./Waiting.js"
