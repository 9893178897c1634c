/**
 * The OVH client: signed (or OAuth2 bearer) calls to any OVH endpoint, the consumer-key flow, the `ovh.conf` configuration chain.
 *
 * @since 0.1.0
 */
export {
  type CallOptions,
  type CallPath,
  encodeParams,
  type OvhCall,
  OvhClient,
  type OvhClientService,
  type Params,
  type ParamValue,
  type RawAnswer,
  type SessionOptions
} from "./Client.js"
export * as OvhConfig from "./Config.js"
export type { OvhOptions } from "./Config.js"
export * as ConsumerKey from "./ConsumerKey.js"
export { CredentialNotValidated } from "./ConsumerKey.js"
export * as ApiCredentials from "./ApiCredentials.js"
export * as Applications from "./Applications.js"
export * as Bills from "./Bills.js"
export * as Dedicated from "./Dedicated.js"
export * as Email from "./Email.js"
export * as Endpoints from "./Endpoints.js"
export * as Me from "./Me.js"
export * as OAuth2 from "./OAuth2.js"
export { type ConnectOptions, Ovh } from "./Ovh.js"
export { sign, type Signed } from "./Signature.js"
