/**
 * A mock `OvhClient` for tests of code that uses the client (and of the typed operations built on it, such as
 * `Bills.get`): give the calls the code under test makes; any other dies with a defect naming it
 * (`OvhClient mock: post is not mocked`).
 *
 * ```ts
 * const TestOvh = mock({ get: () => Effect.succeed({ nichandle: "ab12345-ovh" }) })
 * ```
 *
 * @since 0.1.0
 */
import type { Layer } from "effect"
import * as Mock from "../../core/testing/Mock.js"
import { OvhClient, type OvhClientService } from "../Client.js"

/** The calls to stub. */
export type MockOperations = Mock.Operations<OvhClientService>

/** An `OvhClient` layer with the given calls; the rest die when used. */
export const mock = (operations: MockOperations): Layer.Layer<OvhClient> => Mock.mock(OvhClient, operations)
