/**
 * How to reach one VeiL ECP controller: explicit options, or `VEIL_*` environment variables through `Config`.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Config, ConfigError, Data, Duration, Either, Option, Redacted } from "effect"
import * as RetryPolicy from "../core/RetryPolicy.js"
import { fromVeilRetryOptions, type VeilRetryOptions } from "./Retry.js"

/** Options for one controller, as a caller writes them. */
export interface VeilOptions {
  /** Controller address: `192.168.11.115`, `ecp.example.org:8443`, or with a scheme (`http://127.0.0.1:8080`). */
  readonly address: string
  /** The ECP integration token, starting with `jwt ` exactly as ECP shows it. */
  readonly token: string | Redacted.Redacted<string>
  /** `https` (default) or `http`; taken from `address` when it has a scheme. */
  readonly scheme?: "https" | "http" | undefined
  /** Timeout of one request attempt. Default 60 s. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Verify the controller's TLS certificate (default `true`); used by the Node transport. */
  readonly verifyTls?: boolean | undefined
  /** Retry policy: a core policy, or the Python client's options (`num_of_attempts`, …). */
  readonly retry?: RetryPolicy.RetryPolicy | VeilRetryOptions | undefined
  /** `Accept-Language` for texts the controller writes (error details, events). Default `en`. */
  readonly language?: string | undefined
  /** Longest URL the client sends (the server refuses longer ones). Default 6000 characters. */
  readonly urlMaxLength?: number | undefined
  /** Check the controller (`controllers/check/`) when the session opens. Default `true`. */
  readonly check?: boolean | undefined
  /** Adapts the ambient `HttpClient` for this session (a proxy, extra tracing, a test double). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
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
}

/** A configuration value is missing or wrong. Names the field; never shows a secret. */
export class VeilConfigError extends Data.TaggedError("VeilConfigError")<{
  readonly field: string
  readonly message: string
}> {}

const tokenPattern = /^jwt\s+\S+$/i
const addressPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?(?:\/[\w.~/-]*)?$/i

/** The default retry policy of VeiL sessions: the core default. */
export const defaultRetry: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy

/** Checks options and resolves defaults. */
export const resolve = (options: VeilOptions): Either.Either<VeilConfig, VeilConfigError> => {
  const raw = options.address.trim()
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)
  const given = schemeMatch?.[1]?.toLowerCase()
  if (given !== undefined && given !== "http" && given !== "https") {
    return Either.left(new VeilConfigError({ field: "address", message: `address scheme must be http or https, got "${given}"` }))
  }
  if (given !== undefined && options.scheme !== undefined && given !== options.scheme) {
    return Either.left(
      new VeilConfigError({ field: "scheme", message: `scheme "${options.scheme}" contradicts the address's "${given}://"` })
    )
  }
  const address = (schemeMatch === null ? raw : raw.slice(schemeMatch[0].length)).replace(/\/+$/, "")
  if (!addressPattern.test(address)) {
    return Either.left(
      new VeilConfigError({
        field: "address",
        message: `address must be a host name or IP with an optional :port (e.g. "192.168.11.115" or "ecp.example.org:8443"), got "${address}"`
      })
    )
  }
  const token = Redacted.isRedacted(options.token) ? options.token : Redacted.make(options.token)
  if (!tokenPattern.test(Redacted.value(token).trim())) {
    return Either.left(
      new VeilConfigError({
        field: "token",
        message: "token must start with \"jwt \" followed by the ECP integration token (as ECP shows it: \"jwt eyJ…\")"
      })
    )
  }
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
    token: Redacted.make(Redacted.value(token).trim()),
    timeout: Duration.decode(options.timeout ?? "60 seconds"),
    verifyTls: options.verifyTls ?? true,
    retry,
    language: options.language ?? "en",
    urlMaxLength: options.urlMaxLength ?? 6000,
    check: options.check ?? true,
    transformClient: options.transformClient
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
 * Options from the environment: `VEIL_ADDRESS`, `VEIL_TOKEN` (required), `VEIL_SCHEME`, `VEIL_TIMEOUT` (seconds or
 * a duration), `VEIL_VERIFY_TLS`, `VEIL_LANGUAGE`.
 */
export const fromEnv: Config.Config<VeilOptions> = Config.all({
  address: Config.string("VEIL_ADDRESS"),
  token: Config.redacted("VEIL_TOKEN"),
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
