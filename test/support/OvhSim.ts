/** A client session against a fresh in-process OVH simulator, for tests (TestClock drives both sides). */
import { HttpClient } from "@effect/platform"
import { Effect, Either, Redacted, type Scope } from "effect"
import type { ApiError } from "../../src/core/Errors.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import { make, type OvhClientService, type SessionOptions } from "../../src/ovh/Client.js"
import { type OvhConfig, type OvhOptions, resolveConfig } from "../../src/ovh/Config.js"
import * as OvhTesting from "../../src/ovh/testing/index.js"

/** The checked configuration of client options (no environment, no files). */
export const configOf = (options: OvhOptions): Effect.Effect<OvhConfig, unknown> =>
  Either.match(resolveConfig(options, {}, new Map(), []), { onLeft: Effect.fail, onRight: Effect.succeed })

/**
 * A fresh simulator and a client of it: the seeded full-access key by default; `consumerKey` / `applicationSecret`
 * replace the seeded ones, `mode: "oauth2"` uses the service account.
 */
export const open = (options: {
  readonly simulator?: OvhTesting.MakeOptions
  readonly mode?: "signature" | "oauth2"
  readonly consumerKey?: string
  readonly applicationSecret?: string
  readonly session?: SessionOptions
} = {}) =>
  Effect.gen(function*() {
    const simulator = yield* OvhTesting.make(options.simulator)
    const client = yield* connect(simulator, options)
    return { simulator, client }
  })

/** Another client of `simulator` (see {@link open} for the options). */
export const connect = (
  simulator: OvhTesting.OvhSimulator,
  options: { readonly mode?: "signature" | "oauth2"; readonly consumerKey?: string; readonly applicationSecret?: string; readonly session?: SessionOptions } = {}
) =>
  Effect.gen(function*() {
    const base = OvhTesting.clientOptions(simulator.keys, undefined, options.mode)
    const config = yield* configOf({
      ...base,
      ...(options.consumerKey === undefined ? {} : { consumerKey: Redacted.make(options.consumerKey) }),
      ...(options.applicationSecret === undefined ? {} : { applicationSecret: Redacted.make(options.applicationSecret) })
    })
    return yield* clientOf(simulator, config, options.session)
  })

/** A client of `simulator` with a configuration of one's own. */
export const clientOf = (simulator: OvhTesting.OvhSimulator, config: OvhConfig, session?: SessionOptions): Effect.Effect<OvhClientService, ApiError, Scope.Scope> =>
  Effect.provideService(make(config, session), HttpClient.HttpClient, InProcess.make(simulator.app))
