#!/usr/bin/env node
/**
 * The `effect-cloud-clients` executable (`npx effect-cloud-clients simulate veil`): runs the command line and exits
 * 0 on success or when stopped by a signal, 2 for a wrong command line, 1 for any other failure, which it reports on
 * stderr.
 *
 * The command's modules import effect module by module (`effect/Effect`, …), not the `effect` index: `--help` and a
 * wrong command line answer without loading all of effect, and `simulate` loads the simulators only when it serves.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { run } from "./Cli.js"
import { exitCode, render } from "./Errors.js"

const program = run(process.argv.slice(2)).pipe(
  Effect.tapErrorCause((cause) => (Cause.isInterruptedOnly(cause) ? Effect.void : Console.error(render(cause)))),
  Effect.provide(Layer.merge(NodeFileSystem.layer, NodePath.layer))
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => onExit(exitCode(exit))
})
