/**
 * The OpenStack client service: a Keystone session, and one request engine per service (compute, image, network,
 * object store) built from the service catalog and authenticated with the session's renewing token — the
 * composition of `Session` with Keystone v3 as the identity and {@link services} as the registry.
 *
 * Service engines are built on first use, so a cloud without one service (say, no Swift) still works for the
 * others; using the missing one fails with `EndpointNotFound`. Nova's microversion is negotiated once, from the
 * compute version document, and sent on every compute call.
 *
 * @since 0.1.0
 */
import type { FileSystem, HttpClient } from "@effect/platform"
import { ConfigError, Context, Effect, Layer, type Scope } from "effect"
import { fromConfigError } from "../core/Configuration.js"
import type { ApiError, ConfigurationError } from "../core/Errors.js"
import * as NodeTransport from "../node/NodeTransport.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { type CloudsYamlOptions, fromCloudsYaml, fromEnv, type OpenStackOptions } from "./Config.js"
import { errorBody, requestIdHeaders, secretHeaders } from "./ErrorBody.js"
import * as Flavors from "./Flavors.js"
import * as Images from "./Images.js"
import * as Keystone from "./Keystone.js"
import * as Microversion from "./Microversion.js"
import * as Networks from "./Networks.js"
import * as Objects from "./Objects.js"
import * as Ports from "./Ports.js"
import * as Servers from "./Servers.js"
import * as Session from "./Session.js"
import * as Volumes from "./Volumes.js"

/** The services this client talks to, by catalog type, and how each is reached below its catalog URL. */
export const services = {
  compute: { negotiate: Microversion.negotiation({ service: "compute", max: "2.90", legacyHeader: "x-openstack-nova-api-version" }) },
  image: { versionPath: "v2/" },
  network: { versionPath: "v2.0/" },
  "object-store": {},
  // Cinder's catalog URL already ends in `/v3/<project id>` (devstack's, the simulator's).
  "block-storage": {}
} satisfies Record<string, Session.ServiceSpec>

/** The services this client talks to, by catalog type. */
export type ServiceType = keyof typeof services

/** What the client offers besides its resources: its options, its Keystone session and each service's engine. */
export interface ServiceAccess {
  readonly options: OpenStackOptions
  readonly keystone: Keystone.KeystoneSession
  /** The engine of a service, built on first use. */
  readonly service: (type: ServiceType) => Effect.Effect<Session.Service, Session.OpenStackError>
}

/** Everything one OpenStack session offers. */
export interface OpenStackClientService extends ServiceAccess {
  readonly servers: Servers.Servers
  readonly flavors: Flavors.Flavors
  readonly images: Images.Images
  readonly networks: Networks.Networks
  readonly ports: Ports.Ports
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

/** Opens a session: authenticates with Keystone; the service engines follow on first use. */
export const make = (options: OpenStackOptions): Effect.Effect<OpenStackClientService, ApiError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const retry = options.retry ?? RetryPolicy.defaultPolicy
    const keystone = yield* Keystone.make(options)
    const session = yield* Session.make(keystone, services, {
      api: Keystone.api,
      retry,
      timeout: options.timeout ?? "60 seconds",
      transformClient: options.transformClient,
      userAgent: options.userAgent,
      secretHeaders,
      errorBody,
      requestIdHeaders
    })
    return {
      options,
      keystone,
      service: session.service,
      servers: Servers.make(session.engine("compute"), retry),
      flavors: Flavors.make(session.engine("compute")),
      images: Images.make(session.engine("image")),
      networks: Networks.make(session.engine("network")),
      ports: Ports.make(session.engine("network")),
      objects: Objects.make(session.engine("object-store")),
      volumes: Volumes.make(session.engine("block-storage"), retry)
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
