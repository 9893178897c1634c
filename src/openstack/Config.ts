/**
 * How to reach an OpenStack cloud: explicit options, `OS_*` environment variables, or `clouds.yaml` (with
 * `secure.yaml` merged over it) at the standard locations, selected by `OS_CLOUD` — the rules of openstacksdk's
 * config loader.
 *
 * Every source is first flattened into openstacksdk's key names (`auth_url`, `username`, `project_domain_name`, …)
 * and then read by one function, {@link fromKeys}, so the three sources can never disagree.
 *
 * @since 0.1.0
 */
import { FileSystem } from "@effect/platform"
import { Config, Effect, Either, Option, Predicate, Redacted } from "effect"
import { type ClientOptions, fromConfigError, type Problem, userinfoProblem } from "../core/Configuration.js"
import { withoutUserinfo } from "../core/Wire.js"
import { ConfigurationError } from "../core/Errors.js"
import { homedir } from "node:os"
import { join } from "node:path"
import { parse as parseYaml } from "yaml"

/** A domain, by id or by name. */
export type DomainRef = { readonly id: string } | { readonly name: string }

/** A user, by id, or by name within a domain (names are only unique per domain). */
export type UserRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef }

/** What a token is scoped to. */
export type Scope =
  | { readonly project: { readonly id: string } | { readonly name: string; readonly domain: DomainRef } }
  | { readonly domain: DomainRef }
  | { readonly system: true }

/** How to authenticate. */
export type Auth =
  | {
    readonly type: "password"
    readonly user: UserRef
    readonly password: Redacted.Redacted<string>
    readonly scope?: Scope | undefined
  }
  | {
    readonly type: "application_credential"
    /** By id, or by name with the owning user. */
    readonly credential: { readonly id: string } | { readonly name: string; readonly user: UserRef }
    readonly secret: Redacted.Redacted<string>
  }
  | { readonly type: "token"; readonly token: Redacted.Redacted<string>; readonly scope?: Scope | undefined }

/** Endpoint interfaces of the service catalog. */
export type Interface = "public" | "internal" | "admin"

/** A checked configuration of one cloud. */
export interface OpenStackOptions extends ClientOptions {
  /** Keystone's URL, e.g. `http://127.0.0.1:5000/v3` (a URL without `/v3` is completed). */
  readonly authUrl: string
  readonly auth: Auth
  /** Region of the endpoints to use; the first matching endpoint when absent. */
  readonly region?: string | undefined
  /** Endpoint interface (default `public`). */
  readonly interface?: Interface | undefined
  /** Certificates to trust instead of the system's, for the Node transport: PEM text or a file path (`cacert` / `OS_CACERT`). */
  readonly ca?: string | ReadonlyArray<string> | undefined
}

/** Keys as openstacksdk names them, flattened: `auth_url`, `username`, `region_name`, … */
export type Keys = Readonly<Record<string, string | undefined>>

const secretKeys = new Set(["password", "application_credential_secret", "token"])

const pick = (keys: Keys, ...names: ReadonlyArray<string>): string | undefined => {
  for (const name of names) {
    const value = keys[name]
    if (value !== undefined && value !== "") return value
  }
  return undefined
}

const domainOf = (keys: Keys, prefix: "user" | "project"): DomainRef | undefined => {
  const id = pick(keys, `${prefix}_domain_id`, "domain_id")
  if (id !== undefined) return { id }
  const name = pick(keys, `${prefix}_domain_name`, "domain_name")
  return name === undefined ? undefined : { name }
}

const isInterface = (value: string): value is Interface => value === "public" || value === "internal" || value === "admin"

const truthy = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : /^(1|true|yes|on)$/i.test(value.trim())

/** `auth_type`, or what the keys given imply (an application credential, a bare token, else a password). */
const authType = (keys: Keys): string => {
  const given = pick(keys, "auth_type")
  if (given !== undefined) return given.toLowerCase()
  if (pick(keys, "application_credential_id", "application_credential_name") !== undefined) return "v3applicationcredential"
  if (pick(keys, "token") !== undefined && pick(keys, "password") === undefined) return "token"
  return "password"
}

/** How a source spells openstacksdk's keys: `OS_AUTH_URL` in the environment, `auth_url` in clouds.yaml. */
export type Naming = (key: string) => string

/** The names of the `OS_*` environment. */
export const envNaming: Naming = (key) => `OS_${key.toUpperCase()}`

/** The names of `clouds.yaml` (openstacksdk's own keys). */
export const fileNaming: Naming = (key) => key

/**
 * Reads a configuration from openstacksdk's flat keys. `sources` names where the keys came from and `name` how
 * they spell each key, for errors: every missing or wrong key is reported at once, never with a secret's value.
 */
export const fromKeys = (
  keys: Keys,
  sources: ReadonlyArray<string>,
  name: Naming = fileNaming
): Either.Either<OpenStackOptions, ConfigurationError> => {
  const problems: Array<Problem> = []
  const problem = (key: string, message: (setting: string) => string): undefined => {
    problems.push({ setting: name(key), message: message(name(key)) })
    return undefined
  }
  const authUrl = pick(keys, "auth_url")
  if (authUrl === undefined) problem("auth_url", (n) => `${n} is missing (Keystone's URL, e.g. "http://127.0.0.1:5000/v3")`)
  else if (!/^https?:\/\/[^/\s]+/i.test(authUrl) || !URL.canParse(authUrl)) {
    problem("auth_url", (n) => `${n} must be an http(s) URL, got "${withoutUserinfo(authUrl)}"`)
  } else {
    const held = userinfoProblem(name("auth_url"), authUrl)
    if (held !== undefined) problem("auth_url", () => held)
  }

  const user = (): UserRef | undefined => {
    const id = pick(keys, "user_id")
    if (id !== undefined) return { id }
    const username = pick(keys, "username")
    if (username === undefined) return problem("username", (n) => `${n} (or ${name("user_id")}) is missing`)
    const domain = domainOf(keys, "user")
    if (domain === undefined) {
      return problem("user_domain_name", (n) => `the user "${username}" is given by name, so its domain is needed (${n} or ${name("user_domain_id")})`)
    }
    return { name: username, domain }
  }

  const scope = (): Scope | undefined => {
    const projectId = pick(keys, "project_id", "tenant_id")
    if (projectId !== undefined) return { project: { id: projectId } }
    const projectName = pick(keys, "project_name", "tenant_name")
    if (projectName !== undefined) {
      const domain = domainOf(keys, "project")
      if (domain === undefined) {
        return problem(
          "project_domain_name",
          (n) => `the project "${projectName}" is given by name, so its domain is needed (${n} or ${name("project_domain_id")})`
        )
      }
      return { project: { name: projectName, domain } }
    }
    const domain = domainOf(keys, "project")
    if (domain !== undefined && pick(keys, "user_domain_id", "user_domain_name") === undefined) return { domain }
    return undefined
  }

  const type = authType(keys)
  let auth: Auth | undefined
  if (type === "password" || type === "v3password") {
    const password = pick(keys, "password")
    if (password === undefined) problem("password", (n) => `${n} is missing`)
    const u = user()
    const s = scope()
    if (password !== undefined && u !== undefined) auth = { type: "password", user: u, password: Redacted.make(password), scope: s }
  } else if (type === "v3applicationcredential" || type === "application_credential") {
    const secret = pick(keys, "application_credential_secret")
    const id = pick(keys, "application_credential_id")
    const credentialName = pick(keys, "application_credential_name")
    if (secret === undefined) problem("application_credential_secret", (n) => `${n} is missing`)
    if (pick(keys, "project_id", "project_name", "tenant_id", "tenant_name") !== undefined) {
      problem("project_id", () => "an application credential is bound to its project: give no project scope with it")
    }
    let credential: { readonly id: string } | { readonly name: string; readonly user: UserRef } | undefined
    if (id !== undefined) credential = { id }
    else if (credentialName !== undefined) {
      const u = user()
      credential = u === undefined ? undefined : { name: credentialName, user: u }
    } else problem("application_credential_id", (n) => `${n} (or ${name("application_credential_name")}) is missing`)
    if (secret !== undefined && credential !== undefined) {
      auth = { type: "application_credential", credential, secret: Redacted.make(secret) }
    }
  } else if (type === "token" || type === "v3token") {
    const token = pick(keys, "token")
    if (token === undefined) problem("token", (n) => `${n} is missing`)
    const s = scope()
    if (token !== undefined) auth = { type: "token", token: Redacted.make(token), scope: s }
  } else {
    problem("auth_type", (n) => `${n} "${type}" is not supported (password, v3applicationcredential, token)`)
  }

  const iface = pick(keys, "interface", "endpoint_type")?.replace(/URL$/, "")
  if (iface !== undefined && !isInterface(iface)) problem("interface", (n) => `${n} must be public, internal or admin, got "${iface}"`)
  if (problems.length > 0 || authUrl === undefined || auth === undefined) {
    return Either.left(ConfigurationError.of("openstack", problems, sources))
  }
  const region = pick(keys, "region_name")
  const insecure = truthy(pick(keys, "insecure"))
  const verify = truthy(pick(keys, "verify"))
  const verifyTls = insecure === true ? false : verify
  const ca = pick(keys, "cacert")
  return Either.right({
    authUrl,
    auth,
    ...(region === undefined ? {} : { region }),
    ...(iface === undefined || !isInterface(iface) ? {} : { interface: iface }),
    ...(verifyTls === undefined ? {} : { verifyTls }),
    ...(ca === undefined ? {} : { ca })
  })
}

/** The `OS_*` variables this loader reads, as openstacksdk key names. */
export const envKeys: ReadonlyArray<string> = [
  "auth_url", "auth_type", "username", "user_id", "password", "project_id", "project_name", "tenant_id",
  "tenant_name", "user_domain_name", "user_domain_id", "project_domain_name", "project_domain_id", "domain_name",
  "domain_id", "region_name", "interface", "endpoint_type", "application_credential_id",
  "application_credential_name", "application_credential_secret", "token", "insecure", "verify", "cacert"
]

/** The `OS_*` environment as flat keys (secrets read as `Redacted` and unwrapped only into the key set). */
export const envKeysConfig: Config.Config<Keys> = Config.all(
  Object.fromEntries(
    envKeys.map((key) => {
      const name = `OS_${key.toUpperCase()}`
      const value = secretKeys.has(key)
        ? Config.map(Config.option(Config.redacted(name)), Option.map(Redacted.value))
        : Config.option(Config.string(name))
      return [key, value] as const
    })
  )
).pipe(Config.map((values) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Option.getOrUndefined(v)]))))

/** Where {@link fromEnv} reads, for errors. */
export const envSources: ReadonlyArray<string> = ["OS_* environment"]

/**
 * A configuration from `OS_*` environment variables (through `Config`). Every missing or wrong variable is named in
 * one `ConfigurationError`.
 */
export const fromEnv: Effect.Effect<OpenStackOptions, ConfigurationError> = Effect.flatMap(
  Effect.mapError(envKeysConfig, (error) => fromConfigError("openstack", error, envSources)),
  (keys) => Either.match(fromKeys(keys, envSources, envNaming), { onLeft: Effect.fail, onRight: Effect.succeed })
)

/** Where `clouds.yaml` / `secure.yaml` are looked for, in order (openstacksdk's order). */
export const searchDirectories = (cwd: string = process.cwd()): ReadonlyArray<string> => [
  cwd,
  join(homedir(), ".config", "openstack"),
  "/etc/openstack"
]

const flatten = (cloud: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  if (!Predicate.isRecord(cloud)) return out
  for (const [key, value] of Object.entries(cloud)) {
    if (key === "auth" && Predicate.isRecord(value)) {
      for (const [k, v] of Object.entries(value)) if (v !== null && typeof v !== "object") out[k] = String(v)
    } else if (value !== null && typeof value !== "object") out[key] = String(value)
  }
  return out
}

const deepMerge = (base: unknown, over: unknown): unknown => {
  if (!Predicate.isRecord(base) || !Predicate.isRecord(over)) return over === undefined ? base : over
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v)
  return out
}

/** Options of {@link fromCloudsYaml}. */
export interface CloudsYamlOptions {
  /** The cloud to use (default `OS_CLOUD`, or the only cloud defined). */
  readonly cloud?: string | undefined
  /** One `clouds.yaml` file replacing the search (default `OS_CLIENT_CONFIG_FILE`). */
  readonly file?: string | undefined
  /** One `secure.yaml` file replacing the search (default `OS_CLIENT_SECURE_FILE`). */
  readonly secureFile?: string | undefined
  /** Directories searched, in order (default {@link searchDirectories}). */
  readonly directories?: ReadonlyArray<string> | undefined
}

const firstExisting = (fs: FileSystem.FileSystem, directories: ReadonlyArray<string>, base: string) =>
  Effect.findFirst(
    directories.flatMap((dir) => [".yaml", ".yml", ".json"].map((ext) => join(dir, `${base}${ext}`))),
    (path) => Effect.orElseSucceed(fs.exists(path), () => false)
  )

/** A configuration from `clouds.yaml` (+ `secure.yaml`), found as openstacksdk finds it. */
export const fromCloudsYaml = (
  options: CloudsYamlOptions = {}
): Effect.Effect<OpenStackOptions, ConfigurationError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const directories = options.directories ?? searchDirectories()
    const looked = options.file !== undefined ? [options.file] : directories.map((d) => join(d, "clouds.yaml"))
    const missing = (setting: string, message: string) => ConfigurationError.of("openstack", [{ setting, message }], looked)
    const file = options.file !== undefined ? Option.some(options.file) : yield* firstExisting(fs, directories, "clouds")
    if (Option.isNone(file)) return yield* missing("clouds.yaml", `no clouds.yaml found (looked in ${directories.join(", ")})`)
    const read = (path: string) =>
      fs.readFileString(path).pipe(
        Effect.mapError((e) => missing(path, `cannot read ${path}: ${e.message}`)),
        Effect.flatMap((text) =>
          Effect.try({ try: () => parseYaml(text), catch: (e) => missing(path, `${path} is not valid YAML: ${String(e)}`) })
        )
      )
    const clouds = yield* read(file.value)
    const secureFile = options.secureFile !== undefined ? Option.some(options.secureFile) : yield* firstExisting(fs, directories, "secure")
    const secure = Option.isSome(secureFile) ? yield* read(secureFile.value) : undefined
    const merged = deepMerge(clouds, secure)
    const all = Predicate.hasProperty(merged, "clouds") && Predicate.isRecord(merged.clouds) ? merged.clouds : {}
    const names = Object.keys(all)
    const name = options.cloud ?? (names.length === 1 ? names[0] : undefined)
    if (name === undefined) {
      return yield* missing("OS_CLOUD", `which cloud? set OS_CLOUD to one of: ${names.join(", ") || "(none defined)"}`)
    }
    if (!(name in all)) return yield* missing("OS_CLOUD", `cloud "${name}" is not in ${file.value} (it has: ${names.join(", ")})`)
    const sources = [file.value, ...Option.toArray(secureFile)]
    return yield* Either.match(fromKeys(flatten(all[name]), sources), { onLeft: Effect.fail, onRight: Effect.succeed })
  })
