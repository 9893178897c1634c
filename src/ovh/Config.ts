/**
 * How to reach OVH: the seed's chain — explicit values, then `OVH_ENDPOINT`, `OVH_APPLICATION_KEY`,
 * `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY` (or `OVH_CLIENT_ID` / `OVH_CLIENT_SECRET` for OAuth2), then the INI
 * files `/etc/ovh.conf`, `~/.ovhrc`, `~/.ovh.conf`, `./ovh.conf` merged key by key (the later wins, so `./ovh.conf`
 * has the last word), the endpoint from `[default] endpoint=` and the keys from the endpoint's section — or one
 * custom file in place of the four.
 *
 * @since 0.1.0
 */
import { FileSystem } from "@effect/platform"
import { Duration, Effect, Either, Option, Redacted } from "effect"
import { type ClientOptions, type Problem, parseDuration } from "../core/Configuration.js"
import { ConfigurationError } from "../core/Errors.js"
import { homedir } from "node:os"
import { join } from "node:path"
import { type Endpoint, resolve } from "./Endpoints.js"

/** How calls are authenticated. */
export type Credentials =
  | {
    readonly type: "signature"
    readonly applicationKey: string
    readonly applicationSecret: Redacted.Redacted<string>
    /** Absent: only unauthenticated calls (`/auth/time`, `POST /auth/credential`) work. */
    readonly consumerKey: Redacted.Redacted<string> | undefined
  }
  | {
    readonly type: "oauth2"
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
  }

/** A checked configuration. */
export interface OvhConfig {
  readonly endpoint: Endpoint
  readonly credentials: Credentials
  /** Longest wait for one attempt of a call (send and read the answer); the client's default when absent. */
  readonly timeout?: Duration.Duration | undefined
}

/** Values as a caller gives them; any may be missing and come from the environment or the files. */
export interface OvhOptions extends Pick<ClientOptions, "timeout"> {
  readonly endpoint?: string | undefined
  readonly applicationKey?: string | undefined
  readonly applicationSecret?: string | Redacted.Redacted<string> | undefined
  readonly consumerKey?: string | Redacted.Redacted<string> | undefined
  readonly clientId?: string | undefined
  readonly clientSecret?: string | Redacted.Redacted<string> | undefined
  /** One INI file read instead of the standard four. */
  readonly configFile?: string | undefined
}

/** The standard files, lowest priority first. */
export const standardFiles = (cwd: string = process.cwd()): ReadonlyArray<string> => [
  "/etc/ovh.conf",
  join(homedir(), ".ovhrc"),
  join(homedir(), ".ovh.conf"),
  join(cwd, "ovh.conf")
]

/** An INI text as sections of keys (`;` and `#` comments, no interpolation, as Python's RawConfigParser reads it). */
export const parseIni = (text: string): Either.Either<ReadonlyMap<string, ReadonlyMap<string, string>>, string> => {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim()
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue
    const header = /^\[([^\]]+)\]$/.exec(line)
    if (header !== null) {
      const name = (header[1] ?? "").trim()
      current = sections.get(name) ?? new Map()
      sections.set(name, current)
      continue
    }
    const eq = line.search(/[=:]/)
    if (current === undefined) return Either.left(`line ${i + 1}: a value before any [section]`)
    // The line itself is never quoted: it may hold a secret.
    if (eq <= 0) return Either.left(`line ${i + 1}: expected "key=value"`)
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim())
  }
  return Either.right(sections)
}

type Keys = Readonly<Record<string, string | undefined>>

const envKeys = ["endpoint", "application_key", "application_secret", "consumer_key", "client_id", "client_secret"] as const

/** The `OVH_*` variables of an environment (`OVH_TIMEOUT` too, which the files do not hold: OVH's clients read it from code only). */
export const fromEnvironment = (env: Readonly<Record<string, string | undefined>>): Keys =>
  Object.fromEntries([...envKeys, "timeout"].map((key) => [key, env[`OVH_${key.toUpperCase()}`] || undefined]))

/** The per-attempt timeout from the options or `OVH_TIMEOUT` (`undefined` when neither sets one), or why it is wrong. */
const timeoutOf = (options: OvhOptions, env: Keys): Either.Either<Duration.Duration | undefined, string> => {
  const fromEnv = env["timeout"]
  const decoded = options.timeout !== undefined
    ? Duration.decodeUnknown(options.timeout)
    : fromEnv !== undefined
    ? parseDuration(fromEnv)
    : undefined
  if (decoded === undefined) return Either.right(undefined)
  return Option.match(Option.filter(decoded, (d) => Duration.greaterThan(d, Duration.zero)), {
    onNone: () =>
      Either.left(
        `timeout must be a positive duration (OVH_TIMEOUT in seconds, or e.g. "90 seconds"), got ${
          options.timeout === undefined ? `OVH_TIMEOUT="${fromEnv}"` : JSON.stringify(options.timeout)
        }`
      ),
    onSome: Either.right
  })
}

const secret = (value: string | Redacted.Redacted<string> | undefined): string | undefined =>
  value === undefined ? undefined : Redacted.isRedacted(value) ? Redacted.value(value) : value

/**
 * Resolves the configuration: explicit options, then `env`, then the files' values (already merged, keyed by
 * section). `looked` names the sources for errors.
 */
export const resolveConfig = (
  options: OvhOptions,
  env: Keys,
  files: ReadonlyMap<string, ReadonlyMap<string, string>>,
  looked: ReadonlyArray<string>
): Either.Either<OvhConfig, ConfigurationError> => {
  const problems: Array<Problem> = []
  const fail = () => Either.left(ConfigurationError.of("ovh", problems, looked))
  const problem = (setting: string, message: string) => {
    problems.push({ setting, message })
  }
  const endpointName = options.endpoint ?? env["endpoint"] ?? files.get("default")?.get("endpoint")
  const endpoint = endpointName === undefined ? undefined : resolve(endpointName)
  if (endpointName === undefined) {
    problem("endpoint", "no endpoint: pass one, set OVH_ENDPOINT, or write [default] endpoint=ovh-eu in ovh.conf")
  } else if (endpoint !== undefined && Either.isLeft(endpoint)) problem("endpoint", endpoint.left)
  const timeout = timeoutOf(options, env)
  if (Either.isLeft(timeout)) problem("timeout", timeout.left)
  const timeoutField = Either.isLeft(timeout) || timeout.right === undefined ? {} : { timeout: timeout.right }
  const section = endpointName === undefined ? undefined : files.get(endpointName)
  const value = (key: string, explicit: string | undefined) => explicit ?? env[key] ?? section?.get(key)
  const ak = value("application_key", options.applicationKey)
  const as = value("application_secret", secret(options.applicationSecret))
  const ck = value("consumer_key", secret(options.consumerKey))
  const id = value("client_id", options.clientId)
  const cs = value("client_secret", secret(options.clientSecret))
  const signature = ak !== undefined || as !== undefined
  const oauth2 = id !== undefined || cs !== undefined
  if (signature && oauth2) {
    problem("client_id", "both an application key/secret and an OAuth2 client id/secret are set: choose one")
    return fail()
  }
  if (oauth2) {
    if (id === undefined) problem("client_id", "client_secret is set but client_id is missing (OVH_CLIENT_ID)")
    if (cs === undefined) problem("client_secret", "client_id is set but client_secret is missing (OVH_CLIENT_SECRET)")
    if (endpoint !== undefined && Either.isRight(endpoint) && endpoint.right.oauth2 === undefined) {
      problem("endpoint", `OAuth2 is not offered on ${endpointName}`)
    }
    if (problems.length > 0 || endpoint === undefined || Either.isLeft(endpoint) || id === undefined || cs === undefined) return fail()
    return Either.right({ endpoint: endpoint.right, credentials: { type: "oauth2", clientId: id, clientSecret: Redacted.make(cs) }, ...timeoutField })
  }
  if (ak === undefined) problem("application_key", "application_key is missing (OVH_APPLICATION_KEY, or application_key= in ovh.conf)")
  if (as === undefined) {
    problem("application_secret", "application_secret is missing (OVH_APPLICATION_SECRET, or application_secret= in ovh.conf)")
  }
  if (problems.length > 0 || endpoint === undefined || Either.isLeft(endpoint) || ak === undefined || as === undefined) return fail()
  return Either.right({
    endpoint: endpoint.right,
    credentials: {
      type: "signature",
      applicationKey: ak,
      applicationSecret: Redacted.make(as),
      consumerKey: ck === undefined ? undefined : Redacted.make(ck)
    },
    ...timeoutField
  })
}

/** Merges INI files key by key, later files winning. */
const merge = (all: ReadonlyArray<ReadonlyMap<string, ReadonlyMap<string, string>>>) => {
  const out = new Map<string, Map<string, string>>()
  for (const file of all) {
    for (const [section, keys] of file) out.set(section, new Map([...(out.get(section) ?? []), ...keys]))
  }
  return out
}

/** The configuration from options, the process environment and the files (the seed's chain). */
export const load = (
  options: OvhOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  files: ReadonlyArray<string> = options.configFile === undefined ? standardFiles() : [options.configFile]
): Effect.Effect<OvhConfig, ConfigurationError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const looked = ["explicit", "OVH_* environment", ...files]
    const parsed = yield* Effect.forEach(files, (path) =>
      Effect.gen(function*() {
        const exists = yield* Effect.orElseSucceed(fs.exists(path), () => false)
        if (!exists) {
          return options.configFile === undefined
            ? Option.none()
            : yield* ConfigurationError.of("ovh", [{ setting: "configFile", message: `${path} does not exist` }], looked)
        }
        const text = yield* Effect.mapError(
          fs.readFileString(path),
          (e) => ConfigurationError.of("ovh", [{ setting: path, message: `cannot read ${path}: ${e.message}` }], looked)
        )
        return yield* Either.match(parseIni(text), {
          onLeft: (problem) =>
            Effect.fail(ConfigurationError.of("ovh", [{ setting: path, message: `${path} is not a valid INI file: ${problem}` }], looked)),
          onRight: (sections) => Effect.succeed(Option.some(sections))
        })
      }))
    const merged = merge(parsed.flatMap(Option.toArray))
    return yield* Either.match(resolveConfig(options, fromEnvironment(env), merged, looked), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
  })
