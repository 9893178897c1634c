/**
 * The Python client's retry options (`VeilRetryConfiguration`) mapped onto the core {@link RetryPolicy}.
 *
 * Semantics kept exactly: `num_of_attempts` counts every attempt (0 or 1: no retry); the wait after attempt n is
 * `min(timeout × timeout_increase_step^(n-1), max_timeout)` seconds, without jitter; statuses 500–599 are always
 * retried, plus `status_codes`; errors are retried only when their kind is listed in `exceptions`.
 *
 * @since 0.1.0
 */
import type { ErrorKind } from "../core/Errors.js"
import * as RetryPolicy from "../core/RetryPolicy.js"

/** The Python client's retry options, under their own names. */
export interface VeilRetryOptions {
  /** Total attempts including the first; 0 or 1 means no retry. Default 0. */
  readonly num_of_attempts?: number | undefined
  /** Base wait in seconds. Default 1. */
  readonly timeout?: number | undefined
  /** Longest single wait in seconds. Default 30. */
  readonly max_timeout?: number | undefined
  /** Multiplier of the wait per attempt. Default 2. */
  readonly timeout_increase_step?: number | undefined
  /** Statuses retried on top of 500–599 (the seed's example retries 404). */
  readonly status_codes?: Iterable<number> | undefined
  /** Error kinds retried (the Python client lists exception classes), e.g. `["TransportError", "TimeoutError"]`. */
  readonly exceptions?: Iterable<ErrorKind> | undefined
}

const serverErrors = Array.from({ length: 100 }, (_, i) => 500 + i)

/** Maps the Python client's options onto a core policy. */
export const fromVeilRetryOptions = (options: VeilRetryOptions): RetryPolicy.RetryPolicy =>
  RetryPolicy.make({
    attempts: Math.max(1, options.num_of_attempts ?? 0),
    baseDelay: `${options.timeout ?? 1} seconds`,
    maxDelay: `${options.max_timeout ?? 30} seconds`,
    factor: options.timeout_increase_step ?? 2,
    jitter: 0,
    statuses: [...serverErrors, ...(options.status_codes ?? [])],
    kinds: options.exceptions ?? []
  })
