/**
 * When and how a failed request is sent again.
 *
 * A policy is plain data (so it can come from config files and be shown in logs); {@link schedule} turns it into
 * an Effect `Schedule` over {@link ApiError}s: exponential backoff with a cap and jitter, a bounded number of
 * attempts, retry only for the listed statuses or error kinds, and at least the server's `Retry-After`.
 *
 * Whether a request may be sent twice at all is decided by the request, not the policy: a request is retried only
 * when it is replay-safe (an idempotent method, an idempotency key the server honours, or the caller's explicit
 * opt-in). See {@link shouldRetry}.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Option, Schedule } from "effect"
import { type ApiError, type ErrorKind, isCertificateError, retryAfterOf, statusOf } from "./Errors.js"

/** A retry policy: plain, serialisable data. */
export interface RetryPolicy {
  /** Total attempts, the first one included; 1 means "never retry". */
  readonly attempts: number
  /** Wait before the first retry. */
  readonly baseDelay: Duration.Duration
  /** Multiplier applied to the wait after every retry. */
  readonly factor: number
  /** No single wait is longer than this (before `Retry-After`). */
  readonly maxDelay: Duration.Duration
  /** Random spread of each wait: 0.2 means ×[0.8, 1.2]; 0 means exact waits. */
  readonly jitter: number
  /** Statuses that are retried. */
  readonly statuses: ReadonlySet<number>
  /** Error kinds that are retried whatever their status (e.g. `TransportError`). */
  readonly kinds: ReadonlySet<ErrorKind>
  /** A `Retry-After` longer than this is not waited for: the error is returned instead. */
  readonly maxRetryAfter: Duration.Duration
  /**
   * No retry starts, nor is waited for, beyond this time since the first attempt began: the ceiling of a retried
   * call (the attempt in flight is bounded by its own timeout).
   */
  readonly maxElapsed: Duration.Duration
}

/** Options accepted by {@link make}; every field has a default. */
export interface RetryOptions {
  readonly attempts?: number
  readonly baseDelay?: Duration.DurationInput
  readonly factor?: number
  readonly maxDelay?: Duration.DurationInput
  readonly jitter?: number
  readonly statuses?: Iterable<number>
  readonly kinds?: Iterable<ErrorKind>
  readonly maxRetryAfter?: Duration.DurationInput
  readonly maxElapsed?: Duration.DurationInput
}

/** Statuses retried by default: timeouts, rate limiting and the transient 5xx. */
export const defaultStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/** Kinds retried by default: failures that say nothing about the request itself. */
export const defaultKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  "TransportError",
  "TimeoutError",
  "RateLimitedError",
  "UnavailableError"
])

/**
 * Builds a policy; defaults: 4 attempts, 500 ms × 2 up to 30 s, ±20 % jitter, Retry-After up to 1 min, no retry
 * beyond 1 min after the first attempt began.
 */
export const make = (options: RetryOptions = {}): RetryPolicy => ({
  attempts: Math.max(1, Math.floor(options.attempts ?? 4)),
  baseDelay: Duration.decode(options.baseDelay ?? "500 millis"),
  factor: options.factor ?? 2,
  maxDelay: Duration.decode(options.maxDelay ?? "30 seconds"),
  jitter: Math.min(Math.max(options.jitter ?? 0.2, 0), 1),
  statuses: new Set(options.statuses ?? defaultStatuses),
  kinds: new Set(options.kinds ?? defaultKinds),
  maxRetryAfter: Duration.decode(options.maxRetryAfter ?? "1 minute"),
  maxElapsed: Duration.decode(options.maxElapsed ?? "1 minute")
})

/** The policy that never retries. */
export const none: RetryPolicy = make({ attempts: 1 })

/** The default policy (see {@link make}). */
export const defaultPolicy: RetryPolicy = make()

/** Whether `error` is one the policy retries (ignoring the attempt count and the request's replay safety). */
export const isRetryable = (policy: RetryPolicy, error: ApiError): boolean => {
  if (isCertificateError(error)) return false
  const status = statusOf(error)
  const wanted = policy.kinds.has(error._tag) || (status !== undefined && policy.statuses.has(status))
  if (!wanted) return false
  return Option.match(retryAfterOf(error), {
    onNone: () => true,
    onSome: (wait) => Duration.lessThanOrEqualTo(wait, policy.maxRetryAfter)
  })
}

/** Whether a request may be retried after `error`: the request must be replay-safe and the error retryable. */
export const shouldRetry = (policy: RetryPolicy, replaySafe: boolean, error: ApiError): boolean =>
  replaySafe && isRetryable(policy, error)

/** The waits of the policy's backoff alone (no jitter, no Retry-After): for docs, logs and tests. */
export const delays = (policy: RetryPolicy): ReadonlyArray<Duration.Duration> =>
  Array.from({ length: policy.attempts - 1 }, (_, n) =>
    Duration.min(Duration.times(policy.baseDelay, Math.pow(policy.factor, n)), policy.maxDelay))

/**
 * The policy as a `Schedule` whose input is the error of the failed attempt.
 *
 * The wait after attempt n is `min(baseDelay × factor^(n-1) × jitter, maxDelay)`, raised to the server's
 * `Retry-After` when that is longer. The schedule stops after `attempts - 1` retries, on an error the policy does
 * not retry, or when the request is not replay-safe.
 */
export const schedule = (
  policy: RetryPolicy,
  replaySafe: boolean
): Schedule.Schedule<unknown, ApiError> => {
  const known = replaySafe ? schedules.get(policy) : undefined
  if (known !== undefined) return known

  const backoff = Schedule.exponential(policy.baseDelay, policy.factor).pipe(
    policy.jitter > 0
      ? Schedule.jitteredWith({ min: 1 - policy.jitter, max: 1 + policy.jitter })
      : (self) => self,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, policy.maxDelay))
  )
  const serverWait = Schedule.identity<ApiError>().pipe(
    Schedule.addDelay((error) => Option.getOrElse(retryAfterOf(error), () => Duration.zero))
  )
  const built = backoff.pipe(
    Schedule.intersect(serverWait),
    Schedule.intersect(Schedule.recurs(policy.attempts - 1)),
    Schedule.whileInput((error: ApiError) => shouldRetry(policy, replaySafe, error))
  )
  if (replaySafe) schedules.set(policy, built)
  return built
}

/** Schedules are pure values: build each policy's once, not once per request. */
const schedules = new WeakMap<RetryPolicy, Schedule.Schedule<unknown, ApiError>>()

/** How a retried call went, when it ends in failure: for the error's message. */
export interface Outcome {
  /** Attempts made, the first one included. */
  readonly attempts: number
  /** Milliseconds from the start of the first attempt to the end of the last. */
  readonly elapsedMillis: number
}

/** Hooks of {@link retry}. */
export interface RetryHooks {
  /** Sees each error that is about to be retried, with the 1-based number of the retry (logs, span attributes). */
  readonly onRetry?: ((error: ApiError, retry: number) => Effect.Effect<void>) | undefined
  /** Rewrites the final error of a call that was retried (to say what was tried). */
  readonly onGiveUp?: ((error: ApiError, outcome: Outcome) => ApiError) | undefined
}

/**
 * Retries `effect` under the policy. The first attempt runs as is: the schedule is only started after a failure the
 * policy retries (a request that succeeds pays nothing for retrying). No retry starts, or is waited for, beyond
 * `maxElapsed` after the first attempt began.
 */
export const retry = <A, R>(
  effect: Effect.Effect<A, ApiError, R>,
  policy: RetryPolicy,
  replaySafe: boolean,
  hooks: RetryHooks = {}
): Effect.Effect<A, ApiError, R> => {
  if (policy.attempts <= 1 || !replaySafe) return effect
  return Effect.flatMap(Clock.currentTimeMillis, (start) =>
    Effect.catchAll(effect, (first) => {
      if (!shouldRetry(policy, replaySafe, first)) return Effect.fail(first)
      const ceiling = Duration.toMillis(policy.maxElapsed)
      const bounded = Schedule.delays(schedule(policy, replaySafe)).pipe(
        Schedule.checkEffect((_, delay) =>
          Effect.map(Clock.currentTimeMillis, (now) => now - start + Duration.toMillis(delay) <= ceiling))
      )
      return Effect.flatMap(Schedule.driver(bounded), (driver) => {
        let retries = 0
        const giveUp = (error: ApiError) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.fail(
              hooks.onGiveUp === undefined || retries === 0
                ? error
                : hooks.onGiveUp(error, { attempts: retries + 1, elapsedMillis: now - start })
            ))
        const next = (error: ApiError): Effect.Effect<A, ApiError, R> =>
          Effect.matchEffect(driver.next(error), {
            onFailure: () => giveUp(error),
            onSuccess: () => {
              retries++
              const again = hooks.onRetry === undefined ? effect : Effect.zipRight(hooks.onRetry(error, retries), effect)
              return Effect.catchAll(again, next)
            }
          })
        return next(first)
      })
    }))
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date, RFC 9110 §10.2.3) into milliseconds from `now`.
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
