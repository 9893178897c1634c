/**
 * Captures what an effect leaves behind for operators — spans (names and attributes) and log lines (messages and
 * annotations) — so tests can assert on them, e.g. that no secret ever appears there.
 */
import { Effect, Inspectable, Logger, LogLevel, Tracer } from "effect"

/** A finished span as recorded. */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: ReadonlyMap<string, unknown>
}

/** Runs `effect` recording every span and every log line (all levels) it produces. */
export const observe = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const spans: Array<Tracer.Span> = []
    const logs: Array<string> = []
    const base = yield* Effect.tracer
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    const logger = Logger.make(({ annotations, message, logLevel }) => {
      logs.push(`${logLevel.label} ${Inspectable.toStringUnknown(message)} ${Inspectable.toStringUnknown(Object.fromEntries(annotations))}`)
    })
    const exit = yield* effect.pipe(
      Effect.withTracer(tracer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.exit
    )
    const recorded: ReadonlyArray<RecordedSpan> = spans.map((s) => ({ name: s.name, attributes: s.attributes }))
    return { exit, spans: recorded, logs: logs.slice() }
  })

/** Everything recorded, as one text, for "does this secret appear anywhere" checks. */
export const everything = (recorded: { readonly spans: ReadonlyArray<RecordedSpan>; readonly logs: ReadonlyArray<string> }): string =>
  [
    ...recorded.logs,
    ...recorded.spans.flatMap((s) => [s.name, ...[...s.attributes].map(([k, v]) => `${k}=${Inspectable.toStringUnknown(v)}`)])
  ].join("\n")
