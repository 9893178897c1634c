/**
 * The OpenStack client: Keystone v3, Nova, Glance, Neutron, Swift and Cinder.
 *
 * @since 0.1.0
 */
export { OpenStackClient, type OpenStackClientService, type Service, type ServiceAccess, type ServiceType } from "./Client.js"
export * as OpenStackConfig from "./Config.js"
export type { Auth, OpenStackOptions } from "./Config.js"
export * from "./Flavor.js"
export * as Flavors from "./Flavors.js"
export { EndpointNotFound, type Token } from "./Identity.js"
export * from "./Image.js"
export * as Images from "./Images.js"
export { ImageGoneError } from "./Images.js"
export * as Keystone from "./Keystone.js"
export * from "./Network.js"
export * as Networks from "./Networks.js"
export * from "./ObjectStore.js"
export * as Objects from "./Objects.js"
export { type ConnectOptions, OpenStack } from "./OpenStack.js"
export * from "./Server.js"
export * as Servers from "./Servers.js"
export { ServerFaultError } from "./Servers.js"
export * as Ports from "./Ports.js"
export * from "./Volume.js"
export * as Volumes from "./Volumes.js"
export { VolumeStatusError } from "./Volumes.js"
