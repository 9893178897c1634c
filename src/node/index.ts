/**
 * What only Node has: the undici transport (its own connection pool, TLS settings, proxies from `HTTPS_PROXY` /
 * `HTTP_PROXY` / `NO_PROXY` or options) and the lean `HttpClient` it is built on, over any undici dispatcher.
 * `effect-cloud-clients/core` stays runtime-neutral; this entry is Node-only.
 *
 * @since 0.1.0
 */
export * as Connect from "./Connect.js"
export * as NodeTransport from "./NodeTransport.js"
export * as UndiciClient from "./UndiciClient.js"
