/**
 * The VeiL client service: one session with one ECP controller.
 *
 * Acquiring it checks the controller (`controllers/check/`) in a `Scope` — interruptibly, within the per-attempt
 * timeout and the retry policy — and closing the scope ends the session and drops its cached reads. It needs only
 * an `HttpClient` from outside (and uses a `ResponseCache` when one is provided), so Node, fetch runtimes and tests
 * each bring their own transport.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { type Config, Context, Effect, Either, Layer, type Scope } from "effect"
import { fromConfigError } from "../core/Configuration.js"
import type { ApiError, ConfigurationError } from "../core/Errors.js"
import * as NodeTransport from "../node/NodeTransport.js"
import * as Path from "../core/Path.js"
import type { RestClient } from "../core/RestClient.js"
import * as Clusters from "./Clusters.js"
import { environment, fromEnv, type Origin, resolve, type VeilConfig, type VeilOptions } from "./Config.js"
import * as Controllers from "./Controllers.js"
import * as Domains from "./Domains.js"
import * as Events from "./Events.js"
import * as Nodes from "./Nodes.js"
import * as Pools from "./Pools.js"
import * as Rest from "./Rest.js"
import * as Storage from "./Storage.js"
import * as Tags from "./Tags.js"
import * as Tasks from "./Tasks.js"

/** Everything one session offers. */
export interface VeilClientService {
  /** The checked configuration (the token stays redacted). */
  readonly config: VeilConfig
  readonly clusters: Clusters.Clusters
  readonly controllers: Controllers.Controllers
  readonly dataPools: Pools.DataPools
  readonly domains: Domains.Domains
  readonly events: Events.Events
  readonly library: Storage.Library
  readonly nodes: Nodes.Nodes
  readonly resourcePools: Pools.ResourcePools
  readonly tags: Tags.Tags
  readonly tasks: Tasks.Tasks
  readonly vdisks: Storage.VDisks
  /** The request engine, for endpoints this client does not wrap. */
  readonly rest: RestClient
}

/**
 * The VeiL client of one controller: `VeilClient.layer(options)`, `VeilClient.layerConfig()` (from `VEIL_*`),
 * `VeilClient.layerNode(options)` (with its own Node connection pool).
 */
export class VeilClient extends Context.Tag("effect-cloud-clients/VeilClient")<VeilClient, VeilClientService>() {
  /** The client as a layer, from explicit options; needs an `HttpClient`. */
  static readonly layer = (options: VeilOptions) => layer(options)
  /** The client from `VEIL_*` (or any `Config`); needs an `HttpClient`; fails with one `ConfigurationError`. */
  static readonly layerConfig = (config?: Config.Config<VeilOptions>) => layerConfig(config)
  /** The client with its own Node connection pool (honouring `verifyTls`), closed with the session. */
  static readonly layerNode = (options: VeilOptions & NodeTransport.ConnectTransportOptions) => layerNode(options)
  /** Opens a session in a `Scope`: checks the options and the controller. */
  static readonly make = (options: VeilOptions, origin?: Origin) => make(options, origin)
}

/** Opens a session: checks the options (`origin` says where they came from, for errors), builds the operations, checks the controller. */
export const make = (
  options: VeilOptions,
  origin?: Origin
): Effect.Effect<VeilClientService, ConfigurationError | ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const config = yield* Either.match(resolve(options, origin), { onLeft: Effect.fail, onRight: Effect.succeed })
    return yield* fromConfig(config)
  })

/** Opens a session from a checked configuration. */
export const fromConfig = (
  config: VeilConfig
): Effect.Effect<VeilClientService, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const veil = yield* Rest.make(config)
    const tasks = yield* Tasks.make(veil)
    const service: VeilClientService = {
      config,
      clusters: yield* Clusters.make(veil),
      controllers: yield* Controllers.make(veil),
      dataPools: yield* Pools.makeDataPools(veil),
      domains: yield* Domains.make(veil, tasks),
      events: yield* Events.make(veil),
      library: yield* Storage.makeLibrary(veil),
      nodes: yield* Nodes.make(veil),
      resourcePools: yield* Pools.makeResourcePools(veil),
      tags: yield* Tags.make(veil, tasks),
      tasks,
      vdisks: yield* Storage.makeVDisks(veil),
      rest: veil.rest
    }
    // The check runs interruptibly, bounded by the per-attempt timeout and the retry policy (and by any deadline
    // of the caller's): nothing needs releasing until it has passed, so the release is registered only then.
    if (config.check) {
      yield* veil.rest.send({ method: "GET", path: Path.literal("controllers/check/"), cache: false }).pipe(
        Effect.withSpan("veil session open", { attributes: { "server.address": config.baseUrl } })
      )
    }
    yield* Effect.addFinalizer(() =>
      Effect.all([
        veil.rest.close,
        veil.rest.invalidate(""),
        Effect.logDebug("VeiL session closed").pipe(Effect.annotateLogs({ controller: config.address }))
      ], { discard: true })
    )
    return service
  })

/** The client as a layer, from explicit options; needs an `HttpClient`. */
export const layer = (options: VeilOptions): Layer.Layer<VeilClient, ConfigurationError | ApiError, HttpClient.HttpClient> =>
  Layer.scoped(VeilClient, make(options))

/**
 * The client as a layer, from `VEIL_*` environment variables (or any `Config`); needs an `HttpClient`. Every missing
 * or wrong variable is named in one `ConfigurationError`.
 */
export const layerConfig = (
  config: Config.Config<VeilOptions> = fromEnv
): Layer.Layer<VeilClient, ConfigurationError | ApiError, HttpClient.HttpClient> => {
  const origin: Origin = config === fromEnv ? environment : { sources: ["the Config given"], name: (setting) => setting }
  return Layer.scoped(
    VeilClient,
    config.pipe(
      Effect.mapError((error) => fromConfigError("veil", error, origin.sources)),
      Effect.flatMap((options) => make(options, origin))
    )
  )
}

/** The client with its own Node connection pool (honouring `verifyTls`), closed with the session. */
export const layerNode = (
  options: VeilOptions & NodeTransport.ConnectTransportOptions
): Layer.Layer<VeilClient, ConfigurationError | ApiError> =>
  layer(options).pipe(Layer.provide(NodeTransport.layer(options, { api: "veil" })))
