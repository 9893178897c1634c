/**
 * Request paths built from a template and path parameters.
 *
 * `Path.make("domains/{id}/start/", { id })` keeps the template (for span names and logs: it never holds ids) and
 * renders each parameter as exactly one percent-encoded segment. A parameter that is empty or a dot segment
 * (`.`, `..`) is refused before anything is sent, so no input can make a request reach another path.
 *
 * `{+name}` (as in RFC 6570) takes a value made of several segments, such as an object name `photos/2024/a.jpg`:
 * each `/`-separated segment is encoded on its own, and a dot segment among them is refused all the same.
 *
 * @since 0.1.0
 */
import { Either } from "effect"

/** The names of the `{name}` placeholders of a template. */
export type ParamNames<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `+${infer N}` ? N : P) | ParamNames<Rest>
  : never

/** Why a path parameter was refused. */
export interface PathProblem {
  readonly parameter: string
  readonly message: string
}

/** A request path: its template and its rendering (or why it could not be rendered). */
export interface Path {
  /** The template, e.g. `domains/{id}/start/`; safe to log. */
  readonly template: string
  /** The rendered, encoded path relative to the API's base URL, or the problem with a parameter. */
  readonly rendered: Either.Either<string, PathProblem>
}

const placeholder = /\{([^{}]+)\}/g

/** Checks and encodes one path segment. */
export const segment = (parameter: string, value: string): Either.Either<string, PathProblem> => {
  if (value.length === 0) return Either.left({ parameter, message: `${parameter} must not be empty` })
  if (value === "." || value === "..") {
    return Either.left({ parameter, message: `${parameter} must not be a dot segment (got "${value}")` })
  }
  return Either.right(encodeURIComponent(value))
}

/** Checks and encodes a value of several `/`-separated segments. */
export const segments = (parameter: string, value: string): Either.Either<string, PathProblem> => {
  if (value.length === 0) return Either.left({ parameter, message: `${parameter} must not be empty` })
  const parts: Array<string> = []
  for (const part of value.split("/")) {
    if (part === "." || part === "..") {
      return Either.left({ parameter, message: `${parameter} must not contain a dot segment (got "${value}")` })
    }
    parts.push(encodeURIComponent(part))
  }
  return Either.right(parts.join("/"))
}

/** Builds a path from a template whose `{name}` placeholders are filled from `params`. */
export const make = <const T extends string>(template: T, params: Readonly<Record<ParamNames<T>, string>>): Path => {
  const values: Readonly<Record<string, string>> = params
  let problem: PathProblem | undefined
  const rendered = template.replace(placeholder, (_, spec: string) => {
    const several = spec.startsWith("+")
    const name = several ? spec.slice(1) : spec
    const value = values[name] ?? ""
    const result = several ? segments(name, value) : segment(name, value)
    if (Either.isLeft(result)) {
      problem ??= result.left
      return ""
    }
    return result.right
  })
  return { template, rendered: problem === undefined ? Either.right(rendered) : Either.left(problem) }
}

/** A path without parameters. */
export const literal = (template: string): Path => ({ template, rendered: Either.right(template) })
