/**
 * A check compiled from a schema's AST that tells, without building anything, that a value already is what
 * `Schema.decodeUnknown` would turn it into. Covered: structs, arrays and tuples, unions, literals, enums, template
 * literals, strings, numbers, booleans, `null`, optional fields, records and refinements. Not covered:
 * transformations (`Schema.Redacted`, `Schema.Date`, `optionalWith({ default })`, classes), declarations, suspended
 * schemas, and schemas that carry their own parse options.
 *
 * The check is a semi-decision: `true` means Schema decode succeeds and gives back the input itself, less the keys
 * its structs do not declare (Schema drops them, the input keeps them); `false` means "ask Schema", which either
 * fails with the path-naming error or succeeds where the check chose not to follow. It never answers `true` where
 * Schema fails. It answers `false` although Schema may succeed when:
 * - an optional field whose type is a transformation is present (a `Redacted` password, say): Schema must build
 *   the decoded value. While such a field is absent, the rest of its struct is still checked here;
 * - a required field is missing (Schema reads it as `undefined`, which some types accept).
 *
 * Each schema's check is generated as JavaScript (`new Function`) once and kept by the schema's AST in a `WeakMap`:
 * V8 then reads the fields of same-shaped rows through monomorphic property loads, and checking a page of rows costs
 * a few percent of its `JSON.parse` (where closures composed at run time cost more than the parse itself). Property names enter the generated text only as JSON string literals; every other value
 * (symbols, refinement predicates, enum members) is passed by reference. Where the runtime refuses to compile code
 * from text (a CSP without `unsafe-eval`), there is no guard and Schema decodes everything.
 *
 * @since 0.1.0
 */
import { Either, Option, ParseResult, Schema, SchemaAST } from "effect"

/** A compiled check. */
type Check = (u: unknown) => boolean

/** Compiled checks of the schemas asked for, by AST; `null` where the schema is not covered. */
const compiled = new WeakMap<SchemaAST.AST, Check | null>()

/**
 * Compiled code by its text. The text names no value (values come in `refs`), so schemas of one shape — a schema
 * built anew for each call, say — share one compilation.
 */
const factories = new Map<string, Function>()

/** Most compilations kept by text (a program has a few dozen shapes; one that makes shapes without end is bounded). */
const maxFactories = 500

/** Whether an AST node is covered, by node. */
const coverage = new WeakMap<SchemaAST.AST, boolean>()

/** Whether the check can follow `ast` (see the module doc). */
const covered = (ast: SchemaAST.AST): boolean => {
  const known = coverage.get(ast)
  if (known !== undefined) return known
  const result = Option.isNone(SchemaAST.getParseOptionsAnnotation(ast)) && coveredNode(ast)
  coverage.set(ast, result)
  return result
}

const coveredNode = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "TypeLiteral":
      // A required field Schema must transform makes the struct Schema's to decode; an optional one must be absent.
      return ast.propertySignatures.every((signature) => signature.isOptional || covered(signature.type)) &&
        ast.indexSignatures.every((signature) => covered(signature.parameter) && covered(signature.type))
    case "TupleType":
      return ast.elements.every((element) => covered(element.type)) && ast.rest.every((rest) => covered(rest.type))
    case "Union":
      // Schema may try a transforming member first: the whole union is Schema's to decode.
      return ast.types.every(covered)
    case "Refinement":
      return covered(ast.from)
    case "Declaration":
    case "Transformation":
    case "Suspend":
      return false
    default:
      return true
  }
}

/** Whether Schema's decoded value of this (covered) node can differ from its input: its structs drop keys. */
const rebuilds = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.length > 0 || ast.indexSignatures.length > 0
    case "TupleType":
      return ast.elements.some((element) => rebuilds(element.type)) || ast.rest.some((rest) => rebuilds(rest.type))
    case "Union":
      return ast.types.some(rebuilds)
    case "Refinement":
      return rebuilds(ast.from)
    default:
      return false
  }
}

/** Checks a node with Schema's own parser: exact by construction, for the nodes not worth writing out. */
const bySchema = (ast: SchemaAST.AST): Check => {
  const decode = ParseResult.decodeUnknownEither(Schema.make<unknown, unknown, never>(ast))
  return (u) => Either.isRight(decode(u))
}

/** A literal as JavaScript source, when it can be written as one. */
const literalSource = (literal: SchemaAST.LiteralValue): string | undefined => {
  if (literal === null) return "null"
  switch (typeof literal) {
    case "string":
    case "boolean":
      return JSON.stringify(literal)
    case "number":
      return Number.isFinite(literal) && !Object.is(literal, -0) ? String(literal) : undefined
    default:
      return undefined
  }
}

const typeofChecks: Partial<Record<SchemaAST.AST["_tag"], string>> = {
  StringKeyword: "string",
  NumberKeyword: "number",
  BooleanKeyword: "boolean",
  BigIntKeyword: "bigint",
  SymbolKeyword: "symbol"
}

/** Writes the JavaScript of one schema's check: functions for structs and union members, statements for the rest. */
class Writer {
  /** Values the generated code reads by reference, as `r0`, `r1`, … */
  readonly refs: Array<unknown> = []
  /** Generated functions, one per struct and per union member. */
  readonly functions: Array<string> = []
  private readonly names = new Map<SchemaAST.AST, string>()
  private counter = 0

  /** A fresh identifier. */
  private id(prefix: string): string {
    return `${prefix}${this.counter++}`
  }

  /** The identifier under which the generated code reads `value`. */
  ref(value: unknown): string {
    this.refs.push(value)
    return `r${this.refs.length - 1}`
  }

  /** A property name as a JavaScript expression. */
  private key(name: PropertyKey): string {
    return typeof name === "symbol" ? this.ref(name) : JSON.stringify(String(name))
  }

  /** The name of a function `(u) => boolean` checking `ast`, written once per node. */
  fn(ast: SchemaAST.AST): string {
    const known = this.names.get(ast)
    if (known !== undefined) return known
    const name = this.id("f")
    this.names.set(ast, name)
    const body = ast._tag === "TypeLiteral" && (ast.propertySignatures.length > 0 || ast.indexSignatures.length > 0)
      ? this.struct(ast, "u")
      : this.statements(ast, "u")
    this.functions.push(`function ${name}(u) {\n${body}return true;\n}`)
    return name
  }

  /** Statements that `return false` unless the value in variable `v` passes `ast`. */
  statements(ast: SchemaAST.AST, v: string): string {
    const kind = typeofChecks[ast._tag]
    if (kind !== undefined) return `if (typeof ${v} !== "${kind}") return false;\n`
    switch (ast._tag) {
      case "Literal": {
        const source = literalSource(ast.literal)
        return `if (${v} !== ${source ?? this.ref(ast.literal)}) return false;\n`
      }
      case "UniqueSymbol":
        return `if (${v} !== ${this.ref(ast.symbol)}) return false;\n`
      case "UndefinedKeyword":
        return `if (${v} !== undefined) return false;\n`
      case "NeverKeyword":
        return "return false;\n"
      case "UnknownKeyword":
      case "AnyKeyword":
      case "VoidKeyword":
        return ""
      case "ObjectKeyword":
        return `if (!((typeof ${v} === "object" && ${v} !== null) || typeof ${v} === "function")) return false;\n`
      case "Enums":
        return `if (${this.ref(ast.enums.map(([, value]) => value))}.indexOf(${v}) === -1) return false;\n`
      case "TemplateLiteral":
        return `if (!${this.ref(bySchema(ast))}(${v})) return false;\n`
      case "TypeLiteral":
        if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
          return `if (${v} === null || ${v} === undefined) return false;\n`
        }
        return `if (!${this.fn(ast)}(${v})) return false;\n`
      case "TupleType":
        return this.tuple(ast, v)
      case "Union":
        return this.union(ast, v)
      case "Refinement": {
        // The predicate sees Schema's decoded value of `from`; where that is a rebuilt struct, Schema runs it all.
        if (rebuilds(ast.from)) return `if (!${this.ref(bySchema(ast))}(${v})) return false;\n`
        const predicate: Check = (u) => Option.isNone(ast.filter(u, SchemaAST.defaultParseOption, ast))
        return `${this.statements(ast.from, v)}if (!${this.ref(predicate)}(${v})) return false;\n`
      }
      default:
        // Not covered: never reached, `covered` said no first.
        return "return false;\n"
    }
  }

  private struct(ast: SchemaAST.TypeLiteral, u: string): string {
    let out = `if (typeof ${u} !== "object" || ${u} === null || Array.isArray(${u})) return false;\n`
    // Optional fields Schema must transform: covered only while absent (checked first: cheapest way out).
    for (const signature of ast.propertySignatures) {
      if (!covered(signature.type)) out += `if (${this.key(signature.name)} in ${u}) return false;\n`
    }
    for (const signature of ast.propertySignatures) {
      if (!covered(signature.type)) continue
      const key = this.key(signature.name)
      const v = this.id("v")
      const check = this.statements(signature.type, v)
      // An optional field of any value (`Schema.Unknown`) needs no code.
      if (signature.isOptional && check === "") continue
      out += `const ${v} = ${u}[${key}];\n`
      out += signature.isOptional
        ? `if (${v} !== undefined || ${key} in ${u}) {\n${check}}\n`
        : `if (${v} === undefined && !(${key} in ${u})) return false;\n${check}`
    }
    for (const signature of ast.indexSignatures) {
      const k = this.id("k")
      const v = this.id("v")
      const keys = symbolKeys(signature.parameter) ? "Object.getOwnPropertySymbols" : "Object.keys"
      const keyCheck = signature.parameter._tag === "StringKeyword" || signature.parameter._tag === "SymbolKeyword"
        ? ""
        : `if (!${this.fn(signature.parameter)}(${k})) continue;\n`
      out += `for (const ${k} of ${keys}(${u})) {\n${keyCheck}const ${v} = ${u}[${k}];\n${this.statements(signature.type, v)}}\n`
    }
    return out
  }

  private tuple(ast: SchemaAST.TupleType, v: string): string {
    const [head, ...tail] = ast.rest
    const i = this.id("i")
    const e = this.id("e")
    let out = `if (!Array.isArray(${v})) return false;\n`
    if (ast.elements.length === 0 && head !== undefined && tail.length === 0) {
      // Schema.Array(X)
      return `${out}for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${e} = ${v}[${i}];\n${
        this.statements(head.type, e)
      }}\n`
    }
    const required = ast.elements.filter((element) => !element.isOptional).length + tail.length
    out += `if (${v}.length < ${required}) return false;\n`
    if (head === undefined) out += `if (${v}.length > ${ast.elements.length}) return false;\n`
    ast.elements.forEach((element, index) => {
      const x = this.id("e")
      // Only optional elements can be missing here: the length check covered the required ones.
      out += `if (${v}.length > ${index}) {\nconst ${x} = ${v}[${index}];\n${this.statements(element.type, x)}}\n`
    })
    if (head !== undefined) {
      out += `for (let ${i} = ${ast.elements.length}; ${i} < ${v}.length - ${tail.length}; ${i}++) {\nconst ${e} = ${v}[${i}];\n${
        this.statements(head.type, e)
      }}\n`
      tail.forEach((element, j) => {
        // Schema checks post-rest elements from max(elements, length - tail) on.
        const x = this.id("e")
        const at = `Math.max(${ast.elements.length}, ${v}.length - ${tail.length}) + ${j}`
        out += `if (${v}.length > ${at}) {\nconst ${x} = ${v}[${at}];\n${this.statements(element.type, x)}}\n`
      })
    }
    return out
  }

  private union(ast: SchemaAST.Union, v: string): string {
    const nulls = ast.types.filter((type) => type._tag === "Literal" && type.literal === null)
    const others = ast.types.filter((type) => !(type._tag === "Literal" && type.literal === null))
    const [only] = others
    // NullOr(X), Schema's most common union.
    if (nulls.length > 0 && others.length === 1 && only !== undefined) {
      return `if (${v} !== null) {\n${this.statements(only, v)}}\n`
    }
    const members = others.map((type) => `${this.fn(type)}(${v})`)
    if (nulls.length > 0) members.unshift(`${v} === null`)
    return `if (!(${members.join(" || ") || "false"})) return false;\n`
  }
}

/** Whether an index signature ranges over symbol keys. */
const symbolKeys = (parameter: SchemaAST.AST): boolean =>
  parameter._tag === "SymbolKeyword" || (parameter._tag === "Refinement" && symbolKeys(parameter.from))

/** Compiles the check of a covered AST; `undefined` where the runtime refuses code compiled from text. */
const generate = (ast: SchemaAST.AST): Check | undefined => {
  const writer = new Writer()
  const top = writer.fn(ast)
  const source = [
    "\"use strict\";",
    ...writer.refs.map((_, i) => `const r${i} = refs[${i}];`),
    ...writer.functions,
    `return ${top};`
  ].join("\n")
  let made: unknown
  try {
    const known = factories.get(source)
    const factory = known ?? new Function("refs", source)
    if (known === undefined) {
      if (factories.size >= maxFactories) factories.clear()
      factories.set(source, factory)
    }
    made = Reflect.apply(factory, undefined, [writer.refs])
  } catch {
    return undefined
  }
  if (typeof made !== "function") return undefined
  const check = made
  return (u) => Reflect.apply(check, undefined, [u]) === true
}

/** The compiled check of an AST, `undefined` where it is not covered. */
const compile = (ast: SchemaAST.AST): Check | undefined => {
  const known = compiled.get(ast)
  if (known !== undefined) return known ?? undefined
  const check = covered(ast) ? generate(ast) : undefined
  compiled.set(ast, check ?? null)
  return check
}

/**
 * The guard of `schema`: `true` when `u` decodes with Schema to `u` itself (extra keys aside, see the module doc),
 * `false` when Schema must be asked; none when the schema is not covered (a transformation at its top, say).
 */
export const guard = <A, I>(schema: Schema.Schema<A, I>): Option.Option<(u: unknown) => u is A> => {
  const check = compile(schema.ast)
  return check === undefined ? Option.none() : Option.some((u: unknown): u is A => check(u))
}
