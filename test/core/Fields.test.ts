import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { optionalOrNull, present } from "../../src/core/Fields.js"

describe("Fields.present", () => {
  it("is the field when there is a value, nothing otherwise (falsy values included)", () => {
    expect({ a: 1, ...present("status", 404) }).toStrictEqual({ a: 1, status: 404 })
    expect({ a: 1, ...present("status", undefined) }).toStrictEqual({ a: 1 })
    expect(present("flag", false)).toStrictEqual({ flag: false })
    expect(present("text", "")).toStrictEqual({ text: "" })
    expect("status" in present("status", undefined)).toBe(false)
  })
})

describe("Fields.optionalOrNull", () => {
  const Body = Schema.Struct({ name: optionalOrNull(Schema.String) })
  const decode = Schema.decodeUnknownEither(Body)

  it("reads a value, a null, or nothing (the key stays absent), and refuses an undefined or another type", () => {
    expect(decode({ name: "a" })).toStrictEqual(Either.right({ name: "a" }))
    expect(decode({ name: null })).toStrictEqual(Either.right({ name: null }))
    expect(decode({})).toStrictEqual(Either.right({}))
    expect(Either.isLeft(decode({ name: undefined }))).toBe(true)
    expect(Either.isLeft(decode({ name: 1 }))).toBe(true)
  })
})
