/**
 * Request paths built from a template and path parameters.
 *
 * `Path.make("domains/{id}/start/", { id })` keeps the template (for span names and logs: it never holds ids) and
 * renders each parameter as exactly one percent-encoded segment. A parameter that is empty, a dot segment
 * (`.`, `..`) or not well-formed Unicode (a lone surrogate) is refused before anything is sent, so no input can make
 * a request reach another path, and none makes building it throw.
 *
 * `{+name}` (as in RFC 6570) takes a value made of several segments, such as an object name `photos/2024/a.jpg`:
 * each `/`-separated segment is encoded on its own, and a dot segment among them is refused all the same.
 *
 * {@link written} takes a path as a caller writes it, percent-escapes and all (`/ip/1.2.3.0%2F29`), and makes it the
 * one canonical form that is both signed and sent: a WHATWG URL parser (which every `HttpClient` runs) leaves it as it
 * is, so it cannot resolve `%2e%2e` or `\` into another path behind the caller's back.
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

/** An API's own rule for a parameter: the reason a value is refused, or `undefined` when it is accepted. */
export type Check = (value: string) => string | undefined

const placeholder = /\{([^{}]+)\}/g

const loneSurrogate = /[\uD800-\uDFFF]/u

/**
 * Where `value` holds a lone surrogate (UTF-16 that is not Unicode, which cannot be UTF-8 encoded), or `-1`.
 * Such a string makes `encodeURIComponent` throw and `TextEncoder` silently write U+FFFD instead.
 */
export const loneSurrogateAt = (value: string): number => value.search(loneSurrogate)

/** The problem of a value that is not well-formed Unicode, if it is not. */
export const unicodeProblem = (parameter: string, value: string): PathProblem | undefined => {
  const at = loneSurrogateAt(value)
  return at === -1 ? undefined : {
    parameter,
    message: `${parameter} is not well-formed Unicode: a lone surrogate U+${
      value.charCodeAt(at).toString(16).toUpperCase()
    } at index ${at}`
  }
}

/** Checks and encodes one path segment. */
export const segment = (parameter: string, value: string): Either.Either<string, PathProblem> => {
  if (value.length === 0) return Either.left({ parameter, message: `${parameter} must not be empty` })
  if (value === "." || value === "..") {
    return Either.left({ parameter, message: `${parameter} must not be a dot segment (got "${value}")` })
  }
  const problem = unicodeProblem(parameter, value)
  return problem === undefined ? Either.right(encodeURIComponent(value)) : Either.left(problem)
}

/** Checks and encodes a value of several `/`-separated segments. */
export const segments = (parameter: string, value: string): Either.Either<string, PathProblem> => {
  if (value.length === 0) return Either.left({ parameter, message: `${parameter} must not be empty` })
  const problem = unicodeProblem(parameter, value)
  if (problem !== undefined) return Either.left(problem)
  const parts: Array<string> = []
  for (const part of value.split("/")) {
    if (part === "." || part === "..") {
      return Either.left({ parameter, message: `${parameter} must not contain a dot segment (got "${value}")` })
    }
    parts.push(encodeURIComponent(part))
  }
  return Either.right(parts.join("/"))
}

/** Whether a segment of a written path is `.` or `..`, percent-encoded or not (`%2e%2E` is `..` to a URL parser). */
const isDotSegment = (part: string): boolean => {
  const plain = part.replace(/%2e/gi, ".")
  return plain === "." || plain === ".."
}

/**
 * RFC 3986 `pchar` (unreserved, sub-delims, `:` and `@`) plus `/`: what a written path keeps as it is. Every other
 * character is percent-encoded (as UTF-8), as are `%` signs that do not start an escape.
 */
const kept = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/

/**
 * A path as a caller writes it (`/me/bill/FR123`, `/ip/1.2.3.0%2F29`), in its canonical form: escapes kept as
 * written, every character a URL path cannot hold as such (space, `"`, `<`, `\`, `{`, `|`, non-ASCII, `?`, `#`, …)
 * percent-encoded once, a `%` that starts no escape encoded as `%25`. A dot segment (`..`, `%2e%2e`, `.%2E`) or a
 * lone surrogate is refused. The result reads the same to a WHATWG URL parser, so what is signed is what is sent.
 */
export const written = (parameter: string, path: string): Either.Either<string, PathProblem> => {
  const problem = unicodeProblem(parameter, path)
  if (problem !== undefined) return Either.left(problem)
  if (path.split("/").some(isDotSegment)) {
    return Either.left({ parameter, message: `${parameter} must not contain dot segments ("${path}")` })
  }
  let out = ""
  for (let i = 0; i < path.length;) {
    const char = String.fromCodePoint(path.codePointAt(i) ?? 0)
    if (char === "%" && /^%[0-9A-Fa-f]{2}/.test(path.slice(i, i + 3))) {
      out += path.slice(i, i + 3)
      i += 3
      continue
    }
    out += kept.test(char) ? char : encodeURIComponent(char)
    i += char.length
  }
  return Either.right(out)
}

/**
 * Builds a path from a template whose `{name}` placeholders are filled from `params`. `checks` adds an API's own
 * rules for some parameters (e.g. a Swift container name holds no `/`), applied before any encoding.
 */
export const make = <const T extends string>(
  template: T,
  params: Readonly<Record<ParamNames<T>, string>>,
  checks: Partial<Readonly<Record<ParamNames<T>, Check>>> = {}
): Path => {
  const values: Readonly<Record<string, string>> = params
  const rules: Readonly<Record<string, Check | undefined>> = checks
  let problem: PathProblem | undefined
  const rendered = template.replace(placeholder, (_, spec: string) => {
    const several = spec.startsWith("+")
    const name = several ? spec.slice(1) : spec
    const value = values[name] ?? ""
    const refused = rules[name]?.(value)
    const result = refused !== undefined
      ? Either.left({ parameter: name, message: refused })
      : several
      ? segments(name, value)
      : segment(name, value)
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

/**
 * A path under another one (a child resource under its parent's item): the templates are joined, so spans name
 * `email/domain/{domain}/redirection/{id}`, and so are the renderings (a refused parameter of either refuses the
 * whole). One `/` separates them unless the parent already ends with one.
 */
export const child = (parent: Path, tail: Path): Path => {
  const join = (a: string, b: string) => (a === "" || a.endsWith("/") || b === "" ? `${a}${b}` : `${a}/${b}`)
  return {
    template: join(parent.template, tail.template),
    rendered: Either.flatMap(parent.rendered, (head) => Either.map(tail.rendered, (rest) => join(head, rest)))
  }
}
