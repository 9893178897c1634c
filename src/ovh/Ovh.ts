/**
 * The OVH client for plain Node code: `await using ovh = await Ovh.connect({...})` — options, then `OVH_*`, then
 * the `ovh.conf` files. Calls return Promises and reject with the same tagged errors an Effect program sees.
 *
 * @since 0.1.0
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Layer, type Schema } from "effect"
import * as Facade from "../core/Facade.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as NodeTransport from "../node/NodeTransport.js"
import { type CallOptions, isSchema, OvhClient, type OvhClientService, type Params, type RawAnswer, type SessionOptions } from "./Client.js"
import { load, type OvhOptions } from "./Config.js"
import * as ConsumerKey from "./ConsumerKey.js"

/**
 * Options of {@link Ovh.connect}. Besides OVH's: `ca` (PEM text or a file path: a TLS-inspecting proxy's CA, the
 * simulator's `--tls` certificate), `proxy`/`noProxy` (else `HTTPS_PROXY`/`NO_PROXY` of the environment) — settings
 * of the Node transport, which a `transport` given instead does not read.
 */
export interface ConnectOptions extends OvhOptions, SessionOptions, NodeTransport.ConnectTransportOptions, Facade.SessionOptions {}

/** A session with OVH, for Promise code. */
export class Ovh implements AsyncDisposable {
  /** Opens a session (reads the configuration chain and the server's clock); rejects with a typed error otherwise. */
  static async connect(options: ConnectOptions = {}): Promise<Ovh> {
    const transport = options.transport ?? NodeTransport.layer(
      { ca: options.ca, proxy: options.proxy, noProxy: options.noProxy },
      { api: "ovh", sources: ["explicit options"] }
    )
    const live = Layer.scoped(OvhClient, Effect.flatMap(load(options), (config) => OvhClient.make(config, options))).pipe(
      Facade.session(transport, options.cache),
      Layer.provide(NodeFileSystem.layer)
    )
    const facade = await Facade.open(live, "ovh")
    return new Ovh(facade, await facade.run(OvhClient))
  }

  private constructor(private readonly facade: Facade.Facade<OvhClient | ResponseCache.ResponseCache, unknown>, readonly service: OvhClientService) {}

  /** `GET path?params`, decoded with `schema` when given. */
  get(path: string, params?: Params, options?: CallOptions): Promise<unknown>
  get<A, I>(path: string, params: Params | undefined, schema: Schema.Schema<A, I>, options?: CallOptions): Promise<A>
  get<A, I>(path: string, params?: Params, schema?: Schema.Schema<A, I> | CallOptions, options?: CallOptions): Promise<unknown> {
    return this.facade.run(isSchema(schema) ? this.service.get(path, params, schema, options) : this.service.get(path, params, schema))
  }

  /** `DELETE path?params`. */
  delete(path: string, params?: Params, options?: CallOptions): Promise<unknown> {
    return this.facade.run(this.service.delete(path, params, options))
  }

  /** `POST path` with a JSON body, decoded with `schema` when given. */
  post(path: string, body?: object, options?: CallOptions): Promise<unknown>
  post<A, I>(path: string, body: object | undefined, schema: Schema.Schema<A, I>, options?: CallOptions): Promise<A>
  post<A, I>(path: string, body?: object, schema?: Schema.Schema<A, I> | CallOptions, options?: CallOptions): Promise<unknown> {
    return this.facade.run(isSchema(schema) ? this.service.post(path, body, schema, options) : this.service.post(path, body, schema))
  }

  /** `PUT path` with a JSON body. */
  put(path: string, body?: object, options?: CallOptions): Promise<unknown> {
    return this.facade.run(this.service.put(path, body, options))
  }

  /** Any call: status, headers and body. */
  raw(method: "GET" | "POST" | "PUT" | "DELETE", path: string, paramsOrBody?: Params | object, options?: CallOptions): Promise<RawAnswer> {
    return this.facade.run(this.service.raw(method, path, paramsOrBody, options))
  }

  /** Runs a typed operation in this session: `await ovh.run(Bills.get(id))`, `await ovh.run(Dedicated.setBurst(name, "active"))`. */
  run<A, E>(effect: Effect.Effect<A, E, OvhClient>): Promise<A> {
    return this.facade.run(effect)
  }

  /**
   * Runs `f` on every item, at most `concurrency` at a time, answering in the items' order (the seed's bounded
   * `gather`): `await ovh.forEach(ids, Bills.get, { concurrency: 5 })`. The first failure rejects and interrupts the rest.
   */
  forEach<T, A, E>(items: Iterable<T>, f: (item: T) => Effect.Effect<A, E, OvhClient>, options: { readonly concurrency: number }): Promise<Array<A>> {
    return this.facade.run(Effect.forEach(items, (item) => f(item), { concurrency: options.concurrency }))
  }

  /** Asks OVH for a consumer key (see `ConsumerKey.request`). */
  requestConsumerKey(options: Parameters<typeof ConsumerKey.request>[1]): Promise<ConsumerKey.CredentialRequest> {
    return this.facade.run(ConsumerKey.request(this.service, options))
  }

  /**
   * This session, with every call made through the returned view interrupted when `signal` aborts: the call
   * rejects with `signal.reason` (a `DOMException` named `AbortError` unless the reason given is another `Error`),
   * its HTTP request is cut, other calls go on. Closing the view closes the session: keep `await using` on the
   * session itself.
   */
  withSignal(signal: AbortSignal): Ovh {
    return new Ovh(this.facade.withSignal(signal), this.service)
  }

  /** Closes the session (also done by `await using`). */
  close(): Promise<void> {
    return this.facade.close()
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.facade.close()
  }
}
