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
import { Config, ConfigError, Data, type Duration, Effect, Either, Option, Predicate, Redacted } from "effect"
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
export interface OpenStackOptions {
  /** Keystone's URL, e.g. `http://127.0.0.1:5000/v3` (a URL without `/v3` is completed). */
  readonly authUrl: string
  readonly auth: Auth
  /** Region of the endpoints to use; the first matching endpoint when absent. */
  readonly region?: string | undefined
  /** Endpoint interface (default `public`). */
  readonly interface?: Interface | undefined
  /** Verify TLS certificates (default `true`). */
  readonly verifyTls?: boolean | undefined
  /** Timeout of one request attempt. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** A configuration is missing, unreadable or contradictory. Names the key and where it looked; never a secret. */
export class OpenStackConfigError extends Data.TaggedError("OpenStackConfigError")<{
  readonly key: string
  readonly message: string
  /** The sources that were read, e.g. `OS_* environment`, `/etc/openstack/clouds.yaml`. */
  readonly sources: ReadonlyArray<string>
}> {}

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

/**
 * Reads a configuration from openstacksdk's flat keys. `sources` names where the keys came from, for errors.
 */
export const fromKeys = (keys: Keys, sources: ReadonlyArray<string>): Either.Either<OpenStackOptions, OpenStackConfigError> => {
  const fail = (key: string, message: string) => Either.left(new OpenStackConfigError({ key, message, sources }))
  const authUrl = pick(keys, "auth_url")
  if (authUrl === undefined) return fail("auth_url", "auth_url is missing (OS_AUTH_URL, or auth.auth_url in clouds.yaml)")
  if (!/^https?:\/\/[^/\s]+/i.test(authUrl)) return fail("auth_url", `auth_url must be an http(s) URL, got "${authUrl}"`)

  const user = (): Either.Either<UserRef, OpenStackConfigError> => {
    const id = pick(keys, "user_id")
    if (id !== undefined) return Either.right({ id })
    const name = pick(keys, "username")
    if (name === undefined) return fail("username", "username or user_id is missing (OS_USERNAME / OS_USER_ID)")
    const domain = domainOf(keys, "user")
    if (domain === undefined) {
      return fail("user_domain_name", `the user "${name}" is given by name, so its domain is needed (OS_USER_DOMAIN_NAME or _ID)`)
    }
    return Either.right({ name, domain })
  }

  const scope = (): Either.Either<Scope | undefined, OpenStackConfigError> => {
    const projectId = pick(keys, "project_id", "tenant_id")
    if (projectId !== undefined) return Either.right({ project: { id: projectId } })
    const projectName = pick(keys, "project_name", "tenant_name")
    if (projectName !== undefined) {
      const domain = domainOf(keys, "project")
      if (domain === undefined) {
        return fail(
          "project_domain_name",
          `the project "${projectName}" is given by name, so its domain is needed (OS_PROJECT_DOMAIN_NAME or _ID)`
        )
      }
      return Either.right({ project: { name: projectName, domain } })
    }
    const domain = domainOf(keys, "project")
    if (domain !== undefined && pick(keys, "user_domain_id", "user_domain_name") === undefined) {
      return Either.right({ domain })
    }
    return Either.right(undefined)
  }

  const type = authType(keys)

  let auth: Either.Either<Auth, OpenStackConfigError>
  if (type === "password" || type === "v3password") {
    const password = pick(keys, "password")
    auth = password === undefined
      ? fail("password", "password is missing (OS_PASSWORD, or auth.password in clouds.yaml / secure.yaml)")
      : Either.flatMap(user(), (u) =>
        Either.map(scope(), (s): Auth => ({ type: "password", user: u, password: Redacted.make(password), scope: s })))
  } else if (type === "v3applicationcredential" || type === "application_credential") {
    const secret = pick(keys, "application_credential_secret")
    const id = pick(keys, "application_credential_id")
    const name = pick(keys, "application_credential_name")
    if (secret === undefined) auth = fail("application_credential_secret", "application_credential_secret is missing")
    else if (pick(keys, "project_id", "project_name", "tenant_id", "tenant_name") !== undefined) {
      auth = fail("project_id", "an application credential is bound to its project: give no project scope with it")
    } else if (id !== undefined) {
      auth = Either.right({ type: "application_credential", credential: { id }, secret: Redacted.make(secret) })
    } else if (name !== undefined) {
      auth = Either.map(user(), (u): Auth => ({
        type: "application_credential",
        credential: { name, user: u },
        secret: Redacted.make(secret)
      }))
    } else auth = fail("application_credential_id", "application_credential_id or _name is missing")
  } else if (type === "token" || type === "v3token") {
    const token = pick(keys, "token")
    auth = token === undefined
      ? fail("token", "token is missing (OS_TOKEN)")
      : Either.map(scope(), (s): Auth => ({ type: "token", token: Redacted.make(token), scope: s }))
  } else {
    auth = fail("auth_type", `auth_type "${type}" is not supported (password, v3applicationcredential, token)`)
  }

  return Either.flatMap(auth, (a) => {
    const iface = pick(keys, "interface", "endpoint_type")?.replace(/URL$/, "")
    if (iface !== undefined && !isInterface(iface)) return fail("interface", `interface must be public, internal or admin, got "${iface}"`)
    const region = pick(keys, "region_name")
    const insecure = truthy(pick(keys, "insecure"))
    const verify = truthy(pick(keys, "verify"))
    const verifyTls = insecure === true ? false : verify
    return Either.right({
      authUrl,
      auth: a,
      ...(region === undefined ? {} : { region }),
      ...(iface === undefined ? {} : { interface: iface }),
      ...(verifyTls === undefined ? {} : { verifyTls })
    })
  })
}

/** The `OS_*` variables this loader reads, as openstacksdk key names. */
export const envKeys: ReadonlyArray<string> = [
  "auth_url", "auth_type", "username", "user_id", "password", "project_id", "project_name", "tenant_id",
  "tenant_name", "user_domain_name", "user_domain_id", "project_domain_name", "project_domain_id", "domain_name",
  "domain_id", "region_name", "interface", "endpoint_type", "application_credential_id",
  "application_credential_name", "application_credential_secret", "token", "insecure", "verify"
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

/** A configuration from `OS_*` environment variables (through `Config`). */
export const fromEnv: Config.Config<OpenStackOptions> = Config.mapOrFail(envKeysConfig, (keys) =>
  Either.mapLeft(fromKeys(keys, ["OS_* environment"]), (error) => ConfigError.InvalidData([`OS_${error.key.toUpperCase()}`], error.message)))

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
): Effect.Effect<OpenStackOptions, OpenStackConfigError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const directories = options.directories ?? searchDirectories()
    const looked = options.file !== undefined ? [options.file] : directories.map((d) => join(d, "clouds.yaml"))
    const missing = (key: string, message: string) =>
      new OpenStackConfigError({ key, message, sources: looked })
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
