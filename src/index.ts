/**
 * effect-cloud-clients: Effect-based clients for infrastructure APIs on one shared core.
 *
 * @since 0.1.0
 */
export * as Core from "./core/index.js"
export * as OpenStack from "./openstack/index.js"
export * as Ovh from "./ovh/index.js"
export * as VeiL from "./veil/index.js"
