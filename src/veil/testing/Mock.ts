/**
 * A mock `VeilClient` for tests of code that uses the client: give the operations the code under test calls;
 * any other operation dies with a defect naming the request it would have sent.
 *
 * ```ts
 * const TestVeil = mock({ domains: { get: (id) => Effect.succeed(Domain.make({ id, verbose_name: "vm" })) } })
 * ```
 *
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { fromConfig, VeilClient, type VeilClientService } from "../Client.js"
import { resolve } from "../Config.js"

type Resources = Omit<VeilClientService, "config" | "rest">

/** The operations to stub, resource by resource. */
export type MockOperations = { readonly [K in keyof Resources]?: Partial<Resources[K]> }

/** Sends nothing: every request is a defect saying which operation was not stubbed. */
const unstubbed = HttpClient.make((request, url) =>
  Effect.dieMessage(`VeilClient mock: ${request.method} ${url.pathname} was called but is not stubbed`)
)

/** A `VeilClient` layer with the given operations; the rest die when called. */
export const mock = (operations: MockOperations): Layer.Layer<VeilClient> =>
  Layer.scoped(
    VeilClient,
    Effect.gen(function*() {
      const config = yield* Effect.orDie(resolve({ address: "http://veil.mock", token: "jwt mock", check: false }))
      const base = yield* Effect.orDie(fromConfig(config).pipe(Effect.provideService(HttpClient.HttpClient, unstubbed)))
      return {
        ...base,
        clusters: { ...base.clusters, ...operations.clusters },
        controllers: { ...base.controllers, ...operations.controllers },
        dataPools: { ...base.dataPools, ...operations.dataPools },
        domains: { ...base.domains, ...operations.domains },
        events: { ...base.events, ...operations.events },
        library: { ...base.library, ...operations.library },
        nodes: { ...base.nodes, ...operations.nodes },
        resourcePools: { ...base.resourcePools, ...operations.resourcePools },
        tags: { ...base.tags, ...operations.tags },
        tasks: { ...base.tasks, ...operations.tasks },
        vdisks: { ...base.vdisks, ...operations.vdisks }
      }
    })
  )
