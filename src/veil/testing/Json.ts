/**
 * The JSON values the VeiL simulator answers with.
 *
 * @since 0.1.0
 */

/**
 * Any JSON value.
 *
 * @since 0.1.0
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject

/**
 * A JSON object.
 *
 * @since 0.1.0
 */
export interface JsonObject {
  readonly [key: string]: Json
}

/**
 * Narrows an unknown value to a plain JSON object (not an array, not null).
 *
 * @since 0.1.0
 */
export const isObject = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Keeps only the given keys of an object, in the given order (keys the object lacks are skipped).
 *
 * @since 0.1.0
 */
export const pick = (object: JsonObject, keys: ReadonlyArray<string>): JsonObject =>
  Object.fromEntries(keys.flatMap((key): ReadonlyArray<readonly [string, Json]> => {
    const value = object[key]
    return value === undefined ? [] : [[key, value]]
  }))
