/**
 * The `effect-cloud-clients` command line: `simulate <api> [options]`, `help [command]`, `--help`, `--version`.
 * {@link parse} reads it without running anything; {@link execute} runs what it read.
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type CliError, UsageError } from "./Errors.js"
import * as Simulate from "./Simulate.js"
import type { SimulateOptions } from "./Simulators.js"
import * as Usage from "./Usage.js"
import { version } from "./Version.js"

/**
 * A command line that can be run: print a text (a usage), print the version, or serve a simulator.
 *
 * @since 0.1.0
 */
export type Command =
  | { readonly _tag: "Print"; readonly text: string }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Simulate"; readonly api: Usage.Api; readonly options: SimulateOptions }

const wrong = (message: string) => Either.left(new UsageError({ message, usage: Usage.main }))

const print = (text: string): Either.Either<Command, UsageError> => Either.right({ _tag: "Print", text })

/**
 * Reads the command line `args` (the arguments after the program's name); a wrong one is a {@link UsageError}.
 *
 * @since 0.1.0
 */
export const parse = (args: ReadonlyArray<string>): Either.Either<Command, UsageError> => {
  const [first, ...rest] = args
  switch (first) {
    case undefined:
      return wrong("no command given")
    case "-h":
    case "--help":
      return print(Usage.main)
    case "help":
      return rest[0] === undefined
        ? print(Usage.main)
        : rest[0] === "simulate"
        ? print(Usage.simulate)
        : wrong(`no help for "${rest[0]}": the commands are simulate and help`)
    case "--version":
      return Either.right({ _tag: "Version" })
    case "simulate":
      return Either.map(Simulate.parse(rest), (command): Command =>
        command._tag === "Help" ? { _tag: "Print", text: Usage.simulate } : { _tag: "Simulate", api: command.api, options: command.options })
    default:
      return wrong(first.startsWith("-") ? `unknown option "${first}"` : `unknown command "${first}"`)
  }
}

/**
 * Runs a parsed {@link Command}; `Simulate` runs until stopped.
 *
 * @since 0.1.0
 */
export const execute = (command: Command): Effect.Effect<void, CliError, FileSystem.FileSystem | Path.Path> => {
  switch (command._tag) {
    case "Print":
      return Console.log(command.text)
    case "Version":
      return Effect.flatMap(version, Console.log)
    case "Simulate":
      return Simulate.serve(command.api, command.options)
  }
}

/**
 * Reads and runs the command line `args`.
 *
 * @since 0.1.0
 */
export const run = (args: ReadonlyArray<string>): Effect.Effect<void, CliError, FileSystem.FileSystem | Path.Path> =>
  Effect.flatMap(parse(args), execute)
