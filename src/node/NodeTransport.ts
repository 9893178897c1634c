/**
 * The HTTP transport for Node: an `HttpClient` over its own undici connection pool, closed with its scope.
 *
 * Clients never build a transport themselves (they take the ambient `HttpClient`); this is what the Promise
 * facades and Node programs provide when a session needs settings that live at connection level: TLS verification,
 * trusted certificates, a proxy.
 *
 * Proxies: `HTTPS_PROXY` (for `https:` URLs, falling back to `HTTP_PROXY`), `HTTP_PROXY` (for `http:` URLs) and
 * `NO_PROXY` (hosts reached directly: `host`, `.domain`, `host:port`, `*`), lower-case forms first, are read from the
 * process environment when the transport is built; the `proxy` and `noProxy` options win over them, each over its
 * own variables. Requests go through the proxy in a `CONNECT` tunnel. A proxy URL's `user:password@` is sent to
 * the proxy only (`Proxy-Authorization`) and never appears in an error.
 *
 * Turning certificate verification off emits one process warning (`process.emitWarning`, code
 * {@link insecureWarningCode}) per host, on the first request to it: not per request, not per session.
 *
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Redacted } from "effect"
import { readFile } from "node:fs/promises"
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici"
import type { Problem } from "../core/Configuration.js"
import { ConfigurationError } from "../core/Errors.js"
import type { AttemptTimeouts } from "../core/Transport.js"
import * as UndiciClient from "./UndiciClient.js"

/** Connection-level settings. */
export interface TransportOptions {
  /** Verify the server's TLS certificate (default `true`). `false` accepts any certificate, and warns once per host. */
  readonly verifyTls?: boolean | undefined
  /**
   * Certificates to trust instead of the system's (a private CA, a simulator's self-signed certificate), still
   * verified: PEM text (a string containing `-----BEGIN`), or the path of a PEM file (any other string), or several.
   */
  readonly ca?: string | ReadonlyArray<string> | undefined
  /** Most connections per origin (default: undici's, unlimited). */
  readonly connections?: number | undefined
  /**
   * The proxy of every request, `http://[user:password@]host:port` (or `https://…`); wins over `HTTPS_PROXY` and
   * `HTTP_PROXY`. Its userinfo is a secret: give it `Redacted` to keep it out of your own logs too.
   */
  readonly proxy?: string | Redacted.Redacted<string> | undefined
  /** Hosts reached without the proxy (`host`, `.domain`, `host:port`, `*`); wins over `NO_PROXY`. */
  readonly noProxy?: string | ReadonlyArray<string> | undefined
}

/** Options that name no file to read and no URL to check: a transport built from them cannot fail. */
export type PlainTransportOptions = Omit<TransportOptions, "ca" | "proxy"> & {
  readonly ca?: undefined
  readonly proxy?: undefined
}

/** How the caller spells the settings, for the `ConfigurationError` of a CA file or proxy URL that does not do. */
export interface SettingNames {
  /** The API whose configuration it is (default `"transport"`). */
  readonly api?: string | undefined
  /** The name of the `ca` setting (`ca`, `VEIL_CA_FILE`, `OS_CACERT`, `cacert`). */
  readonly ca?: string | undefined
  /** The name of the `proxy` setting. */
  readonly proxy?: string | undefined
  /** Where the settings were read. */
  readonly sources?: ReadonlyArray<string> | undefined
}

/** The options checked: certificates as PEM text, proxies as URLs, `NO_PROXY` as one list. */
export interface CheckedOptions {
  readonly verifyTls: boolean
  readonly ca: ReadonlyArray<string> | undefined
  readonly connections: number | undefined
  /** Proxy of `http:` URLs. */
  readonly httpProxy: string | undefined
  /** Proxy of `https:` URLs. */
  readonly httpsProxy: string | undefined
  /** Comma-separated hosts reached directly. */
  readonly noProxy: string
}

/** The `code` of the process warning emitted when certificate verification is off. */
export const insecureWarningCode = "EFFECT_CLOUD_CLIENTS_INSECURE_TLS"

const isPem = (text: string): boolean => text.includes("-----BEGIN")

/** The first non-empty value of the variables, in order. */
const variable = (...names: ReadonlyArray<string>): { readonly name: string; readonly value: string } | undefined => {
  for (const name of names) {
    const value = process.env[name]
    if (value !== undefined && value.trim() !== "") return { name, value: value.trim() }
  }
  return undefined
}

/** A proxy URL as it may be shown: without anything up to an `@`, where userinfo would be. */
const shown = (text: string): string => text.replace(/^.*@/, "…@")

const proxyProblem = (setting: string, text: string): Problem | undefined => {
  try {
    const url = new URL(text)
    if (url.protocol === "http:" || url.protocol === "https:") return undefined
  } catch {
    // reported below
  }
  return { setting, message: `${setting} must be an http(s) URL such as "http://proxy.example:3128", got "${shown(text)}"` }
}

const readCa = (setting: string, path: string): Effect.Effect<string, Problem> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error): Problem => ({
      setting,
      message: `${setting}: cannot read the CA file "${path}"${
        error instanceof Error && "code" in error && typeof error.code === "string" ? ` (${error.code})` : ""
      }`
    })
  }).pipe(
    Effect.filterOrFail(isPem, (): Problem => ({ setting, message: `${setting}: "${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)` }))
  )

/**
 * Checks the options: reads the CA files, checks the proxy URLs (of the options and of the environment) and reads
 * `NO_PROXY`. Every problem is reported at once, named as `names` says; a proxy's userinfo never appears.
 */
export const check = (options: TransportOptions, names: SettingNames = {}): Effect.Effect<CheckedOptions, ConfigurationError> =>
  Effect.gen(function*() {
    const problems: Array<Problem> = []
    const caSetting = names.ca ?? "ca"
    const given = options.ca === undefined ? [] : typeof options.ca === "string" ? [options.ca] : options.ca
    const ca: Array<string> = []
    for (const entry of given.filter((text) => text.trim() !== "")) {
      if (isPem(entry)) ca.push(entry)
      else {
        const read = yield* Effect.either(readCa(caSetting, entry.trim()))
        if (read._tag === "Right") ca.push(read.right)
        else problems.push(read.left)
      }
    }
    const explicit = options.proxy === undefined ? undefined : Redacted.isRedacted(options.proxy) ? Redacted.value(options.proxy) : options.proxy
    const proxySetting = names.proxy ?? "proxy"
    const http = explicit === undefined ? variable("http_proxy", "HTTP_PROXY") : { name: proxySetting, value: explicit }
    const https = explicit === undefined ? variable("https_proxy", "HTTPS_PROXY") ?? http : http
    for (const proxy of new Set([http, https])) {
      const problem = proxy === undefined ? undefined : proxyProblem(proxy.name, proxy.value)
      if (problem !== undefined) problems.push(problem)
    }
    if (problems.length > 0) {
      return yield* Effect.fail(ConfigurationError.of(names.api ?? "transport", problems, names.sources ?? []))
    }
    const noProxy = options.noProxy === undefined
      ? variable("no_proxy", "NO_PROXY")?.value ?? ""
      : typeof options.noProxy === "string"
      ? options.noProxy
      : options.noProxy.join(",")
    return {
      verifyTls: options.verifyTls ?? true,
      ca: ca.length === 0 ? undefined : ca,
      connections: options.connections,
      httpProxy: http?.value,
      httpsProxy: https?.value,
      noProxy
    }
  })

/** The undici dispatcher of checked options: a plain agent, or one that picks the proxy per request. */
export const dispatcher = (options: CheckedOptions): Dispatcher => {
  const tls = { rejectUnauthorized: options.verifyTls, ...(options.ca === undefined ? {} : { ca: [...options.ca] }) }
  const pool = { connect: tls, ...(options.connections === undefined ? {} : { connections: options.connections }) }
  if (options.httpProxy === undefined && options.httpsProxy === undefined) return new Agent(pool)
  // Through a tunnel, undici takes the server's TLS settings from `requestTls` (`connect` is the tunnel's own).
  return new EnvHttpProxyAgent({
    ...pool,
    requestTls: tls,
    httpProxy: options.httpProxy ?? "",
    httpsProxy: options.httpsProxy ?? "",
    noProxy: options.noProxy
  })
}

const warned = new Set<string>()

/** Warns, once per process for each host, that the certificate of `url`'s host is not verified. */
const warnInsecure = (url: string): void => {
  if (!url.startsWith("https:") || !URL.canParse(url)) return
  const host = new URL(url).host
  if (warned.has(host)) return
  warned.add(host)
  process.emitWarning(
    `TLS certificate verification is off for ${host} (verifyTls: false): anyone on the way can read and change the traffic, credentials included`,
    { code: insecureWarningCode }
  )
}

/**
 * The `HttpClient` of checked options (`UndiciClient` over the options' {@link dispatcher}), with its own connection
 * pool destroyed when the scope closes, and the {@link AttemptTimeouts} it enforces: the request engine hands it
 * each attempt's timeout (undici's headers and body timeouts) instead of racing a timer of its own.
 */
export const fromChecked = (options: CheckedOptions): Layer.Layer<HttpClient.HttpClient | AttemptTimeouts> =>
  Layer.scopedContext(
    Effect.map(
      Effect.acquireRelease(Effect.sync(() => dispatcher(options)), (agent) => Effect.promise(() => agent.destroy())),
      (agent) => {
        const client = UndiciClient.make(agent)
        const warned = options.verifyTls ? client : HttpClient.tapRequest(client, (request) => Effect.sync(() => warnInsecure(request.url)))
        return Context.add(UndiciClient.attemptTimeoutsContext, HttpClient.HttpClient, warned)
      }
    )
  )

/**
 * An `HttpClient` with its own connection pool, destroyed when the scope closes. Without a `ca` or a `proxy` to
 * check it cannot fail (a malformed `HTTPS_PROXY`/`HTTP_PROXY` is then a defect: a `ConfigurationError` naming it).
 */
export function layer(options?: PlainTransportOptions): Layer.Layer<HttpClient.HttpClient | AttemptTimeouts>
/**
 * An `HttpClient` with its own connection pool, destroyed when the scope closes; fails with a `ConfigurationError`
 * (named as `names` says) when a CA file cannot be read or a proxy URL is malformed.
 */
export function layer(options: TransportOptions, names?: SettingNames): Layer.Layer<HttpClient.HttpClient | AttemptTimeouts, ConfigurationError>
export function layer(options: TransportOptions = {}, names?: SettingNames): Layer.Layer<HttpClient.HttpClient | AttemptTimeouts, ConfigurationError> {
  const built = Layer.unwrapEffect(Effect.map(check(options, names), fromChecked))
  return options.ca === undefined && options.proxy === undefined ? Layer.orDie(built) : built
}

/** The transport settings the Promise facades take besides their API's own. */
export interface ConnectTransportOptions {
  /** Certificates to trust instead of the system's: PEM text, or the path of a PEM file (see {@link TransportOptions.ca}). */
  readonly ca?: string | ReadonlyArray<string> | undefined
  /** The proxy of every request (see {@link TransportOptions.proxy}); wins over `HTTPS_PROXY`/`HTTP_PROXY`. */
  readonly proxy?: string | Redacted.Redacted<string> | undefined
  /** Hosts reached without the proxy; wins over `NO_PROXY`. */
  readonly noProxy?: string | ReadonlyArray<string> | undefined
}
