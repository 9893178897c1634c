/**
 * The OpenStack client for plain Node code: `await using os = await OpenStack.connect({...})` — or
 * `OpenStack.fromEnv()` (`OS_*`) / `OpenStack.fromCloudsYaml()` (`OS_CLOUD`).
 *
 * Every method mirrors the Effect API and returns a Promise (listings over every page are async iterables).
 * Failures reject with the same tagged errors an Effect program sees (`err._tag === "QuotaExceededError"`).
 *
 * @since 0.1.0
 */
import { NodeFileSystem } from "@effect/platform-node"
import { type Duration, Effect, Stream } from "effect"
import * as Configuration from "../core/Configuration.js"
import { Facade, open, session, type SessionOptions, settle } from "../core/Facade.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as NodeTransport from "../node/NodeTransport.js"
import { layer as clientLayer, OpenStackClient, type OpenStackClientService } from "./Client.js"
import { type CloudsYamlOptions, envSources, fromCloudsYaml, fromEnv, type OpenStackOptions } from "./Config.js"
import type { UploadProgress } from "./Images.js"
import type { Server } from "./Server.js"

/**
 * Options of {@link OpenStack.connect}. Besides the cloud's: `ca` (PEM text or a file path, as `cacert` /
 * `OS_CACERT` give it), `proxy`/`noProxy` (else `HTTPS_PROXY`/`NO_PROXY` of the environment) — settings of the Node
 * transport, which a `transport` given instead does not read.
 */
export interface ConnectOptions extends OpenStackOptions, NodeTransport.ConnectTransportOptions, SessionOptions {}

type Method<Args extends ReadonlyArray<unknown>, A> = (...args: Args) => Promise<A>

const report = (callback: (progress: UploadProgress) => void) => (progress: UploadProgress): Effect.Effect<void> =>
  Effect.sync(() => {
    callback(progress)
  })

const progress = (callback: (server: Server) => void) => (server: Server): Effect.Effect<void> =>
  Effect.sync(() => {
    callback(server)
  })

/** A session with one OpenStack cloud, for Promise code. */
export class OpenStack implements AsyncDisposable {
  /** Opens a session: checks the options and authenticates; rejects with a typed error otherwise. */
  static connect(options: ConnectOptions): Promise<OpenStack> {
    return OpenStack.#open(options, { ca: "ca", sources: ["explicit options"] })
  }

  static async #open(options: ConnectOptions, names: { readonly ca: string; readonly sources: ReadonlyArray<string> }): Promise<OpenStack> {
    const transport = options.transport ?? NodeTransport.layer(
      { verifyTls: options.verifyTls ?? true, ca: options.ca, proxy: options.proxy, noProxy: options.noProxy },
      { api: "openstack", ...names }
    )
    const facade = await open(clientLayer(options).pipe(session(transport, options.cache)), "openstack")
    return new OpenStack(facade, await facade.run(OpenStackClient))
  }

  /**
   * Opens a session from `OS_*` variables — the process environment, or the map given (e.g. what a simulator or an
   * openrc file says); rejects with a `ConfigurationError` naming every missing or wrong variable.
   */
  static async fromEnv(env?: Configuration.Variables): Promise<OpenStack> {
    const options = await settle("openstack", Effect.withConfigProvider(fromEnv, Configuration.provider(env)))
    return OpenStack.#open(options, { ca: "OS_CACERT", sources: envSources })
  }

  /** Opens a session from `clouds.yaml` (+ `secure.yaml`), the cloud named by `OS_CLOUD` unless given. */
  static async fromCloudsYaml(options: CloudsYamlOptions = { cloud: process.env["OS_CLOUD"] }): Promise<OpenStack> {
    const read = await settle("openstack", fromCloudsYaml(options).pipe(Effect.provide(NodeFileSystem.layer)))
    return OpenStack.#open(read, { ca: "cacert", sources: ["clouds.yaml"] })
  }

  /** The effect-based service behind this facade. */
  readonly service: OpenStackClientService
  readonly servers
  readonly flavors
  readonly images
  readonly networks
  readonly objects

  private constructor(private readonly facade: Facade<OpenStackClient | ResponseCache.ResponseCache, unknown>, service: OpenStackClientService) {
    this.service = service
    const lift = <Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E>): Method<Args, A> =>
      facade.lift(f)
    const s = service
    this.servers = {
      ...facade.listing(s.servers),
      get: lift(s.servers.get),
      create: lift(s.servers.create),
      delete: lift(s.servers.delete),
      start: lift(s.servers.start),
      stop: lift(s.servers.stop),
      reboot: lift(s.servers.reboot),
      /** Polls until the server reaches `status`; rejects with `ServerFaultError` if it goes to ERROR. */
      waitFor: (
        id: string,
        status: string,
        options: {
          readonly interval?: Duration.DurationInput
          readonly timeout?: Duration.DurationInput
          readonly onProgress?: (server: Server) => void
        } = {}
      ) =>
        facade.run(s.servers.waitFor(id, status, {
          ...(options.interval === undefined ? {} : { interval: options.interval }),
          ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
          ...(options.onProgress === undefined ? {} : { onProgress: progress(options.onProgress) })
        }))
    }
    this.flavors = { ...facade.listing(s.flavors), get: lift(s.flavors.get) }
    this.images = {
      create: lift(s.images.create),
      /** Uploads an image's data from an async iterable (a Node `fs.createReadStream`, a fetch body…) or bytes. */
      upload: (
        id: string,
        data: AsyncIterable<Uint8Array> | Uint8Array,
        options: { readonly size?: number; readonly onProgress?: (progress: UploadProgress) => void } = {}
      ) =>
        facade.run(s.images.upload(
          id,
          data instanceof Uint8Array ? Stream.make(data) : Stream.fromAsyncIterable(data, (error) => error),
          {
            ...(options.size === undefined ? {} : { size: options.size }),
            ...(options.onProgress === undefined ? {} : { onProgress: report(options.onProgress) })
          }
        )),
      ...facade.listing(s.images),
      get: lift(s.images.get),
      delete: lift(s.images.delete),
      waitFor: lift(s.images.waitFor)
    }
    this.networks = {
      ...facade.listing(s.networks),
      get: lift(s.networks.get),
      create: lift(s.networks.create),
      delete: lift(s.networks.delete),
      subnets: lift(s.networks.subnets),
      createSubnet: lift(s.networks.createSubnet),
      deleteSubnet: lift(s.networks.deleteSubnet)
    }
    this.objects = {
      containers: lift(s.objects.containers),
      createContainer: lift(s.objects.createContainer),
      deleteContainer: lift(s.objects.deleteContainer),
      ...facade.listing(s.objects),
      put: lift(s.objects.put),
      getBytes: lift(s.objects.getBytes),
      delete: lift(s.objects.delete)
    }
  }

  /**
   * This session, with every call made through the returned view (and the iterations it hands out) interrupted
   * when `signal` aborts: the call rejects with `signal.reason` (a `DOMException` named `AbortError` unless the
   * reason given is another `Error`), its HTTP request is cut, other calls go on. Closing the view closes the
   * session: keep `await using` on the session itself.
   */
  withSignal(signal: AbortSignal): OpenStack {
    return new OpenStack(this.facade.withSignal(signal), this.service)
  }

  /** Closes the session, revoking its token (also done by `await using`). */
  close(): Promise<void> {
    return this.facade.close()
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.facade.close()
  }
}
