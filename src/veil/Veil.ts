/**
 * The VeiL client for plain Node code: `await using veil = await Veil.connect({...})`.
 *
 * Every operation of the Effect API, in Promise form (see `core/Promised`): listings over every page are async
 * iterables, task handles have async methods. Failures reject with the same tagged errors an Effect program sees
 * (`err._tag === "NotFoundError"`).
 *
 * @since 0.1.0
 */
import { Config, Layer, Option } from "effect"
import * as Configuration from "../core/Configuration.js"
import { toPromise } from "../core/Facade.js"
import type { PromiseClient, PromisedHandle } from "../core/Promised.js"
import type * as ResponseCache from "../core/ResponseCache.js"
import * as Connect from "../node/Connect.js"
import { VeilClient, type VeilClientService } from "./Client.js"
import { environment, explicit, fromEnv, type Origin, type VeilOptions } from "./Config.js"
import type { TaskHandle, WaitOptions } from "./Tasks.js"

/** How to wait for a task: `onProgress` may be a plain function. */
export type PromiseWaitOptions = WaitOptions

/** A task the controller accepted, for Promise code: `wait`, `waitForSuccess`, `progress`, `cancel`, …. */
export type VeilTask = PromisedHandle<TaskHandle>

/** Options of {@link Veil.connect}: the controller's, and the common ones (`cache`, `transport`, `ca`, `proxy`). */
export interface ConnectOptions extends VeilOptions, Connect.ConnectOptions {}

/** A session with one controller, for Promise code (the request engine stays reachable as `service.rest`). */
export interface Veil extends PromiseClient<VeilClientService, VeilClient | ResponseCache.ResponseCache, "config" | "rest"> {}

/**
 * A session with one controller, for Promise code: opened by `Veil.connect` or `Veil.fromEnv`. Its groups
 * (`domains`, `tasks`, …) are the service's in Promise form (see `core/Promised`): `await veil.domains.list()`.
 */
export class Veil {
  private constructor() {}

  /**
   * Opens a session: checks the options and the controller; rejects with a typed error otherwise — a
   * `ConfigurationError` naming every missing or wrong option, an `AuthenticationError` for a refused token, ….
   */
  static connect(options: ConnectOptions): Promise<Veil> {
    return open(options)
  }

  /**
   * Opens a session from `VEIL_ADDRESS`, `VEIL_TOKEN`, `VEIL_SCHEME`, `VEIL_TIMEOUT`, `VEIL_VERIFY_TLS`,
   * `VEIL_LANGUAGE`, `VEIL_CA_FILE` (a PEM file of certificates to trust) — of the process environment, or of the
   * map given; `options` adds what variables cannot say (cache, transport, retry). Rejects with a
   * `ConfigurationError` naming every missing or wrong variable.
   */
  static async fromEnv(
    variables?: Configuration.Variables,
    options: Omit<ConnectOptions, keyof VeilOptions> & Partial<VeilOptions> = {}
  ): Promise<Veil> {
    const caVariable = Config.option(Config.string("VEIL_CA_FILE"))
    const read = await toPromise("veil", Configuration.read("veil", Config.zip(fromEnv, caVariable), { variables, sources: environment.sources }))
    const ca = options.ca ?? Option.getOrUndefined(read[1])
    const given = { ...read[0], ...options, address: options.address ?? read[0].address, token: options.token ?? read[0].token, ca }
    return open(given, environment, options.ca === undefined ? "VEIL_CA_FILE" : "ca")
  }
}

const open = (options: ConnectOptions, origin: Origin = explicit, ca = "ca"): Promise<Veil> =>
  Connect.connect(VeilClient, Layer.scoped(VeilClient, VeilClient.make(options, origin)), options, {
    api: "veil",
    ca,
    sources: origin.sources
  }, { omit: ["config", "rest"], prototype: Veil.prototype })
