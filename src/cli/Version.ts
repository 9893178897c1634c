/**
 * The package's version, read at run time from the `package.json` two levels above this module: the package root
 * both for `src/cli/Version.ts` (run from a clone) and `dist/cli/Version.js` (run from an installed package).
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import { CommandError } from "./Errors.js"

/**
 * The `version` of the package's `package.json`.
 *
 * @since 0.1.0
 */
export const version: Effect.Effect<string, CommandError, FileSystem.FileSystem | Path.Path> = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const file = yield* path.fromFileUrl(new URL("../../package.json", import.meta.url))
  const text = yield* fs.readFileString(file)
  const json: unknown = yield* Effect.try(() => JSON.parse(text))
  return Predicate.hasProperty(json, "version") && Predicate.isString(json.version)
    ? json.version
    : yield* Effect.fail(new CommandError({ message: `${file} has no version` }))
}).pipe(
  Effect.catchIf(
    (error) => !(error instanceof CommandError),
    (error) => Effect.fail(new CommandError({ message: `cannot read the package version: ${error.message}` }))
  )
)
