/**
 * The VeiL ECP client.
 *
 * @since 0.1.0
 */
export { VeilClient, type VeilClientService } from "./Client.js"
export * as Collection from "./Collection.js"
export * as VeilConfig from "./Config.js"
export type { VeilOptions } from "./Config.js"
export * from "./Domain.js"
export * as Domains from "./Domains.js"
export * from "./Entity.js"
export { TaskFailedError } from "./errors.js"
export * from "./Infrastructure.js"
export * from "./Records.js"
export { fromVeilRetryOptions, type VeilRetryOptions } from "./Retry.js"
export { VeilSessions, type VeilSessionsService } from "./Sessions.js"
export * from "./Tag.js"
export * from "./Task.js"
export * as Tasks from "./Tasks.js"
export type { ActionResult, Completed, TaskHandle, WaitOptions } from "./Tasks.js"
export { type ConnectOptions, type PromiseWaitOptions, Veil, type VeilTask } from "./Veil.js"
