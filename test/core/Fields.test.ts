import { describe, expect, it } from "@effect/vitest"
import { present } from "../../src/core/Fields.js"

describe("Fields.present", () => {
  it("is the field when there is a value, nothing otherwise (falsy values included)", () => {
    expect({ a: 1, ...present("status", 404) }).toStrictEqual({ a: 1, status: 404 })
    expect({ a: 1, ...present("status", undefined) }).toStrictEqual({ a: 1 })
    expect(present("flag", false)).toStrictEqual({ flag: false })
    expect(present("text", "")).toStrictEqual({ text: "" })
    expect("status" in present("status", undefined)).toBe(false)
  })
})
