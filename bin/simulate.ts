/**
 * Serves an API simulator on 127.0.0.1 until stopped, so any client in any language can be pointed at it.
 *
 *   npm run simulate -- veil [--port 8080] [--task-duration "3 seconds"] [--domains 12]
 *   npm run simulate -- openstack [--port 8080] [--task-duration "2 seconds"] [--max-instances 10]
 *   npm run simulate -- ovh [--port 8080] [--tls] [--task-duration "3 seconds"]
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Duration, Effect, Option } from "effect"
import { parseArgs } from "node:util"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { selfSigned } from "../src/core/testing/Certificate.js"
import * as OpenStackTesting from "../src/openstack/testing/index.js"
import * as OvhTesting from "../src/ovh/testing/index.js"
import * as VeilTesting from "../src/veil/testing/index.js"

const usage = [
  `usage: npm run simulate -- veil [--port N] [--task-duration "3 seconds"] [--domains 12]`,
  `       npm run simulate -- openstack [--port N] [--task-duration "2 seconds"] [--max-instances 10]`,
  `       npm run simulate -- ovh [--port N] [--tls] [--task-duration "3 seconds"]`
].join("\n")

interface Options {
  readonly port: number
  readonly taskDuration: Duration.Duration
  readonly domains: number
  readonly maxInstances: number
  readonly tls: boolean
}

const simulators: Readonly<Record<string, (options: Options) => Effect.Effect<void, unknown, never>>> = {
  veil: ({ domains, port, taskDuration }) =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* VeilTesting.serve({ port, taskDuration, domains })
      yield* Console.log([
        `VeiL ECP simulator listening on ${served.url}/api/`,
        ``,
        `  address  ${served.address}   (scheme: http)`,
        `  token    ${served.token}`,
        ``,
        `  export VEIL_ADDRESS=${served.address} VEIL_SCHEME=http VEIL_TOKEN='${served.token}'`,
        `  curl -H 'Authorization: ${served.token}' ${served.url}/api/domains/`,
        ``,
        `Tasks take ${Duration.format(taskDuration)}. Press Ctrl+C to stop.`
      ].join("\n"))
      return yield* Effect.never
    })),
  openstack: ({ maxInstances, port, taskDuration }) =>
    Effect.scoped(Effect.gen(function*() {
      const served = yield* OpenStackTesting.serve({ port, buildDuration: taskDuration, maxInstances })
      const exports = Object.entries(served.env).map(([name, value]) => `  export ${name}='${value}'`)
      yield* Console.log([
        `OpenStack simulator (Keystone, Nova, Glance, Neutron, Swift) listening on ${served.url}`,
        ``,
        ...exports,
        ``,
        `  openstack server list     # with the variables above, any OpenStack client works against it`,
        ``,
        `Servers build in ${Duration.format(taskDuration)}. Press Ctrl+C to stop.`
      ].join("\n"))
      return yield* Effect.never
    })),
  ovh: ({ port, taskDuration, tls }) =>
    Effect.scoped(Effect.gen(function*() {
      const certificate = tls ? selfSigned() : undefined
      const served = yield* OvhTesting.serve({ port, ipmiDelay: taskDuration, ...(certificate === undefined ? {} : { tls: certificate }) })
      const certDir = certificate === undefined ? undefined : mkdtempSync(join(tmpdir(), "ovh-simulator-"))
      const certFile = certDir === undefined ? undefined : join(certDir, "cert.pem")
      if (certDir !== undefined && certFile !== undefined && certificate !== undefined) {
        writeFileSync(certFile, certificate.cert)
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(certDir, { recursive: true, force: true })))
      }
      const keys = served.simulator.keys
      yield* Console.log([
        `OVH API simulator listening on ${served.endpoint}`,
        ``,
        ...Object.entries(served.env).map(([name, value]) => `  export ${name}=${value}`),
        ``,
        `  OAuth2 service account: client id ${keys.clientId}, client secret ${keys.clientSecret}`,
        `  (token URL ${served.url}/auth/oauth2/token)`,
        ...(certFile === undefined
          ? []
          : [``, `  TLS with a self-signed certificate for 127.0.0.1: ${certFile}`, `  export NODE_EXTRA_CA_CERTS=${certFile}   # for Node clients`]),
        ``,
        `  curl ${certFile === undefined ? "" : `--cacert ${certFile} `}${served.endpoint}/auth/time`,
        ``,
        `The key above has full access. IPMI accesses take ${Duration.format(taskDuration)}. Press Ctrl+C to stop.`
      ].join("\n"))
      return yield* Effect.never
    }))
}

const main = Effect.gen(function*() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: "0" },
      "task-duration": { type: "string", default: "3 seconds" },
      domains: { type: "string", default: "12" },
      "max-instances": { type: "string", default: "10" },
      tls: { type: "boolean", default: false }
    }
  })
  const api = positionals[0]
  const run = api === undefined ? undefined : simulators[api]
  if (run === undefined) return yield* Effect.fail(`${api === undefined ? "no API given" : `unknown API "${api}"`}\n${usage}`)
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) return yield* Effect.fail(`--port must be 0–65535\n${usage}`)
  const taskDuration = Duration.decodeUnknown(values["task-duration"])
  if (Option.isNone(taskDuration)) return yield* Effect.fail(`--task-duration must be a duration such as "3 seconds"\n${usage}`)
  const domains = Number(values.domains)
  if (!Number.isInteger(domains) || domains < 0) return yield* Effect.fail(`--domains must be a whole number\n${usage}`)
  const maxInstances = Number(values["max-instances"])
  if (!Number.isInteger(maxInstances) || maxInstances < 0) return yield* Effect.fail(`--max-instances must be a whole number\n${usage}`)
  if (values.tls && api !== "ovh") return yield* Effect.fail(`--tls is offered by the ovh simulator only\n${usage}`)
  return yield* run({ port, taskDuration: taskDuration.value, domains, maxInstances, tls: values.tls })
})

NodeRuntime.runMain(main.pipe(Effect.catchAll((message) => Console.error(String(message)).pipe(Effect.zipRight(Effect.sync(() => {
  process.exitCode = 2
}))))))
