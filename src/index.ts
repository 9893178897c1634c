/**
 * effect-cloud-clients: Effect-based clients for infrastructure APIs on one shared core.
 *
 * The root entry gives each API's Promise facade and client service under the same names as its own entry point
 * (`Veil` here is the `Veil` of `effect-cloud-clients/veil`), the core error taxonomy, and every entry point whole
 * as a namespace named after its path: `core`, `node`, `veil`, `openstack`, `ovh`.
 *
 * @since 0.1.0
 */
export * from "./core/Errors.js"
export * as core from "./core/index.js"
export * as node from "./node/index.js"
export * as openstack from "./openstack/index.js"
export { OpenStack, OpenStackClient } from "./openstack/index.js"
export * as ovh from "./ovh/index.js"
export { Ovh, OvhClient } from "./ovh/index.js"
export * as veil from "./veil/index.js"
export { Veil, VeilClient } from "./veil/index.js"
