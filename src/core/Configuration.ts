/**
 * Reading a client's settings: every API's configuration failures become one {@link ConfigurationError} listing
 * every missing or wrong setting at once, whether they came from explicit options, the environment (through
 * Effect's `Config`) or the API's own files.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { type Config, ConfigError, ConfigProvider, Duration, Effect, Option } from "effect"
import { ConfigurationError } from "./Errors.js"
import type { RetryPolicy } from "./RetryPolicy.js"
import { withoutUserinfo } from "./Wire.js"

/**
 * The options every API client takes, described once: each API's options extend the ones it reads and add their
 * own (an address, credentials, a region, …). The Promise clients add `cache`, `transport` and the Node transport's
 * `ca`/`proxy` (see `node/Connect`).
 */
export interface ClientOptions {
  /**
   * Longest wait for one attempt of a request (send and read the answer), before it is retried or fails with a
   * `TimeoutError`. Default 60 seconds.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** How failed requests are retried; default `RetryPolicy.defaultPolicy` (idempotent requests only). */
  readonly retry?: RetryPolicy | undefined
  /** Verify the server's TLS certificate (default `true`); a setting of the Node transport. */
  readonly verifyTls?: boolean | undefined
  /** Adapts the ambient `HttpClient` for this session (a proxy, extra tracing, a test double). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** The caller's product tokens (`myapp/1.2`), sent in `User-Agent` before the library's own. */
  readonly userAgent?: string | undefined
}

/** A setting that is missing or wrong. */
export interface Problem {
  readonly setting: string
  readonly message: string
}

const problemsOf = (error: ConfigError.ConfigError): ReadonlyArray<Problem> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...problemsOf(error.left), ...problemsOf(error.right)]
    case "MissingData": {
      const setting = error.path.join("_")
      return [{ setting, message: `${setting} is not set` }]
    }
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported": {
      const setting = error.path.join("_")
      return [{ setting, message: `${setting}: ${error.message}` }]
    }
  }
}

/** The problems of an Effect `ConfigError` (each setting once, in the order they are read). */
export const problems = (error: ConfigError.ConfigError): ReadonlyArray<Problem> => {
  const seen = new Set<string>()
  return problemsOf(error).filter((p) => {
    const key = `${p.setting}\u0000${p.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** An Effect `ConfigError` as the library's configuration error of `api`. */
export const fromConfigError = (api: string, error: ConfigError.ConfigError, sources: ReadonlyArray<string> = []): ConfigurationError =>
  ConfigurationError.of(api, problems(error), sources)

/** Variables as a caller gives them: the process environment, or a map (what a simulator or an rc file says). */
export type Variables = Readonly<Record<string, string | undefined>>

/** A `ConfigProvider` over the process environment, or over `variables` when given (empty values count as unset). */
export const provider = (variables?: Variables): ConfigProvider.ConfigProvider =>
  variables === undefined
    ? ConfigProvider.fromEnv()
    : ConfigProvider.fromMap(new Map(Object.entries(variables).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, v] as const]))))

/** Reads `config` from the environment (or `variables`); fails with the configuration error of `api`. */
export const read = <A>(
  api: string,
  config: Config.Config<A>,
  options: { readonly variables?: Variables | undefined; readonly sources?: ReadonlyArray<string> | undefined } = {}
): Effect.Effect<A, ConfigurationError> =>
  Effect.withConfigProvider(config, provider(options.variables)).pipe(
    Effect.mapError((error) => fromConfigError(api, error, options.sources))
  )

/**
 * Why a configured URL is refused for holding user information (`http://user:password@host`), or `undefined`. No API
 * here authenticates through URL userinfo, and a secret there would show wherever the URL does (messages, errors,
 * spans). A URL that does not parse but has an `@` before its query is refused too: its userinfo cannot be told from
 * its path. The message shows the URL as `Wire.withoutUserinfo` does.
 */
export const userinfoProblem = (setting: string, url: string): string | undefined => {
  let held: boolean
  try {
    const parsed = new URL(url)
    held = parsed.username !== "" || parsed.password !== "" || /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*@/i.test(url.trim())
  } catch {
    held = /^[^?#]*@/.test(url)
  }
  return held
    ? `${setting} must not hold user information (got "${withoutUserinfo(url.trim())}"): ` +
      "credentials go in their own settings, never in the URL"
    : undefined
}

/**
 * A duration as a setting spells it: seconds (`30`, `2.5`) or an Effect duration (`"90 seconds"`, `"2 minutes"`).
 * `None` when it is neither.
 */
export const parseDuration = (text: string): Option.Option<Duration.Duration> => {
  const trimmed = text.trim()
  return /^\d+(\.\d+)?$/.test(trimmed) ? Option.some(Duration.seconds(Number(trimmed))) : Duration.decodeUnknown(trimmed)
}
