/**
 * Decoding response bodies, and why a body did not decode, said safely: every problem with its path and what was
 * expected, never the value that was found — a value can be a secret (a token in an answer of the wrong shape, even
 * under `Schema.Redacted`), huge (a 16 MB body) or too deep to print (10,000 nested arrays). Only its kind is named
 * ("got a string").
 *
 * {@link decoder} first asks the schema's guard (`Guard.guard`), which checks types exactly as Schema decode does:
 * a body that already is its decoded value — no transformation to apply, every type right — is answered as it is,
 * the very object `JSON.parse` made, at a small part of Schema's cost. Any other body, and every body of a schema
 * that transforms (`Schema.Redacted`, `Schema.Date`, defaults, classes), is decoded by Schema, which also builds
 * the path-naming error.
 *
 * Fields a schema does not declare: Schema decode drops them from its output (`onExcessProperty: "ignore"`), a
 * body answered as it is keeps them. Either way they are never checked, and nothing may rely on their absence —
 * compare decoded values by the fields the schema declares (`toMatchObject`, not `toEqual`). A field that holds a
 * secret must therefore be declared (as `Schema.Redacted`) in every schema of a body that may carry it, list rows
 * included: undeclared, it would be kept in clear. A declared transformed field that is present sends the body to
 * Schema, which redacts it.
 *
 * @since 0.1.0
 */
import { Either, Option, type ParseResult, Schema, SchemaAST } from "effect"
import { DecodeIssue } from "./Errors.js"
import * as Guard from "./Guard.js"

/** Most issues kept in a `DecodeError` (a page of a thousand bad rows says enough with the first ones). */
export const maxIssues = 20

/** Longest description of an expected type. */
const maxExpected = 120

/** The kind of a value, without its content. */
export const kindOf = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "nothing"
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? "" : "s"}`
  switch (typeof value) {
    case "string":
      return "a string"
    case "number":
      return "a number"
    case "boolean":
      return "a boolean"
    case "object":
      return "an object"
    default:
      return `a ${typeof value}`
  }
}

const shorten = (text: string): string => (text.length <= maxExpected ? text : `${text.slice(0, maxExpected - 1)}…`)

/** What a schema expects, briefly: its identifier or title, else its kind. */
const expected = (ast: SchemaAST.AST): string => {
  const named = SchemaAST.getIdentifierAnnotation(ast)
  if (named._tag === "Some") return named.value
  const title = SchemaAST.getTitleAnnotation(ast)
  if (title._tag === "Some") return title.value
  switch (ast._tag) {
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "an array"
    case "Refinement":
      return expected(ast.from)
    case "Transformation":
      return expected(ast.from)
    case "Suspend":
      return "a value"
    default:
      return shorten(String(ast))
  }
}

const flatten = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, out: Array<DecodeIssue>): void => {
  if (out.length >= maxIssues) return
  const add = (message: string) => {
    out.push(new DecodeIssue({ path: path.map((key) => (typeof key === "symbol" ? String(key) : key)), message }))
  }
  switch (issue._tag) {
    case "Pointer":
      return flatten(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])], out)
    case "Composite":
      for (const inner of Array.isArray(issue.issues) ? issue.issues : [issue.issues]) flatten(inner, path, out)
      return
    case "Transformation":
      return flatten(issue.issue, path, out)
    case "Refinement":
      return issue.kind === "From" ? flatten(issue.issue, path, out) : add(`does not satisfy ${expected(issue.ast)}`)
    case "Missing":
      return add("is missing")
    case "Unexpected":
      return add("is not expected here")
    case "Forbidden":
      return add("could not be checked")
    case "Type":
      return add(`expected ${expected(issue.ast)}, got ${kindOf(issue.actual)}`)
  }
}

/** The problems of a parse error, each with its path; at most 20 (`maxIssues`), never quoting a value. */
export const issues = (error: ParseResult.ParseError): ReadonlyArray<DecodeIssue> => {
  const out: Array<DecodeIssue> = []
  flatten(error.issue, [], out)
  return out
}

/** One line about the first problem: `items.3.size expected number, got a string (+4 more)`; `more` when issues were left out. */
export const summary = (found: ReadonlyArray<DecodeIssue>, more = false): string => {
  const first = found[0]
  if (first === undefined) return ""
  const where = first.path.length === 0 ? "body" : first.path.join(".")
  const others = found.length - 1
  const tail = others === 0 && !more ? "" : ` (+${others} more${more ? ", and others not listed" : ""})`
  return `${where} ${first.message}${tail}`
}

/**
 * Decodes `value` with `schema`, every problem reported (see {@link issues}). A value the schema's guard accepts
 * (`Guard.guard`) is answered as it is, without a copy; anything else goes through Schema decode.
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I>): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all" })
  return Option.match(Guard.guard(schema), {
    onNone: () => (u: unknown) => decode(u),
    onSome: (is) => (u: unknown) => (is(u) ? Either.right(u) : decode(u))
  })
}
