/**
 * Why the command stopped short, what it says about it, and the exit code each reason gives: 2 for a wrong command
 * line (with the usage), 1 for anything that went wrong while running.
 *
 * @since 0.1.0
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"

/**
 * A command line that cannot be run: what was wrong, and the usage to print after it (exit code 2).
 *
 * @since 0.1.0
 */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly message: string
  readonly usage: string
}> {}

/**
 * The simulator could not listen on 127.0.0.1:`port`; `code` is the system's error code (`EADDRINUSE`, …) when
 * there is one (exit code 1).
 *
 * @since 0.1.0
 */
export class ListenError extends Data.TaggedError("ListenError")<{
  readonly port: number
  readonly code: string | undefined
  readonly detail: string
}> {
  override get message(): string {
    const free = "choose another with --port, or --port 0 for any free port"
    switch (this.code) {
      case "EADDRINUSE":
        return `port ${this.port} on 127.0.0.1 is already in use (EADDRINUSE): ${free}`
      case "EACCES":
        return `port ${this.port} on 127.0.0.1 needs privileges this process does not have (EACCES): ${free}`
      default:
        return `cannot listen on 127.0.0.1:${this.port}: ${this.detail}`
    }
  }
}

/**
 * Anything else that stopped the command, said in one sentence (exit code 1).
 *
 * @since 0.1.0
 */
export class CommandError extends Data.TaggedError("CommandError")<{ readonly message: string }> {}

/**
 * Every reason the command stops short.
 *
 * @since 0.1.0
 */
export type CliError = UsageError | ListenError | CommandError

const errnoCode = (cause: unknown): string | undefined =>
  cause instanceof Error && "code" in cause && typeof cause.code === "string" ? cause.code : undefined

/**
 * The {@link ListenError} of a server that did not start on `port`.
 *
 * @since 0.1.0
 */
export const listenError = (port: number) => (error: HttpServerError.ServeError): ListenError =>
  new ListenError({
    port,
    code: errnoCode(error.cause),
    detail: error.cause instanceof Error ? error.cause.message : String(error.cause)
  })

/**
 * What the command prints on stderr for a failure: the message (and the usage after a {@link UsageError}), or the
 * whole cause of a defect.
 *
 * @since 0.1.0
 */
export const render = (cause: Cause.Cause<CliError>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => Cause.pretty(cause),
    onSome: (error) => (error._tag === "UsageError" ? `${error.message}\n\n${error.usage}` : error.message)
  })

/**
 * The process's exit code for the command's outcome: 0 when it succeeded or was stopped by a signal, 2 for a
 * {@link UsageError}, 1 otherwise.
 *
 * @since 0.1.0
 */
export const exitCode = <A, E>(exit: Exit.Exit<A, E>): number =>
  Exit.match(exit, {
    onSuccess: () => 0,
    onFailure: (cause) =>
      Cause.isInterruptedOnly(cause)
        ? 0
        : Option.match(Cause.failureOption(cause), { onNone: () => 1, onSome: (error) => (error instanceof UsageError ? 2 : 1) })
  })
