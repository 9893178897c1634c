/**
 * How to reach one VeiL ECP controller: explicit options, or `VEIL_*` environment variables through `Config`.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Config, ConfigError, Duration, Either, Option, Redacted } from "effect"
import type { ClientOptions, Problem } from "../core/Configuration.js"
import { ConfigurationError } from "../core/Errors.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { fromVeilRetryOptions, type VeilRetryOptions } from "./Retry.js"

/** Options for one controller, as a caller writes them. */
export interface VeilOptions extends Omit<ClientOptions, "retry"> {
  /** Controller address: `192.168.11.115`, `ecp.example.org:8443`, or with a scheme (`http://127.0.0.1:8080`). */
  readonly address: string
  /** The ECP integration token, starting with `jwt ` exactly as ECP shows it. */
  readonly token: string | Redacted.Redacted<string>
  /** `https` (default) or `http`; taken from `address` when it has a scheme. */
  readonly scheme?: "https" | "http" | undefined
  /** Retry policy: a core policy, or the Python client's options (`num_of_attempts`, …). */
  readonly retry?: RetryPolicy.RetryPolicy | VeilRetryOptions | undefined
  /** `Accept-Language` for texts the controller writes (error details, events). Default `en`. */
  readonly language?: string | undefined
  /** Longest URL the client sends (the server refuses longer ones). Default 6000 characters. */
  readonly urlMaxLength?: number | undefined
  /** Check the controller (`controllers/check/`) when the session opens. Default `true`. */
  readonly check?: boolean | undefined
}

/** A checked configuration. */
export interface VeilConfig {
  /** The address as given, without scheme. */
  readonly address: string
  readonly scheme: "https" | "http"
  /** `<scheme>://<address>/api/`. */
  readonly baseUrl: string
  readonly token: Redacted.Redacted<string>
  readonly timeout: Duration.Duration
  readonly verifyTls: boolean
  readonly retry: RetryPolicy.RetryPolicy
  readonly language: string
  readonly urlMaxLength: number
  readonly check: boolean
  readonly transformClient: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** The caller's product tokens in `User-Agent`. */
  readonly userAgent: string | undefined
}

const tokenPattern = /^jwt\s+\S+$/i
const addressPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:\/[\w.~/-]*)?$/i

/** The default retry policy of VeiL sessions: the core default. */
export const defaultRetry: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy

/** Where options came from, for errors: the sources read, and how they spell each setting. */
export interface Origin {
  readonly sources: ReadonlyArray<string>
  readonly name: (setting: "address" | "token" | "scheme") => string
}

/** Options given in code. */
export const explicit: Origin = { sources: ["explicit options"], name: (setting) => setting }

/** Options read from `VEIL_*` variables by {@link fromEnv}. */
export const environment: Origin = { sources: ["VEIL_* environment"], name: (setting) => `VEIL_${setting.toUpperCase()}` }

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined)

/**
 * Checks options and resolves defaults. Every missing or wrong setting is reported at once, by name; the token's
 * value never appears in an error.
 */
export const resolve = (options: VeilOptions, origin: Origin = explicit): Either.Either<VeilConfig, ConfigurationError> => {
  const problems: Array<Problem> = []
  const address_ = origin.name("address")
  const token_ = origin.name("token")
  const scheme_ = origin.name("scheme")
  const raw = text(options.address)
  let address = ""
  let given: string | undefined
  if (raw === undefined) {
    problems.push({ setting: address_, message: `${address_} is missing (the controller's host, e.g. "192.168.11.115")` })
  } else {
    const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)
    given = schemeMatch?.[1]?.toLowerCase()
    address = (schemeMatch === null ? raw : raw.slice(schemeMatch[0].length)).replace(/\/+$/, "")
    if (given !== undefined && given !== "http" && given !== "https") {
      problems.push({ setting: address_, message: `${address_}: the scheme must be http or https, got "${given}"` })
    } else if (given !== undefined && options.scheme !== undefined && given !== options.scheme) {
      problems.push({ setting: scheme_, message: `${scheme_} "${options.scheme}" contradicts the address's "${given}://"` })
    } else if (!addressPattern.test(address)) {
      problems.push({
        setting: address_,
        message: `${address_} must be a host name or IP with an optional :port (e.g. "192.168.11.115" or "ecp.example.org:8443"), got "${address.replace(/^[^?#]*@/, "…@")}"`
      })
    }
  }
  if (options.scheme !== undefined && options.scheme !== "http" && options.scheme !== "https") {
    problems.push({ setting: scheme_, message: `${scheme_} must be "https" or "http", got "${String(options.scheme)}"` })
  }
  const tokenText = Redacted.isRedacted(options.token) ? Redacted.value(options.token) : options.token
  if (text(tokenText) === undefined) {
    problems.push({ setting: token_, message: `${token_} is missing (the ECP integration token, "jwt eyJ…")` })
  } else if (!tokenPattern.test(String(tokenText).trim())) {
    problems.push({
      setting: token_,
      message: `${token_} must start with "jwt " followed by the ECP integration token (as ECP shows it: "jwt eyJ…")`
    })
  }
  if (problems.length > 0) return Either.left(ConfigurationError.of("veil", problems, origin.sources))
  const scheme = given === "http" || given === "https" ? given : options.scheme ?? "https"
  const retry = options.retry === undefined
    ? defaultRetry
    : "attempts" in options.retry
    ? options.retry
    : fromVeilRetryOptions(options.retry)
  return Either.right({
    address,
    scheme,
    baseUrl: `${scheme}://${address}/api/`,
    token: Redacted.make(String(tokenText).trim()),
    timeout: Duration.decode(options.timeout ?? "60 seconds"),
    verifyTls: options.verifyTls ?? true,
    retry,
    language: options.language ?? "en",
    urlMaxLength: options.urlMaxLength ?? 6000,
    check: options.check ?? true,
    transformClient: options.transformClient,
    userAgent: options.userAgent
  })
}

const seconds = (name: string) =>
  Config.string(name).pipe(
    Config.mapOrFail((text) => {
      const trimmed = text.trim()
      if (/^\d+(\.\d+)?$/.test(trimmed)) return Either.right(Duration.seconds(Number(trimmed)))
      return Option.match(Duration.decodeUnknown(trimmed), {
        onNone: () => Either.left(ConfigError.InvalidData([], `expected seconds or a duration like "30 seconds", got "${text}"`)),
        onSome: Either.right
      })
    })
  )

/**
 * Options from the environment: `VEIL_ADDRESS`, `VEIL_TOKEN` (required: checked with the other options, in
 * {@link resolve} with the {@link environment} origin), `VEIL_SCHEME`, `VEIL_TIMEOUT` (seconds or
 * a duration), `VEIL_VERIFY_TLS`, `VEIL_LANGUAGE`.
 */
export const fromEnv: Config.Config<VeilOptions> = Config.all({
  // Missing address or token read as empty, so that resolving names them together with any other wrong setting.
  address: Config.withDefault(Config.string("VEIL_ADDRESS"), ""),
  token: Config.withDefault(Config.redacted("VEIL_TOKEN"), Redacted.make("")),
  scheme: Config.option(Config.literal("https", "http")("VEIL_SCHEME")),
  timeout: Config.option(seconds("VEIL_TIMEOUT")),
  verifyTls: Config.option(Config.boolean("VEIL_VERIFY_TLS")),
  language: Config.option(Config.string("VEIL_LANGUAGE"))
}).pipe(Config.map(({ address, language, scheme, timeout, token, verifyTls }) => ({
  address,
  token,
  scheme: Option.getOrUndefined(scheme),
  timeout: Option.getOrUndefined(timeout),
  verifyTls: Option.getOrUndefined(verifyTls),
  language: Option.getOrUndefined(language)
})))
