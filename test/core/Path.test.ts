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

describe("Path with text that is not well-formed Unicode", () => {
  it.each([
    ["{id}", "a\ud800b"],
    ["{id}", "\udc00"],
    ["{+id}", "dir/a\ud800b"]
  ])("%s refuses %j as the parameter's problem, without throwing", (placeholder, id) => {
    const path = Path.make(`things/${placeholder}/`, { id })
    expect(path.rendered).toEqual(Either.left({ parameter: "id", message: expect.stringContaining("lone surrogate U+") }))
  })

  it("keeps characters beyond the BMP (a surrogate pair is one code point)", () => {
    expect(Path.make("things/{id}", { id: "😀" }).rendered).toEqual(Either.right("things/%F0%9F%98%80"))
  })
})

describe("Path checks of an API", () => {
  it("refuses a value the API's rule refuses, naming the parameter", () => {
    const noSlash = (value: string) => (value.includes("/") ? "container must not contain /" : undefined)
    expect(Path.make("{container}/{+name}", { container: "c/victim", name: "x" }, { container: noSlash }).rendered)
      .toEqual(Either.left({ parameter: "container", message: "container must not contain /" }))
    expect(Path.make("{container}/{+name}", { container: "c", name: "a/b" }, { container: noSlash }).rendered)
      .toEqual(Either.right("c/a/b"))
  })
})

describe("Path.written (a path as the caller wrote it)", () => {
  it.each([
    ["/me/bill", "/me/bill"],
    ["/ip/1.2.3.0%2F29", "/ip/1.2.3.0%2F29"],
    ["/me/a b", "/me/a%20b"],
    ["/me/a%20b", "/me/a%20b"],
    ["/me/100%", "/me/100%25"],
    ["/me/%zz", "/me/%25zz"],
    ["/me/a\\b", "/me/a%5Cb"],
    ["/me/Zoë ✓", "/me/Zo%C3%AB%20%E2%9C%93"],
    ["/me/{x}|^[]`\"<>", "/me/%7Bx%7D%7C%5E%5B%5D%60%22%3C%3E"],
    ["/me/a?b#c", "/me/a%3Fb%23c"],
    ["/me/!$&'()*+,;=:@-._~", "/me/!$&'()*+,;=:@-._~"],
    ["/me/...", "/me/..."]
  ])("writes %j as %j", (path, expected) => {
    expect(Path.written("path", path)).toEqual(Either.right(expected))
  })

  it.each(["/me/..", "/me/bill/%2e%2e", "/me/%2E", "/me/.%2e/x", "/me/%2e./x", "/./me", "/me/a\ud800"])("refuses %j", (path) => {
    expect(Either.getLeft(Path.written("path", path))).toMatchObject({ _tag: "Some", value: { parameter: "path" } })
  })

  it("is what a WHATWG URL parser sends, for every printable ASCII character and a few others", () => {
    const characters = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), "\t", "\u007f", "é", "✓", "😀"]
    for (const char of characters) {
      const path = `/1.0/a${char}b/${char}x${char}`
      const canonical = Either.getOrThrow(Path.written("path", path))
      const url = `https://eu.api.ovh.com${canonical}`
      expect(new URL(url).href, JSON.stringify(char)).toBe(url)
      expect(Either.getOrThrow(Path.written("path", canonical)), "writing it again changes nothing").toBe(canonical)
    }
  })
})
