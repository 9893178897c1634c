import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Path from "../../src/core/Path.js"

describe("Path", () => {
  it("renders each parameter as one encoded segment and keeps the template", () => {
    const path = Path.make("things/{id}/parts/{part}/", { id: "a b/c", part: "x?y#z" })
    expect(path.template).toBe("things/{id}/parts/{part}/")
    expect(path.rendered).toEqual(Either.right("things/a%20b%2Fc/parts/x%3Fy%23z/"))
  })

  it.each(["", ".", ".."])("refuses the segment %j", (value) => {
    const path = Path.make("things/{id}/", { id: value })
    expect(Either.isLeft(path.rendered)).toBe(true)
    expect(Either.getLeft(path.rendered).pipe((o) => o._tag === "Some" ? o.value.parameter : undefined)).toBe("id")
  })

  it("keeps '../x' inside its segment", () => {
    expect(Path.make("things/{id}/", { id: "../x" }).rendered).toEqual(Either.right("things/..%2Fx/"))
  })
})

describe("Path with several segments ({+name})", () => {
  it("encodes each segment and keeps the slashes", () => {
    expect(Path.make("c/{container}/{+name}", { container: "photos", name: "2024/summer trip/a?.jpg" }).rendered)
      .toEqual(Either.right("c/photos/2024/summer%20trip/a%3F.jpg"))
  })

  it.each(["../etc/passwd", "a/../../b", "a/./b", ""])("refuses %j", (name) => {
    expect(Either.isLeft(Path.make("c/{+name}", { name }).rendered)).toBe(true)
  })
})
