/**
 * Handles: values an operation answers that carry effects of their own (a task to wait on, a creation with its
 * task). A service marks them so the Promise facade lifts their effects too, while it hands every other result
 * (decoded bodies, pages of rows) out as it is, without looking inside.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"

/** The mark of a handle. */
export const HandleTypeId: unique symbol = Symbol.for("effect-cloud-clients/Handle")

/** The type of the mark of a handle. */
export type HandleTypeId = typeof HandleTypeId

/** A value whose effects the Promise facade lifts: its effects become async methods, its nested handles are lifted too. */
export interface Handle {
  readonly [HandleTypeId]: HandleTypeId
}

/** Marks `fields` as a handle. */
export const make = <A extends object>(fields: A): A & Handle => ({ ...fields, [HandleTypeId]: HandleTypeId })

/** Whether a value is a marked handle. */
export const isHandle = (value: unknown): value is Handle => Predicate.hasProperty(value, HandleTypeId)
