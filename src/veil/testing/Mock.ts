/**
 * A mock `VeilClient` for tests of code that uses the client: give the operations the code under test calls;
 * any other operation dies with a defect naming it (`VeilClient mock: nodes.list is not mocked`). `config` is a
 * checked configuration of a mock controller.
 *
 * ```ts
 * const TestVeil = mock({ domains: { get: (id) => Effect.succeed(Domain.make({ id, verbose_name: "vm" })) } })
 * ```
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import * as Mock from "../../core/testing/Mock.js"
import { VeilClient, type VeilClientService } from "../Client.js"
import { resolve } from "../Config.js"

/** The operations to stub, resource by resource. */
export type MockOperations = Mock.Operations<Omit<VeilClientService, "config" | "rest">>

/** A `VeilClient` layer with the given operations; the rest die when used. */
export const mock = (operations: MockOperations): Layer.Layer<VeilClient> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.orDie(resolve({ address: "http://veil.mock", token: "jwt mock", check: false })),
      (config) => Mock.mock(VeilClient, { ...operations, config })
    )
  )
