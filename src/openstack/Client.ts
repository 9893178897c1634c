/**
 * The OpenStack client service: a Keystone session, and one request engine per service (compute, image, network,
 * object store) built from the service catalog and authenticated with the session's renewing token.
 *
 * Service engines are built on first use, so a cloud without one service (say, no Swift) still works for the
 * others; using the missing one fails with `EndpointNotFound`. Nova's microversion is negotiated once, from the
 * compute version document, and sent on every compute call.
 *
 * @since 0.1.0
 */
import type { FileSystem, HttpClient } from "@effect/platform"
import { ConfigError, Context, Effect, Layer, Schema, type Scope } from "effect"
import { fromConfigError } from "../core/Configuration.js"
import type { ApiError, ConfigurationError } from "../core/Errors.js"
import * as NodeTransport from "../node/NodeTransport.js"
import * as Path from "../core/Path.js"
import * as RestClient from "../core/RestClient.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { type CloudsYamlOptions, fromCloudsYaml, fromEnv, type OpenStackOptions } from "./Config.js"
import { errorBody, requestIdHeaders, secretHeaders } from "./errors.js"
import type { EndpointNotFound } from "./Identity.js"
import * as Flavors from "./Flavors.js"
import * as Images from "./Images.js"
import * as Keystone from "./Keystone.js"
import * as Networks from "./Networks.js"
import * as Objects from "./Objects.js"
import * as Servers from "./Servers.js"
import * as Volumes from "./Volumes.js"

/** The services this client talks to, by catalog type. */
export type ServiceType = "compute" | "image" | "network" | "object-store" | "block-storage"

/** The newest Nova microversion this client is written against. */
export const maxComputeMicroversion = "2.90"

/** Path of each service's API under its catalog URL (the catalog of image and network has no version). */
const versionPath: Readonly<Record<ServiceType, string>> = {
  compute: "",
  image: "v2/",
  network: "v2.0/",
  "object-store": "",
  // Cinder's catalog URL already ends in `/v3/<project id>` (devstack's, the simulator's).
  "block-storage": ""
}

/** A service's engine, and for compute the negotiated microversion. */
export interface Service {
  readonly rest: RestClient.RestClient
  /** The microversion sent on every call (compute only; `undefined` elsewhere or when the cloud has none). */
  readonly microversion: string | undefined
}

/** What every resource module needs from a session. */
export interface ServiceAccess {
  readonly options: OpenStackOptions
  readonly keystone: Keystone.KeystoneSession
  /** The engine of a service, built on first use. */
  readonly service: (type: ServiceType) => Effect.Effect<Service, ApiError | EndpointNotFound>
}

/** Everything one OpenStack session offers. */
export interface OpenStackClientService extends ServiceAccess {
  readonly servers: Servers.Servers
  readonly flavors: Flavors.Flavors
  readonly images: Images.Images
  readonly networks: Networks.Networks
  readonly objects: Objects.Objects
  /** Cinder volumes, and their snapshots as `volumes.snapshots`. */
  readonly volumes: Volumes.Volumes
}

/** The OpenStack client: `OpenStackClient.layer(options)`, `layerConfig()` (from `OS_*`), `layerCloudsYaml()`. */
export class OpenStackClient extends Context.Tag("effect-cloud-clients/OpenStackClient")<OpenStackClient, OpenStackClientService>() {
  /** The client as a layer, from explicit options; needs an `HttpClient`. */
  static readonly layer = (options: OpenStackOptions) => layer(options)
  /** The client from `OS_*` (or any `Config` of options); needs an `HttpClient`; fails with one `ConfigurationError`. */
  static readonly layerConfig = (config?: Effect.Effect<OpenStackOptions, ConfigurationError | ConfigError.ConfigError>) =>
    layerConfig(config)
  /** The client from `clouds.yaml` (+ `secure.yaml`), selected by `OS_CLOUD`; needs an `HttpClient` and a `FileSystem`. */
  static readonly layerCloudsYaml = (options?: CloudsYamlOptions) => layerCloudsYaml(options)
  /** The client with its own Node connection pool (honouring `verifyTls`). */
  static readonly layerNode = (options: OpenStackOptions & NodeTransport.ConnectTransportOptions) => layerNode(options)
  /** Opens a session in a `Scope`: authenticates with Keystone; the service engines follow on first use. */
  static readonly make = (options: OpenStackOptions) => make(options)
}

/** Compares dotted versions numerically (`2.9` < `2.10`). */
export const compareVersions = (a: string, b: string): number => {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** The microversion to use: the newest both sides know, none when the server has no microversions. */
export const negotiate = (server: { readonly version: string; readonly min_version: string }, clientMax: string): string | undefined => {
  if (server.version === "") return undefined
  const chosen = compareVersions(server.version, clientMax) < 0 ? server.version : clientMax
  return compareVersions(chosen, server.min_version === "" ? "2.1" : server.min_version) < 0 ? undefined : chosen
}

const ComputeVersion = Schema.Struct({
  version: Schema.Struct({
    id: Schema.String,
    version: Schema.optionalWith(Schema.String, { exact: true, default: () => "" }),
    min_version: Schema.optionalWith(Schema.String, { exact: true, default: () => "" })
  })
})

/** Opens a session: authenticates with Keystone; the service engines follow on first use. */
export const make = (
  options: OpenStackOptions,
  settings: { readonly retry?: RetryPolicy.RetryPolicy } = {}
): Effect.Effect<OpenStackClientService, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const retry = settings.retry ?? RetryPolicy.defaultPolicy
    const keystone = yield* Keystone.make(options, { retry })
    const timeout = options.timeout ?? "60 seconds"
    const engine = (baseUrl: string, headers: Readonly<Record<string, string>> = {}) =>
      RestClient.make({
        api: Keystone.api,
        baseUrl,
        identity: keystone.identity,
        headers,
        credentials: keystone.credentials,
        secretHeaders,
        retry,
        timeout,
        errorBody,
        requestIdHeaders
      })

    const build = (type: ServiceType): Effect.Effect<Service, ApiError | EndpointNotFound, HttpClient.HttpClient> =>
      Effect.gen(function*() {
        const root = yield* keystone.endpoint(type)
        if (type !== "compute") return { rest: yield* engine(`${root}${versionPath[type]}`), microversion: undefined }
        const plain = yield* engine(root)
        const document = yield* plain.json({ method: "GET", path: Path.literal(""), cache: false }, ComputeVersion)
        const microversion = negotiate(document.version, maxComputeMicroversion)
        const headers = microversion === undefined
          ? {}
          : { "openstack-api-version": `compute ${microversion}`, "x-openstack-nova-api-version": microversion }
        return { rest: yield* engine(root, headers), microversion }
      }).pipe(Effect.withSpan("openstack service", { attributes: { "service.type": type } }))

    const services = {
      compute: yield* Effect.cached(build("compute")),
      image: yield* Effect.cached(build("image")),
      network: yield* Effect.cached(build("network")),
      "object-store": yield* Effect.cached(build("object-store")),
      "block-storage": yield* Effect.cached(build("block-storage"))
    }
    const http = yield* Effect.context<HttpClient.HttpClient>()
    const access: ServiceAccess = { options, keystone, service: (type) => Effect.provide(services[type], http) }
    return {
      ...access,
      servers: Servers.make(access, retry),
      flavors: Flavors.make(access),
      images: Images.make(access),
      networks: Networks.make(access),
      objects: Objects.make(access),
      volumes: Volumes.make(access)
    }
  })

/** The client as a layer, from explicit options; needs an `HttpClient`. */
export const layer = (options: OpenStackOptions): Layer.Layer<OpenStackClient, ApiError, HttpClient.HttpClient> =>
  Layer.scoped(OpenStackClient, make(options))

/**
 * The client from `OS_*` environment variables (or any `Config` of options); needs an `HttpClient`. Every missing or
 * wrong setting is named in one `ConfigurationError`.
 */
export const layerConfig = (
  config: Effect.Effect<OpenStackOptions, ConfigurationError | ConfigError.ConfigError> = fromEnv
): Layer.Layer<OpenStackClient, ApiError | ConfigurationError, HttpClient.HttpClient> =>
  Layer.scoped(
    OpenStackClient,
    config.pipe(
      Effect.catchIf(ConfigError.isConfigError, (error) => Effect.fail(fromConfigError("openstack", error, ["the Config given"]))),
      Effect.flatMap(make)
    )
  )

/** The client from `clouds.yaml` (+ `secure.yaml`), selected by `OS_CLOUD`; needs an `HttpClient` and a `FileSystem`. */
export const layerCloudsYaml = (
  options: CloudsYamlOptions = { cloud: process.env["OS_CLOUD"] }
): Layer.Layer<OpenStackClient, ApiError | ConfigurationError, HttpClient.HttpClient | FileSystem.FileSystem> =>
  Layer.scoped(OpenStackClient, Effect.flatMap(fromCloudsYaml(options), make))

/** The client with its own Node connection pool (honouring `verifyTls`). */
export const layerNode = (
  options: OpenStackOptions & NodeTransport.ConnectTransportOptions
): Layer.Layer<OpenStackClient, ApiError | ConfigurationError> =>
  layer(options).pipe(Layer.provide(NodeTransport.layer(options, { api: "openstack" })))
