/**
 * Where the OVH examples run: against the real API when it is configured (`OVH_ENDPOINT` and keys, `OVH_CLIENT_ID`
 * and secret, or an `ovh.conf`), otherwise against the OVH simulator served on 127.0.0.1 for the example's lifetime.
 */
import { NodeFileSystem, NodeRuntime } from "@effect/platform-node"
import { NodeTransport } from "effect-cloud-clients/node"
import { type ConnectOptions, OvhClient, OvhConfig } from "effect-cloud-clients/ovh"
import * as OvhTesting from "effect-cloud-clients/ovh/testing"
import { Effect, Layer, type Scope } from "effect"
import { existsSync } from "node:fs"

/** The API the examples talk to. */
export interface Target {
  /** Options for `Ovh.connect` / `OvhClient.layer`; empty when the configuration chain is to be read. */
  readonly options: ConnectOptions
  /** Set when the API is a simulator this process serves. */
  readonly simulator: OvhTesting.OvhSimulator | undefined
  readonly description: string
}

/** Whether the environment or an `ovh.conf` names an OVH API to use. */
export const configured = (): boolean =>
  process.env["OVH_ENDPOINT"] !== undefined || OvhConfig.standardFiles().some((file) => existsSync(file))

/** A fresh simulator served on 127.0.0.1 for as long as the scope is open. */
export const simulated = (
  simulator: OvhTesting.MakeOptions = { ipmiDelay: "3 seconds" }
): Effect.Effect<Target, unknown, Scope.Scope> =>
  Effect.map(OvhTesting.serve(simulator), (served): Target => ({
    options: OvhTesting.clientOptions(served.simulator.keys, served.endpoint),
    simulator: served.simulator,
    description: `the OVH simulator at ${served.endpoint}`
  }))

/** The configured API, or else a simulator (see {@link simulated}). */
export const target = (): Effect.Effect<Target, unknown, Scope.Scope> =>
  configured()
    ? Effect.succeed({ options: {}, simulator: undefined, description: "the OVH API configured by OVH_* or ovh.conf" })
    : simulated()

/** The client of a target, for Effect programs. */
export const clientLayer = (target: Target): Layer.Layer<OvhClient, unknown> =>
  OvhClient.layer(target.options).pipe(Layer.provide(Layer.merge(NodeTransport.layer(), NodeFileSystem.layer)))

/** Runs an example program against the target, printing where. */
export const runExample = (example: (target: Target) => Effect.Effect<void, unknown>): void =>
  NodeRuntime.runMain(Effect.scoped(Effect.gen(function*() {
    const where = yield* target()
    console.log(`(${where.description})`)
    yield* example(where)
  })))
