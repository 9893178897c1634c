/**
 * A mock `OpenStackClient` for tests of code that uses the client: give the operations the code under test calls;
 * any other dies with a defect naming it (`OpenStackClient mock: servers.list is not mocked`).
 *
 * ```ts
 * const TestCloud = mock({ flavors: { get: (id) => Effect.succeed(flavor) } })
 * ```
 *
 * @since 0.1.0
 */
import type { Layer } from "effect"
import * as Mock from "../../core/testing/Mock.js"
import { OpenStackClient, type OpenStackClientService } from "../Client.js"

/** The operations to stub, service by service. */
export type MockOperations = Mock.Operations<OpenStackClientService>

/** An `OpenStackClient` layer with the given operations; the rest die when used. */
export const mock = (operations: MockOperations): Layer.Layer<OpenStackClient> => Mock.mock(OpenStackClient, operations)
