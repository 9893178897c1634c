/**
 * The VeiL client for plain Node code: `await using veil = await Veil.connect({...})`.
 *
 * Every method mirrors the Effect API and returns a Promise (listings over every page are async iterables).
 * Failures reject with the same tagged errors an Effect program sees (`err._tag === "NotFoundError"`).
 *
 * @since 0.1.0
 */
import { Config, Effect, Layer, Option } from "effect"
import * as Configuration from "../core/Configuration.js"
import { Facade, open, session, type SessionOptions, settle } from "../core/Facade.js"
import * as ResponseCache from "../core/ResponseCache.js"
import * as NodeTransport from "../node/NodeTransport.js"
import { VeilClient, type VeilClientService } from "./Client.js"
import { environment, explicit, fromEnv, type Origin, type VeilOptions } from "./Config.js"
import type { Task } from "./Task.js"
import type { ActionResult, Completed, TaskHandle, WaitOptions } from "./Tasks.js"

/** How to wait for a task, with a plain progress callback. */
export interface PromiseWaitOptions extends Omit<WaitOptions, "onProgress"> {
  readonly onProgress?: ((task: Task) => void) | undefined
}

/** A task the controller accepted, for Promise code. */
export interface VeilTask {
  readonly _tag: "TaskHandle"
  readonly id: string
  /** The task as the 202 answer gave it. */
  readonly task: Task
  /** The entity a create-type call made. */
  readonly entity: string | undefined
  refresh(): Promise<Task>
  /** The terminal state, whatever it is. */
  wait(options?: PromiseWaitOptions): Promise<Task>
  /** The terminal state when it is `SUCCESS`; rejects with `TaskFailedError` otherwise. */
  waitForSuccess(options?: PromiseWaitOptions): Promise<Task>
  /** Every state until the task ends. */
  progress(options?: WaitOptions): AsyncIterable<Task>
  cancel(options?: { readonly force?: boolean }): Promise<void>
  response(): Promise<unknown>
}

/**
 * Options of {@link Veil.connect}. Besides the controller's: `ca` (PEM text or a file path) to trust a private CA,
 * `proxy`/`noProxy` (else `HTTPS_PROXY`/`NO_PROXY` of the environment) — settings of the Node transport, which a
 * `transport` given instead does not read.
 */
export interface ConnectOptions extends VeilOptions, NodeTransport.ConnectTransportOptions, SessionOptions {}

type Method<Args extends ReadonlyArray<unknown>, A> = (...args: Args) => Promise<A>

/** A session with one controller, for Promise code. */
export class Veil implements AsyncDisposable {
  /**
   * Opens a session: checks the options and the controller; rejects with a typed error otherwise — a
   * `ConfigurationError` naming every missing or wrong option, an `AuthenticationError` for a refused token, ….
   */
  static connect(options: ConnectOptions): Promise<Veil> {
    return Veil.#open(options)
  }

  static async #open(options: ConnectOptions, origin?: Origin, caSetting = "ca"): Promise<Veil> {
    const transport = options.transport ?? NodeTransport.layer(
      { verifyTls: options.verifyTls ?? true, ca: options.ca, proxy: options.proxy, noProxy: options.noProxy },
      { api: "veil", ca: caSetting, sources: (origin ?? explicit).sources }
    )
    const live = Layer.scoped(VeilClient, VeilClient.make(options, origin)).pipe(session(transport, options.cache))
    const facade = await open(live, "veil")
    const service = await facade.run(VeilClient)
    return new Veil(facade, service)
  }

  /**
   * Opens a session from `VEIL_ADDRESS`, `VEIL_TOKEN`, `VEIL_SCHEME`, `VEIL_TIMEOUT`, `VEIL_VERIFY_TLS`,
   * `VEIL_LANGUAGE`, `VEIL_CA_FILE` (a PEM file of certificates to trust) — of the process environment, or of the
   * map given (e.g. what the simulator prints); `options` adds what variables cannot say (cache, transport, retry).
   * Proxies come from the process's `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`. Rejects with a `ConfigurationError`
   * naming every missing or wrong variable.
   */
  static async fromEnv(
    variables?: Configuration.Variables,
    options: Omit<ConnectOptions, keyof VeilOptions> & Partial<VeilOptions> = {}
  ): Promise<Veil> {
    const [read, caFile] = await settle(
      "veil",
      Configuration.read("veil", Config.zip(fromEnv, Config.option(Config.string("VEIL_CA_FILE"))), {
        variables,
        sources: environment.sources
      })
    )
    const ca = options.ca ?? caFile.pipe(Option.getOrUndefined)
    return Veil.#open(
      { ...read, ...options, address: options.address ?? read.address, token: options.token ?? read.token, ca },
      environment,
      options.ca === undefined ? "VEIL_CA_FILE" : "ca"
    )
  }

  /** The effect-based service behind this facade. */
  readonly service: VeilClientService

  readonly clusters
  readonly controllers
  readonly dataPools
  readonly domains
  readonly events
  readonly library
  readonly nodes
  readonly resourcePools
  readonly tags
  readonly tasks
  readonly vdisks
  /** Cache counters (all zero without a cache). */
  readonly cacheStats: Method<[], ResponseCache.CacheStats>

  private constructor(private readonly facade: Facade<VeilClient | ResponseCache.ResponseCache, unknown>, service: VeilClientService) {
    this.service = service
    const lift = <Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E>): Method<Args, A> =>
      facade.lift(f)
    const task = <Args extends ReadonlyArray<unknown>, E>(f: (...args: Args) => Effect.Effect<TaskHandle, E>) =>
      lift((...args: Args) => Effect.map(f(...args), (h) => this.wrap(h)))
    const result = <Args extends ReadonlyArray<unknown>, E>(f: (...args: Args) => Effect.Effect<ActionResult, E>) =>
      lift((...args: Args) => Effect.map(f(...args), (r): VeilTask | Completed => (r._tag === "TaskHandle" ? this.wrap(r) : r)))
    const s = service
    this.clusters = {
      ...facade.listing(s.clusters),
      get: lift(s.clusters.get),
      tags: lift(s.clusters.tags),
      usage: lift(s.clusters.usage)
    }
    this.controllers = {
      ...facade.listing(s.controllers),
      get: lift(s.controllers.get),
      tags: lift(s.controllers.tags),
      check: lift(() => s.controllers.check),
      baseVersion: lift(() => s.controllers.baseVersion),
      systemTime: lift(() => s.controllers.systemTime)
    }
    this.dataPools = { ...facade.listing(s.dataPools), get: lift(s.dataPools.get), tags: lift(s.dataPools.tags) }
    this.resourcePools = {
      ...facade.listing(s.resourcePools),
      get: lift(s.resourcePools.get),
      tags: lift(s.resourcePools.tags)
    }
    this.nodes = {
      ...facade.listing(s.nodes),
      get: lift(s.nodes.get),
      tags: lift(s.nodes.tags),
      usage: lift(s.nodes.usage),
      usbDevices: lift(s.nodes.usbDevices)
    }
    this.vdisks = { ...facade.listing(s.vdisks), get: lift(s.vdisks.get), tags: lift(s.vdisks.tags) }
    this.library = { ...facade.listing(s.library), get: lift(s.library.get), tags: lift(s.library.tags) }
    this.events = { ...facade.listing(s.events), get: lift(s.events.get) }
    const d = s.domains
    this.domains = {
      ...facade.listing(d),
      getMany: facade.liftStream(d.getMany),
      get: lift(d.get),
      tags: lift(d.tags),
      start: task(d.start),
      shutdown: task(d.shutdown),
      reboot: task(d.reboot),
      suspend: task(d.suspend),
      resume: task(d.resume),
      reset: task(d.reset),
      remove: task(d.remove),
      create: lift((...args: Parameters<typeof d.create>) =>
        Effect.map(d.create(...args), (created) => ({ ids: created.ids, task: this.wrap(created.task) }))),
      clone: lift((...args: Parameters<typeof d.clone>) =>
        Effect.map(d.clone(...args), (created) => ({ ids: created.ids, task: this.wrap(created.task) }))),
      update: lift(d.update),
      convertToTemplate: result(d.convertToTemplate),
      convertToVm: result(d.convertToVm),
      changeTemplate: result(d.changeTemplate),
      remoteAccess: task(d.remoteAccess),
      guestCommand: lift(d.guestCommand),
      setHostname: task(d.setHostname),
      addToAd: result(d.addToAd),
      removeFromAd: result(d.removeFromAd),
      prepare: task(d.prepare),
      attachUsb: lift(d.attachUsb),
      detachUsb: result(d.detachUsb),
      spice: lift(d.spice),
      vnc: lift(d.vnc),
      attachVeilUtilsIso: result(d.attachVeilUtilsIso),
      backup: task(d.backup),
      backups: lift(d.backups),
      showBackup: lift(d.showBackup),
      restore: task(d.restore),
      multiManager: task(d.multiManager)
    }
    const t = s.tasks
    this.tasks = {
      ...facade.listing(t),
      get: lift(t.get),
      handle: task(t.handle),
      cancel: lift(t.cancel),
      releaseLocks: lift(t.releaseLocks),
      response: lift(t.response),
      jid: lift(t.jid),
      count: lift(() => t.count),
      check: lift(() => t.check)
    }
    const g = s.tags
    this.tags = {
      ...facade.listing(g),
      get: lift(g.get),
      create: task(g.create),
      update: result(g.update),
      remove: result(g.remove),
      addEntity: result(g.addEntity),
      removeEntity: result(g.removeEntity),
      addEntities: result(g.addEntities),
      removeEntities: result(g.removeEntities)
    }
    this.cacheStats = facade.lift(() => Effect.flatMap(ResponseCache.ResponseCache, (cache) => cache.stats))
  }

  /** The Promise form of a task handle. */
  private wrap(handle: TaskHandle): VeilTask {
    const facade = this.facade
    const effectOptions = (options: PromiseWaitOptions = {}): WaitOptions => {
      const onProgress = options.onProgress
      return { ...options, onProgress: onProgress === undefined ? undefined : (t: Task) => Effect.sync(() => onProgress(t)) }
    }
    return {
      _tag: "TaskHandle",
      id: handle.id,
      task: handle.task,
      entity: handle.entity,
      refresh: () => facade.run(handle.refresh),
      wait: (options) => facade.run(handle.wait(effectOptions(options))),
      waitForSuccess: (options) => facade.run(handle.waitForSuccess(effectOptions(options))),
      progress: (options) => facade.iterate(handle.progress(options)),
      cancel: (options) => facade.run(handle.cancel(options)),
      response: () => facade.run(handle.response)
    }
  }

  /**
   * This session, with every call made through the returned view (and the tasks and iterations it hands out)
   * interrupted when `signal` aborts: the call rejects with `signal.reason` (a `DOMException` named `AbortError`
   * unless the reason given is another `Error`), its HTTP request is cut, other calls go on. Closing the view closes
   * the session: keep `await using` on the session itself.
   */
  withSignal(signal: AbortSignal): Veil {
    return new Veil(this.facade.withSignal(signal), this.service)
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
