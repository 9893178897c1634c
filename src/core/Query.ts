/**
 * Query parameters declared once: each parameter's name in TypeScript, its name on the wire (dotted names such as
 * OVH's `date.from` included) and how its value is written (booleans as `true`/`false` or `1`/`0`, dates as
 * ISO-8601, lists comma-joined or as repeated keys). {@link encode} turns a caller's values into the engine's query;
 * absent values are left out.
 *
 * @since 0.1.0
 * @packageDocumentation
 */

/** The text of one parameter on the wire: one value, or several (the key repeated). */
export type WireValue = string | ReadonlyArray<string>

/** One declared parameter taking values of type `A`. */
export interface Param<A> {
  /** Writes the value into the query (usually under one name; a parameter may write several). */
  write(value: A, into: Record<string, WireValue>): void
}

/** The declaration of a listing's parameters: TypeScript name → parameter. */
export type Spec = Readonly<Record<string, Param<unknown>>>

/** The values a caller gives for a declaration: every parameter optional. */
export type Values<S extends Spec> = {
  readonly [K in keyof S]?: (S[K] extends Param<infer A> ? A : never) | undefined
}

/** A parameter written as `wire=<text>`. */
export const param = <A>(wire: string, text: (value: A) => WireValue): Param<A> => ({
  write: (value, into) => {
    into[wire] = text(value)
  }
})

/** A text parameter. */
export const string = (wire: string): Param<string> => param(wire, (value) => value)

/** A number parameter. */
export const number = (wire: string): Param<number> => param(wire, String)

/** How a boolean is written: `true`/`false` (the default) or `1`/`0`. */
export type BooleanStyle = "word" | "digit"

/** A boolean parameter. */
export const boolean = (wire: string, style: BooleanStyle = "word"): Param<boolean> =>
  param(wire, (value) => (style === "digit" ? (value ? "1" : "0") : value ? "true" : "false"))

/** A parameter sent only when `true`, as `wire=<value>` (Nova's `all_tenants=1`); `false` sends nothing. */
export const flag = (wire: string, value = "1"): Param<boolean> => ({
  write: (on, into) => {
    if (on) into[wire] = value
  }
})

/** A date parameter, written as ISO-8601 (`2024-01-01T00:00:00.000Z`). */
export const date = (wire: string): Param<Date> => param(wire, (value) => value.toISOString())

/** How a list is written: comma-joined in one value, or the key repeated once per item. */
export type ListStyle = "comma" | "repeat"

/** A list parameter. */
export const list = (wire: string, style: ListStyle = "repeat"): Param<ReadonlyArray<string>> =>
  param(wire, (values) => (style === "comma" ? values.join(",") : values))

/** A parameter with one of a few literal values. */
export const literal = <const L extends string>(wire: string): Param<L> => param(wire, (value: L) => value)

/** Encodes a caller's values with a declaration; absent (`undefined`) and `null` values are left out. */
export const encode = <S extends Spec>(spec: S, values: Partial<Values<S>>): Record<string, WireValue> => {
  const out: Record<string, WireValue> = {}
  const given: Readonly<Record<string, unknown>> = values
  for (const name in spec) {
    const value = given[name]
    if (value !== undefined && value !== null) spec[name]?.write(value, out)
  }
  return out
}
