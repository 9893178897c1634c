/**
 * JSON in simulators: the JSON values they answer with, reading the JSON a client sent, and its fields.
 *
 * @since 0.1.0
 */
import { HttpServerRequest } from "@effect/platform"
import { Effect, Either, Predicate } from "effect"

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

/**
 * Reads a record's field when the value is a record.
 *
 * @since 0.1.0
 */
export const field = (value: unknown, key: string): unknown => (Predicate.isRecord(value) ? value[key] : undefined)

/**
 * A field that is a string, or `undefined`.
 *
 * @since 0.1.0
 */
export const stringField = (value: unknown, key: string): string | undefined => {
  const found = field(value, key)
  return typeof found === "string" ? found : undefined
}

/**
 * A field that is a boolean, or `undefined`.
 *
 * @since 0.1.0
 */
export const booleanField = (value: unknown, key: string): boolean | undefined => {
  const found = field(value, key)
  return typeof found === "boolean" ? found : undefined
}

/**
 * A string map (every value a string), or `undefined` when the value is not one.
 *
 * @since 0.1.0
 */
export const stringMap = (value: unknown): Record<string, string> | undefined => {
  if (!Predicate.isRecord(value)) return undefined
  const out: Record<string, string> = {}
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") return undefined
    out[key] = item
  }
  return out
}

/**
 * Parses a request body: `{}` when it is blank, the parsed value, or Left with the parser's message.
 *
 * @since 0.1.0
 */
export const parse = (text: string): Either.Either<unknown, string> => {
  if (text.trim() === "") return Either.right({})
  try {
    return Either.right(JSON.parse(text))
  } catch (cause) {
    return Either.left(cause instanceof Error ? cause.message : String(cause))
  }
}

/**
 * Reads a body as received, for journals and raw answers: `undefined` when empty, the parsed JSON, or the text
 * itself when it is not JSON.
 *
 * @since 0.1.0
 */
export const parseLenient = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * Why a JSON body could not be had: the body could not be read, or it is not JSON (`message`: the parser's).
 *
 * @since 0.1.0
 */
export type BodyProblem = { readonly _tag: "Unreadable" } | { readonly _tag: "NotJson"; readonly message: string }

/**
 * The request's JSON body (`{}` when blank); each API words the problems in its own error.
 *
 * @since 0.1.0
 */
export const readBody = <E>(
  onProblem: (problem: BodyProblem) => E
): Effect.Effect<unknown, E, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.flatMap(
      Effect.mapError(request.text, () => onProblem({ _tag: "Unreadable" })),
      (text) =>
        Either.match(parse(text), {
          onLeft: (message) => Effect.fail(onProblem({ _tag: "NotJson", message })),
          onRight: Effect.succeed
        })
    ))
