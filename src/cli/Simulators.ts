/**
 * The simulator of each API as `simulate` serves it: started on 127.0.0.1 in the caller's scope, it answers the
 * banner to print — where it listens and the `export NAME=value` lines with which a client reaches it.
 *
 * @since 0.1.0
 */
import { FileSystem, type HttpServerError, Path } from "@effect/platform"
import { Duration, Effect, type Scope } from "effect"
import { selfSigned } from "../core/testing/Certificate.js"
import * as OpenStackTesting from "../openstack/testing/index.js"
import * as OvhTesting from "../ovh/testing/index.js"
import * as VeilTesting from "../veil/testing/index.js"
import { CommandError } from "./Errors.js"
import type { Api } from "./Usage.js"

/**
 * What `simulate` was asked for; options an API does not take are ignored by its simulator.
 *
 * @since 0.1.0
 */
export interface SimulateOptions {
  readonly port: number
  readonly taskDuration: Duration.Duration
  readonly domains: number
  readonly maxInstances: number
  readonly tls: boolean
}

/**
 * Serves one API's simulator for the lifetime of the scope and answers its banner's lines.
 *
 * @since 0.1.0
 */
export type Simulator = (
  options: SimulateOptions
) => Effect.Effect<ReadonlyArray<string>, HttpServerError.ServeError | CommandError, Scope.Scope | FileSystem.FileSystem | Path.Path>

/**
 * `value` as a POSIX shell word: as it is when it holds only characters that need no quoting, else single-quoted.
 *
 * @since 0.1.0
 */
export const shellWord = (value: string): string =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`

const exportLine = (name: string, value: string): string => `  export ${name}=${shellWord(value)}`

const veil: Simulator = ({ domains, port, taskDuration }) =>
  Effect.map(VeilTesting.serve({ port, taskDuration, domains }), (served) => [
    `VeiL ECP simulator listening on ${served.url}/api/`,
    ``,
    `  address  ${served.address}   (scheme: http)`,
    `  token    ${served.token}`,
    ``,
    exportLine("VEIL_ADDRESS", served.address),
    exportLine("VEIL_SCHEME", "http"),
    exportLine("VEIL_TOKEN", served.token),
    ``,
    `  curl -H ${shellWord(`Authorization: ${served.token}`)} ${served.url}/api/domains/`,
    ``,
    `Tasks take ${Duration.format(taskDuration)}.`
  ])

const openstack: Simulator = ({ maxInstances, port, taskDuration }) =>
  Effect.map(OpenStackTesting.serve({ port, buildDuration: taskDuration, maxInstances }), (served) => [
    `OpenStack simulator (Keystone, Nova, Glance, Neutron, Swift) listening on ${served.url}`,
    ``,
    ...Object.entries(served.env).map(([name, value]) => `  export ${name}='${value.replaceAll("'", `'\\''`)}'`),
    ``,
    `  openstack server list     # with the variables above, any OpenStack client works against it`,
    ``,
    `Servers build in ${Duration.format(taskDuration)}.`
  ])

/** A throwaway certificate for 127.0.0.1, and its PEM file in a temporary directory removed with the scope. */
const certificate = Effect.gen(function*() {
  const { cert, key } = yield* Effect.try({
    try: selfSigned,
    catch: (error) => new CommandError({ message: `--tls: cannot make a self-signed certificate with openssl: ${error instanceof Error ? error.message : String(error)}` })
  })
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const file = yield* Effect.flatMap(fs.makeTempDirectoryScoped({ prefix: "ovh-simulator-" }), (dir) => {
    const file = path.join(dir, "cert.pem")
    return Effect.as(fs.writeFileString(file, cert), file)
  }).pipe(Effect.mapError((error) => new CommandError({ message: `--tls: cannot write the certificate: ${error.message}` })))
  return { cert, key, file }
})

const ovh: Simulator = ({ port, taskDuration, tls }) =>
  Effect.gen(function*() {
    const tlsFiles = tls ? yield* certificate : undefined
    const served = yield* OvhTesting.serve({
      port,
      ipmiDelay: taskDuration,
      ...(tlsFiles === undefined ? {} : { tls: { key: tlsFiles.key, cert: tlsFiles.cert } })
    })
    const keys = served.simulator.keys
    return [
      `OVH API simulator listening on ${served.endpoint}`,
      ``,
      ...Object.entries(served.env).map(([name, value]) => exportLine(name, value)),
      ``,
      `  OAuth2 service account: client id ${keys.clientId}, client secret ${keys.clientSecret}`,
      `  (token URL ${served.url}/auth/oauth2/token)`,
      ...(tlsFiles === undefined
        ? []
        : [
          ``,
          `  TLS with a self-signed certificate for 127.0.0.1: ${tlsFiles.file}`,
          `${exportLine("NODE_EXTRA_CA_CERTS", tlsFiles.file)}   # for Node clients`
        ]),
      ``,
      `  curl ${tlsFiles === undefined ? "" : `--cacert ${shellWord(tlsFiles.file)} `}${served.endpoint}/auth/time`,
      ``,
      `The key above has full access. IPMI accesses take ${Duration.format(taskDuration)}.`
    ]
  })

/**
 * The simulator of each API.
 *
 * @since 0.1.0
 */
export const simulators: { readonly [api in Api]: Simulator } = { veil, openstack, ovh }
