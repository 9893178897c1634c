/**
 * Opening a Promise client in Node: the API's client layer over the transport given (or a Node connection pool of
 * its own), with an in-memory cache of safe reads when asked, and its service in Promise form (`Facade.client`).
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import type { Context, Layer } from "effect"
import type { ClientOptions } from "../core/Configuration.js"
import * as Facade from "../core/Facade.js"
import type { PromiseClient } from "../core/Promised.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as NodeTransport from "./NodeTransport.js"

/**
 * What every Promise client's `connect` takes besides its API's own options: `cache`, `transport`, and the
 * settings of the Node transport (`verifyTls`, `ca`, `proxy`/`noProxy`), which a `transport` given instead does
 * not read.
 */
export interface ConnectOptions extends Pick<ClientOptions, "verifyTls">, NodeTransport.ConnectTransportOptions, Facade.SessionOptions {}

/**
 * Opens a session of `client` (now, so that configuration and connection errors reject here, typed) and answers
 * the Promise client of the service `tag` names; `names` says how the caller spells the transport's settings.
 */
export const connect = async <I, S extends object, E, K extends keyof S = never, X = unknown>(
  tag: Context.Tag<I, S>,
  client: Layer.Layer<I, E, HttpClient.HttpClient | ResponseCache.ResponseCache>,
  options: ConnectOptions,
  names: NodeTransport.SettingNames & { readonly api: string },
  derive?: Facade.ClientOptions<S, I | ResponseCache.ResponseCache, K, X>
): Promise<PromiseClient<S, I | ResponseCache.ResponseCache, K> & X> => {
  const settings = { verifyTls: options.verifyTls ?? true, ca: options.ca, proxy: options.proxy, noProxy: options.noProxy }
  const transport = options.transport ?? NodeTransport.layer(settings, names)
  const facade = await Facade.open(client.pipe(Facade.session(transport, options.cache)), names.api)
  return Facade.client(facade, await facade.run(tag), derive)
}
