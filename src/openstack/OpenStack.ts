/**
 * The OpenStack client for plain Node code: `await using os = await OpenStack.connect({...})` — or
 * `OpenStack.fromEnv()` (`OS_*`) / `OpenStack.fromCloudsYaml()` (`OS_CLOUD`).
 *
 * Every operation of the Effect API, in Promise form (see `core/Promised`): listings over every page are async
 * iterables. Failures reject with the same tagged errors an Effect program sees (`err._tag === "QuotaExceededError"`).
 *
 * @since 0.1.0
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Effect } from "effect"
import * as Configuration from "../core/Configuration.js"
import { toPromise } from "../core/Facade.js"
import type { PromiseClient } from "../core/Promised.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as Connect from "../node/Connect.js"
import { layer, OpenStackClient, type OpenStackClientService } from "./Client.js"
import { type CloudsYamlOptions, envSources, fromCloudsYaml, fromEnv, type OpenStackOptions } from "./Config.js"

/** Options of {@link OpenStack.connect}: the cloud's, and the common ones (`cache`, `transport`, `ca`, `proxy`). */
export interface ConnectOptions extends OpenStackOptions, Connect.ConnectOptions {}

/** A session with one OpenStack cloud, for Promise code (its Keystone session stays reachable as `service.keystone`). */
export interface OpenStack extends PromiseClient<OpenStackClientService, OpenStackClient | ResponseCache.ResponseCache, "options" | "keystone"> {}

/**
 * A session with one OpenStack cloud, for Promise code: opened by `connect`, `fromEnv` or `fromCloudsYaml`. Its
 * groups (`servers`, `images`, `objects`, …) are the service's in Promise form (see `core/Promised`).
 */
export class OpenStack {
  private constructor() {}

  /** Opens a session: checks the options and authenticates; rejects with a typed error otherwise. */
  static connect(options: ConnectOptions): Promise<OpenStack> {
    return open(options, "ca", ["explicit options"])
  }

  /**
   * Opens a session from `OS_*` variables — the process environment, or the map given (e.g. what a simulator or an
   * openrc file says); rejects with a `ConfigurationError` naming every missing or wrong variable.
   */
  static async fromEnv(env?: Configuration.Variables): Promise<OpenStack> {
    return open(await toPromise("openstack", Effect.withConfigProvider(fromEnv, Configuration.provider(env))), "OS_CACERT", envSources)
  }

  /** Opens a session from `clouds.yaml` (+ `secure.yaml`), the cloud named by `OS_CLOUD` unless given. */
  static async fromCloudsYaml(options: CloudsYamlOptions = { cloud: process.env["OS_CLOUD"] }): Promise<OpenStack> {
    return open(await toPromise("openstack", fromCloudsYaml(options).pipe(Effect.provide(NodeFileSystem.layer))), "cacert", ["clouds.yaml"])
  }
}

const open = (options: ConnectOptions, ca: string, sources: ReadonlyArray<string>): Promise<OpenStack> =>
  Connect.connect(OpenStackClient, layer(options), options, { api: "openstack", ca, sources }, {
    omit: ["options", "keystone"],
    prototype: OpenStack.prototype
  })
