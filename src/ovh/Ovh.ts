/**
 * The OVH client for plain Node code: `await using ovh = await Ovh.connect({...})` — options, then `OVH_*`, then
 * the `ovh.conf` files. Calls return Promises and reject with the same tagged errors an Effect program sees; typed
 * operations run in the session: `await ovh.run(Bills.get(id))`.
 *
 * @since 0.1.0
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { schemaCall } from "../core/Facade.js"
import type { PromiseClient, PromisedSchemaCall } from "../core/Promised.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as Connect from "../node/Connect.js"
import { type CallOptions, type CallPath, OvhClient, type OvhClientService, type Params, type SessionOptions } from "./Client.js"
import { load, type OvhOptions } from "./Config.js"
import * as ConsumerKey from "./ConsumerKey.js"

/** Options of {@link Ovh.connect}: OVH's, the session's, and the common ones (`cache`, `transport`, `ca`, `proxy`). */
export interface ConnectOptions extends OvhOptions, SessionOptions, Connect.ConnectOptions {}

type Base = PromiseClient<OvhClientService, OvhClient | ResponseCache.ResponseCache, "config" | "get" | "delete" | "post" | "put">

/** The calls of a path (answers decoded with a schema when one is given) and the consumer-key request. */
export interface Calls {
  readonly get: PromisedSchemaCall<CallPath, Params, CallOptions>
  readonly delete: PromisedSchemaCall<CallPath, Params, CallOptions>
  readonly post: PromisedSchemaCall<CallPath, object, CallOptions>
  readonly put: PromisedSchemaCall<CallPath, object, CallOptions>
  /** Asks OVH for a consumer key (see `ConsumerKey.request`). */
  readonly requestConsumerKey: (options: Parameters<typeof ConsumerKey.request>[1]) => Promise<ConsumerKey.CredentialRequest>
}

const calls = (ovh: Base): Calls => ({
  get: schemaCall(ovh, ovh.service.get),
  delete: schemaCall(ovh, ovh.service.delete),
  post: schemaCall(ovh, ovh.service.post),
  put: schemaCall(ovh, ovh.service.put),
  requestConsumerKey: (options) => ovh.run(ConsumerKey.request(ovh.service, options))
})

/** A session with OVH, for Promise code. */
export interface Ovh extends Base, Calls {}

/** A session with OVH, for Promise code: opened by `Ovh.connect`. */
export class Ovh {
  private constructor() {}

  /** Opens a session (reads the configuration chain and the server's clock); rejects with a typed error otherwise. */
  static connect(options: ConnectOptions = {}): Promise<Ovh> {
    const live = Layer.scoped(OvhClient, Effect.flatMap(load(options), (config) => OvhClient.make(config, options)))
    return Connect.connect(OvhClient, live.pipe(Layer.provide(NodeFileSystem.layer)), options, { api: "ovh", sources: ["explicit options"] }, {
      omit: ["config", "get", "delete", "post", "put"],
      extend: calls,
      prototype: Ovh.prototype
    })
  }
}
