import { describe, expect, it } from "@effect/vitest"
import { Either, type ParseResult, Redacted, Schema } from "effect"
import * as Decoding from "../../src/core/Decoding.js"
import { optional } from "../../src/core/Fields.js"

const Row = Schema.Struct({
  id: Schema.String,
  size: Schema.Number,
  note: optional(Schema.NullOr(Schema.String)),
  secret: optional(Schema.Redacted(Schema.String))
})

const Page = Schema.Struct({ count: Schema.Number, results: Schema.Array(Row) })

const decodePage = Decoding.decoder(Page)

const issuesOf = <A>(result: Either.Either<A, ParseResult.ParseError>) =>
  Either.isLeft(result) ? Decoding.issues(result.left).map((issue) => [issue.path.join("."), issue.message]) : []

describe("Decoding.decoder", () => {
  it("answers a body that already is its decoded value as it is: no copy, fields the schema leaves out kept", () => {
    const body: unknown = { count: 2, server_time: "now", results: [{ id: "a", size: 1, extra: [1] }, { id: "b", size: 2, note: null }] }
    const result = decodePage(body)
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right).toBe(body)
      expect(result.right.results[0]).toEqual({ id: "a", size: 1, extra: [1] })
    }
    // Schema decode itself drops them.
    expect(Schema.decodeUnknownSync(Page)(body)).toEqual({ count: 2, results: [{ id: "a", size: 1 }, { id: "b", size: 2, note: null }] })
  })

  it("decodes with Schema what the guard cannot answer: a transformed field present, a schema that transforms", () => {
    const body = { count: 1, results: [{ id: "a", size: 1, secret: "hunter2" }] }
    const result = decodePage(body)
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right).not.toBe(body)
      const secret = result.right.results[0]?.secret
      expect(Redacted.isRedacted(secret)).toBe(true)
      expect(secret === undefined ? undefined : Redacted.value(secret)).toBe("hunter2")
      expect(JSON.stringify(result.right)).not.toContain("hunter2")
    }
    const withDefault = Decoding.decoder(Schema.Struct({ next: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }) }))
    expect(withDefault({})).toEqual(Either.right({ next: null }))
  })

  it("reports every problem of a body with its path, never the value found", () => {
    const body = {
      count: "2",
      results: [{ id: "a", size: "hunter2" }, { id: 7, size: 1 }, { size: 2 }, { id: "d", size: 3, secret: 42 }]
    }
    const found = issuesOf(decodePage(body))
    expect(found).toEqual([
      ["count", "expected number, got a string"],
      ["results.0.size", "expected number, got a string"],
      ["results.1.id", "expected string, got a number"],
      ["results.2.id", "is missing"],
      ["results.3.secret", "expected string, got a number"]
    ])
    expect(JSON.stringify(found)).not.toContain("hunter2")
  })

  it("refuses what Schema refuses, whichever way it went", () => {
    for (const body of [null, [], "page", { count: 1 }, { count: 1, results: {} }, { count: 1, results: [null] }]) {
      expect(Either.isLeft(decodePage(body))).toBe(true)
      expect(Either.isLeft(Schema.decodeUnknownEither(Page)(body))).toBe(true)
    }
  })
})
