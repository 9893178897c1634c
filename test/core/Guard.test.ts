import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Either, FastCheck, Option, Predicate, Schema } from "effect"
import * as Decoding from "../../src/core/Decoding.js"
import * as Guard from "../../src/core/Guard.js"
import * as OsFlavor from "../../src/openstack/Flavor.js"
import * as OsIdentity from "../../src/openstack/KeystoneV3.js"
import * as OsImage from "../../src/openstack/Image.js"
import * as OsNetwork from "../../src/openstack/Network.js"
import * as OsObjectStore from "../../src/openstack/ObjectStore.js"
import * as OsServer from "../../src/openstack/Server.js"
import * as OsVersion from "../../src/openstack/Version.js"
import * as OvhApiCredentials from "../../src/ovh/ApiCredentials.js"
import * as OvhBills from "../../src/ovh/Bills.js"
import * as OvhConsumerKey from "../../src/ovh/ConsumerKey.js"
import * as OvhDedicated from "../../src/ovh/Dedicated.js"
import * as OvhEmail from "../../src/ovh/Email.js"
import * as OvhMe from "../../src/ovh/Me.js"
import * as OvhOAuth2 from "../../src/ovh/OAuth2.js"
import * as VeilDomain from "../../src/veil/Domain.js"
import * as VeilEntity from "../../src/veil/Entity.js"
import * as VeilInfrastructure from "../../src/veil/Infrastructure.js"
import * as VeilRecords from "../../src/veil/Records.js"
import * as VeilTag from "../../src/veil/Tag.js"
import * as VeilTask from "../../src/veil/Task.js"
import * as Fixtures from "../support/Fixtures.js"

/** What the guard answers for `u`, or `"none"` when the schema has no guard. */
const guarded = (schema: Schema.Schema.AnyNoContext, u: unknown): boolean | "none" =>
  Option.match(Guard.guard(schema), { onNone: () => "none" as const, onSome: (is) => is(u) })

const accepts = (schema: Schema.Schema.AnyNoContext, u: unknown): boolean => Either.isRight(Schema.decodeUnknownEither(schema)(u))

/** The guard agrees with Schema decode on each value. */
const agrees = (schema: Schema.Schema.AnyNoContext, values: ReadonlyArray<unknown>) => {
  for (const u of values) expect([u, guarded(schema, u)]).toEqual([u, accepts(schema, u)])
}

describe("Guard: each kind of schema checked as Schema decode checks it", () => {
  const everything: ReadonlyArray<unknown> = [
    undefined, null, 0, -0, 1, 1.5, Number.NaN, Infinity, "", "a", "42", true, false, 1n, Symbol.for("s"), [], [1], ["a", "b"],
    {}, { a: 1 }, { a: "x" }, { a: null }, { a: undefined }, { a: 1, b: "x" }, { b: "x" }, { a: [1, 2] }, () => 1
  ]

  const kinds: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
    ["String", Schema.String],
    ["Number", Schema.Number],
    ["Boolean", Schema.Boolean],
    ["BigIntFromSelf", Schema.BigIntFromSelf],
    ["SymbolFromSelf", Schema.SymbolFromSelf],
    ["Null", Schema.Null],
    ["Undefined", Schema.Undefined],
    ["Unknown", Schema.Unknown],
    ["Object", Schema.Object],
    ["Literal(\"a\", 1, true, null)", Schema.Literal("a", 1, true, null)],
    ["Literal(1n)", Schema.Literal(1n)],
    ["UniqueSymbol", Schema.UniqueSymbolFromSelf(Symbol.for("s"))],
    ["Enums", Schema.Enums({ A: "a", B: 1 })],
    ["TemplateLiteral", Schema.TemplateLiteral("a", Schema.Number)],
    ["NullOr(String)", Schema.NullOr(Schema.String)],
    ["UndefinedOr(Number)", Schema.UndefinedOr(Schema.Number)],
    ["Union of structs", Schema.Union(Schema.Struct({ a: Schema.Number }), Schema.Struct({ b: Schema.String }))],
    ["Union with a literal tag", Schema.Union(Schema.Struct({ a: Schema.Literal(1) }), Schema.Struct({ a: Schema.Literal("x"), b: Schema.String }))],
    ["Array(Number)", Schema.Array(Schema.Number)],
    ["NonEmptyArray(Number)", Schema.NonEmptyArray(Schema.Number)],
    ["Tuple(String, optional Number)", Schema.Tuple(Schema.String, Schema.optionalElement(Schema.Number))],
    ["Tuple([Number], String, Number)", Schema.Tuple([Schema.Number], Schema.String, Schema.Number)],
    ["Struct({})", Schema.Struct({})],
    ["Struct({a: Number})", Schema.Struct({ a: Schema.Number })],
    ["Struct({a: optional exact Number})", Schema.Struct({ a: Schema.optionalWith(Schema.Number, { exact: true }) })],
    ["Struct({a: optional Number})", Schema.Struct({ a: Schema.optional(Schema.Number) })],
    ["Struct({length: Number})", Schema.Struct({ length: Schema.Number })],
    ["Struct({a}, Record)", Schema.Struct({ a: Schema.Number }, Schema.Record({ key: Schema.String, value: Schema.Union(Schema.Number, Schema.String) }))],
    ["Record(String, Number)", Schema.Record({ key: Schema.String, value: Schema.Number })],
    ["Record(`a${string}`, Number)", Schema.Record({ key: Schema.TemplateLiteral("a", Schema.String), value: Schema.Number })],
    ["Int", Schema.Int],
    ["NonEmptyString", Schema.NonEmptyString],
    ["Array(Int).pipe(minItems(1))", Schema.Array(Schema.Int).pipe(Schema.minItems(1))],
    ["Struct filtered on its keys", Schema.Struct({ a: Schema.Number }).pipe(Schema.filter((o) => Object.keys(o).length === 1))]
  ]

  it.each(kinds)("%s", (_, schema) => {
    expect(Option.isSome(Guard.guard(schema))).toBe(true)
    agrees(schema, everything)
  })

  it("Never accepts nothing", () => {
    const never = Option.getOrThrow(Guard.guard(Schema.Never))
    for (const u of everything) expect(never(u)).toBe(false)
  })

  it("reads a struct's fields only as its own: an array is no struct, a missing required field is asked of Schema", () => {
    const schema = Schema.Struct({ a: Schema.Number })
    expect(guarded(schema, [1])).toBe(false)
    expect(guarded(Schema.Struct({}), [1])).toBe(true)
    // Schema reads a missing required field as `undefined`, and Unknown accepts it: the guard leaves that to Schema.
    const loose = Schema.Struct({ a: Schema.Unknown })
    expect(guarded(loose, {})).toBe(false)
    expect(accepts(loose, {})).toBe(true)
    expect(Decoding.decoder(loose)({})).toEqual(Either.right({ a: undefined }))
  })

  it("checks symbol keys and index signatures over symbols", () => {
    const key = Symbol.for("key")
    const schema = Schema.Struct({ [key]: Schema.String })
    agrees(schema, [{ [key]: "x" }, { [key]: 1 }, {}])
    const symbols = Schema.Record({ key: Schema.SymbolFromSelf, value: Schema.Number })
    agrees(symbols, [{ [key]: 1 }, { [key]: "x" }, { a: "x" }])
  })

  it("has no guard for transformations, declarations, suspended schemas and schemas with their own parse options", () => {
    interface Tree {
      readonly children: ReadonlyArray<Tree>
    }
    const Tree: Schema.Schema<Tree> = Schema.Struct({ children: Schema.Array(Schema.suspend(() => Tree)) })
    class Point extends Schema.Class<Point>("Point")({ x: Schema.Number }) {}
    const uncovered: ReadonlyArray<Schema.Schema.AnyNoContext> = [
        Schema.Redacted(Schema.String),
        Schema.Date,
        Schema.NumberFromString,
        Schema.Struct({ a: Schema.optionalWith(Schema.Number, { default: () => 0 }) }),
        Schema.Struct({ a: Schema.Redacted(Schema.String) }),
        Schema.Union(Schema.String, Schema.NumberFromString),
        Schema.DateFromSelf,
        Point,
        Tree,
      Schema.Struct({ a: Schema.Number }).annotations({ parseOptions: { onExcessProperty: "error" } })
    ]
    for (const schema of uncovered) expect(Option.isNone(Guard.guard(schema))).toBe(true)
  })

  it("covers a struct whose optional transformed fields are absent, and leaves them to Schema when present", () => {
    const schema = Schema.Struct({
      id: Schema.String,
      password: Schema.optionalWith(Schema.NullOr(Schema.Redacted(Schema.String)), { exact: true })
    })
    expect(guarded(schema, { id: "a" })).toBe(true)
    expect(guarded(schema, { id: "a", password: "secret" })).toBe(false)
    expect(accepts(schema, { id: "a", password: "secret" })).toBe(true)
    expect(guarded(schema, { id: 1 })).toBe(false)
  })

  it("compiles each schema once", () => {
    const schema = Schema.Struct({ a: Schema.Number })
    const first = Option.getOrThrow(Guard.guard(schema))
    const second = Option.getOrThrow(Guard.guard(schema))
    expect(first({ a: 1 })).toBe(true)
    expect(second({ a: 1 })).toBe(true)
  })

  it("where the runtime refuses code made from text, has no guard and Schema decodes everything", () => {
    const script = [
      "const { Either, Option, Schema } = await import(\"effect\")",
      "const Guard = await import(\"./src/core/Guard.ts\")",
      "const Decoding = await import(\"./src/core/Decoding.ts\")",
      "const Row = Schema.Struct({ a: Schema.Number })",
      "const decode = Decoding.decoder(Row)",
      "console.log(JSON.stringify([Option.isSome(Guard.guard(Row)), decode({ a: 1, b: 2 }), Either.isLeft(decode({ a: \"x\" }))]))"
    ].join("\n")
    const out = execFileSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)), encoding: "utf8" }
    )
    expect(JSON.parse(out)).toEqual([false, { _id: "Either", _tag: "Right", right: { a: 1 } }, true])
  })

  it("writes property names into its code as string literals only", () => {
    const schema = Schema.Struct({ "\"]; globalThis.injected = 1; //": Schema.String, "a\u2028b": Schema.Number })
    agrees(schema, [{ "\"]; globalThis.injected = 1; //": "x", "a\u2028b": 1 }, { "a\u2028b": 1 }, {}])
    expect(Reflect.get(globalThis, "injected")).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The project's schemas against the recorded bodies, as given and mutated.

type Path = ReadonlyArray<string | number>

const isArray = (u: unknown): u is ReadonlyArray<unknown> => Array.isArray(u)

/** Every path in a JSON value, the root first. */
const pathsOf = (u: unknown, at: Path = [], out: Array<Path> = []): Array<Path> => {
  out.push(at)
  if (isArray(u)) u.forEach((item, i) => pathsOf(item, [...at, i], out))
  else if (Predicate.isRecord(u)) for (const [key, value] of Object.entries(u)) pathsOf(value, [...at, key], out)
  return out
}

const drop = Symbol("drop")

/** `u` with the value at `path` replaced by `f(value)`, or removed where `f` answers `drop`. */
const edit = (u: unknown, path: Path, f: (value: unknown) => unknown): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return f(u)
  if (isArray(u)) {
    return u.flatMap((item, i) => {
      if (i !== head) return [item]
      const edited = edit(item, rest, f)
      return edited === drop ? [] : [edited]
    })
  }
  if (Predicate.isRecord(u)) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(u)) {
      if (key !== head) out[key] = value
      else {
        const edited = edit(value, rest, f)
        if (edited !== drop) out[key] = edited
      }
    }
    return out
  }
  return u
}

/** Whether `big` holds everything `small` holds (the same items, and at least the same fields). */
const contains = (big: unknown, small: unknown): boolean => {
  if (isArray(small)) return isArray(big) && big.length === small.length && small.every((item, i) => contains(big[i], item))
  if (Predicate.isRecord(small)) {
    return Predicate.isRecord(big) && Object.entries(small).every(([key, value]) => contains(big[key], value))
  }
  return Object.is(big, small)
}

const kind = (u: unknown): string => (u === null ? "null" : isArray(u) ? "array" : typeof u)

/** Values of every JSON kind, to put in place of a value of another kind. */
const others: ReadonlyArray<unknown> = [0, 2.5, -1, "", "text", "12", true, false, null, [], [1], ["x"], {}, { id: "x" }]

/** One mutation of a JSON body: a value of another kind, a field or item dropped, an unknown field, any JSON. */
const mutation = FastCheck.record({
  path: FastCheck.nat(),
  how: FastCheck.constantFrom("retype", "drop", "extra", "replace"),
  pick: FastCheck.nat(),
  key: FastCheck.string({ maxLength: 8 }),
  value: FastCheck.jsonValue({ maxDepth: 2 })
})

const mutate = (body: unknown, m: typeof mutation extends FastCheck.Arbitrary<infer M> ? M : never): unknown => {
  const paths = pathsOf(body)
  const path = paths[m.path % paths.length] ?? []
  switch (m.how) {
    case "retype":
      return edit(body, path, (value) => {
        const candidates = others.filter((other) => kind(other) !== kind(value))
        return candidates[m.pick % candidates.length]
      })
    case "drop":
      return path.length === 0 ? body : edit(body, path, () => drop)
    case "extra":
      return edit(body, path, (value) => (Predicate.isRecord(value) ? { ...value, [`x-${m.key}`]: m.value } : m.value))
    case "replace":
      return edit(body, path, () => m.value)
  }
}

const schemasOf = (modules: ReadonlyArray<object>): ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> =>
  modules.flatMap((module) =>
    Object.entries(module).flatMap(([name, value]): ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> =>
      Schema.isSchema(value) ? [[name, schemaOf(value)]] : []
    )
  )

/** A schema of the project's modules, as the decoders take it. */
const schemaOf = (value: Schema.Schema.Any): Schema.Schema.AnyNoContext => Schema.make(value.ast)

const veilSchemas = schemasOf([VeilDomain, VeilEntity, VeilInfrastructure, VeilRecords, VeilTag, VeilTask])
/** Each API, its schemas, and whether some of its fixtures are covered as recorded (OVH's bodies hold dates and defaults). */
const apis: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]>, boolean]> = [
  ["veil", [...veilSchemas, ...veilSchemas.map(([name, row]) => [`ListEnvelope(${name})`, VeilEntity.ListEnvelope(row)] as const)], true],
  ["openstack", schemasOf([OsFlavor, OsIdentity, OsImage, OsNetwork, OsObjectStore, OsServer, OsVersion]), true],
  ["ovh", schemasOf([OvhApiCredentials, OvhBills, OvhConsumerKey, OvhDedicated, OvhEmail, OvhMe, OvhOAuth2]), false]
]

/** The JSON bodies recorded for an API (its API-description documents aside). */
const bodies = (api: string): ReadonlyArray<readonly [string, unknown]> => {
  const root = Fixtures.folder(api)
  const walk = (dir: string): ReadonlyArray<string> =>
    readdirSync(`${root}${dir}`).flatMap((name) => {
      const path = `${dir}${name}`
      if (statSync(`${root}${path}`).isDirectory()) return name === "schema" ? [] : walk(`${path}/`)
      return name.endsWith(".json") ? [path] : []
    })
  return walk("").map((path) => [path, JSON.parse(readFileSync(`${root}${path}`, "utf8"))] as const)
}

/** Runs per schema and body: many for the listings and answers, a few for a part schema that happens to fit a body. */
const runs = (schema: string): number => (/^ListEnvelope\(|List$|Listing$|Response$/.test(schema) ? 200 : 15)

describe.each(apis)("Guard over the %s schemas and fixtures", (api, schemas, someCovered) => {
  const recorded = bodies(api)
  /** Every schema and body that Schema decodes. */
  const decoded = schemas.flatMap(([name, schema]) =>
    recorded.filter(([, body]) => accepts(schema, body)).map(([file, body]) => [name, schema, file, body] as const)
  )

  it("has schemas that decode the fixtures", () => {
    expect(recorded.length).toBeGreaterThan(5)
    expect(decoded.length).toBeGreaterThan(5)
  })

  it("never accepts a fixture Schema refuses, and accepts every one it decodes to itself", () => {
    for (const [name, schema] of schemas) {
      for (const [file, body] of recorded) {
        const answer = guarded(schema, body)
        if (answer === true) expect([name, file, accepts(schema, body)]).toEqual([name, file, true])
      }
    }
  })

  it("decodes what Schema decodes and refuses what it refuses, mutated bodies included", () => {
    for (const [name, schema, file, body] of decoded) {
      const decode = Decoding.decoder(schema)
      const bySchema = Schema.decodeUnknownEither(schema)
      FastCheck.assert(
        FastCheck.property(mutation, (m) => {
          const u = mutate(body, m)
          const ours = decode(u)
          const theirs = bySchema(u)
          if (Either.isRight(ours) !== Either.isRight(theirs)) {
            expect([name, file, Either.isRight(ours)]).toEqual([name, file, Either.isRight(theirs)])
          }
          // Where the guard answered, the value is the body itself: what Schema decoded and the fields it dropped.
          if (Either.isRight(ours) && Either.isRight(theirs) && !contains(ours.right, theirs.right)) {
            expect(ours.right).toMatchObject(Predicate.isObject(theirs.right) ? theirs.right : {})
          }
        }),
        { numRuns: runs(name) }
      )
    }
  })

  it("accepts exactly what Schema accepts, for the bodies it covers as recorded", () => {
    const covered = decoded.filter(([, schema, , body]) => guarded(schema, body) === true)
    expect(covered.length > 0).toBe(someCovered)
    for (const [name, schema, file, body] of covered) {
      FastCheck.assert(
        FastCheck.property(mutation, (m) => {
          const u = mutate(body, m)
          const answer = guarded(schema, u)
          if (answer !== accepts(schema, u)) expect([name, file, answer]).toEqual([name, file, accepts(schema, u)])
        }),
        { numRuns: runs(name) }
      )
    }
  })
})
