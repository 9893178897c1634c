/**
 * `simulate <api> [options]`: serves the API's simulator on 127.0.0.1, prints its banner and pid, and runs until
 * stopped (SIGINT, SIGTERM, SIGHUP, or npm's process gone — see `Lifetime`); closing its scope closes the port and
 * removes what it made (the OVH `--tls` certificate).
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { parseArgs } from "node:util"
import { type CliError, listenError, UsageError } from "./Errors.js"
import { stopRequested } from "./Lifetime.js"
import type { SimulateOptions } from "./Simulators.js"
import { type Api, isApi, simulate as usage } from "./Usage.js"

/**
 * A parsed `simulate` command line: print the usage, or serve `api` with `options`.
 *
 * @since 0.1.0
 */
export type SimulateCommand =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Serve"; readonly api: Api; readonly options: SimulateOptions }

const wrong = (message: string) => Either.left(new UsageError({ message, usage }))

const whole = (name: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  text === undefined
    ? Either.right(fallback)
    : /^\d+$/.test(text) && Number(text) <= max
    ? Either.right(Number(text))
    : wrong(`--${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from 0 to ${max}` : ""}, not "${text}"`)

const duration = (text: string | undefined) =>
  Option.match(text === undefined ? Option.some(Duration.seconds(3)) : Duration.decodeUnknown(text), {
    onNone: () => wrong(`--task-duration must be a duration such as "3 seconds" or "500 millis", not "${text}"`),
    onSome: (value) => Either.right(value)
  })

/** The options only one API's simulator takes, and that API. */
const onlyFor: ReadonlyArray<readonly ["domains" | "max-instances" | "tls", Api]> = [
  ["domains", "veil"],
  ["max-instances", "openstack"],
  ["tls", "ovh"]
]

/**
 * Reads the arguments after `simulate`; a wrong API name or option is a {@link UsageError} saying what was wrong.
 *
 * @since 0.1.0
 */
export const parse = (args: ReadonlyArray<string>): Either.Either<SimulateCommand, UsageError> =>
  Either.gen(function*() {
    const parsed = yield* Either.try({
      try: () =>
        parseArgs({
          args: [...args],
          allowPositionals: true,
          strict: true,
          options: {
            port: { type: "string" },
            "task-duration": { type: "string" },
            domains: { type: "string" },
            "max-instances": { type: "string" },
            tls: { type: "boolean" },
            help: { type: "boolean", short: "h" }
          }
        }),
      // parseArgs's first sentence says what was wrong; the rest is advice about `--` that usage covers better.
      catch: (error) => new UsageError({ message: (error instanceof Error ? error.message : String(error)).split(/\.\s/)[0] ?? "", usage })
    })
    const { positionals, values } = parsed
    const [api, ...extra] = positionals
    if (values.help === true || api === "help") return { _tag: "Help" } as const
    if (api === undefined) return yield* wrong("no API given")
    if (!isApi(api)) return yield* wrong(`unknown API "${api}"`)
    if (extra[0] !== undefined) return yield* wrong(`unexpected argument "${extra[0]}"`)
    for (const [option, owner] of onlyFor) {
      if (values[option] !== undefined && owner !== api) return yield* wrong(`--${option} is an option of the ${owner} simulator only`)
    }
    const options: SimulateOptions = {
      port: yield* whole("port", values.port, 0, 65535),
      taskDuration: yield* duration(values["task-duration"]),
      domains: yield* whole("domains", values.domains, 12),
      maxInstances: yield* whole("max-instances", values["max-instances"], 10),
      tls: values.tls === true
    }
    return { _tag: "Serve", api, options } as const
  })

/**
 * The line that ends the banner: the pid to stop the simulator with (a harness may wait for "Press Ctrl+C to stop").
 *
 * @since 0.1.0
 */
export const stopLine = (pid: number): string => `pid ${pid}. Press Ctrl+C to stop, or kill ${pid}.`

/**
 * Serves `api`'s simulator until stopped.
 *
 * @since 0.1.0
 */
export const serve = (api: Api, options: SimulateOptions): Effect.Effect<void, CliError, FileSystem.FileSystem | Path.Path> =>
  Effect.scoped(Effect.gen(function*() {
    const stopped = yield* stopRequested
    // Loaded here, not above: `--help` and a wrong command line answer without loading every simulator.
    const { simulators } = yield* Effect.promise(() => import("./Simulators.js"))
    const banner = yield* simulators[api](options).pipe(
      Effect.mapError((error) => (error._tag === "ServeError" ? listenError(options.port)(error) : error))
    )
    yield* Console.log([...banner, stopLine(process.pid)].join("\n"))
    yield* stopped
  }))
