/**
 * What the request engine and a transport agree on beyond the `HttpClient` interface: a transport that bounds each
 * attempt itself (undici's headers and body timeouts, a timer of its own) provides {@link AttemptTimeouts}; the
 * engine then hands it the attempt's timeout through {@link currentAttemptTimeout} instead of racing a timer of its
 * own, and reads the transport's timeout failures as `TimeoutError`s. Without it (in-process simulators, fetch, test
 * doubles) the engine races `Effect.timeoutFail`, which the test clock drives.
 *
 * @since 0.1.0
 */
import { Context, type Duration, FiberRef, Option } from "effect"
import { globalValue } from "effect/GlobalValue"

/** Provided by a transport that enforces {@link currentAttemptTimeout} itself. */
export class AttemptTimeouts extends Context.Tag("effect-cloud-clients/AttemptTimeouts")<
  AttemptTimeouts,
  {
    /** Whether a failure of the transport is its own timeout (its error's code, e.g. undici's `UND_ERR_HEADERS_TIMEOUT`). */
    readonly isTimeout: (code: string) => boolean
  }
>() {}

/** The timeout of the attempt under way, for a transport that provides {@link AttemptTimeouts}. */
export const currentAttemptTimeout: FiberRef.FiberRef<Option.Option<Duration.Duration>> = globalValue(
  "effect-cloud-clients/currentAttemptTimeout",
  () => FiberRef.unsafeMake(Option.none<Duration.Duration>())
)
