import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Path from "../../src/core/Path.js"
import * as Query from "../../src/core/Query.js"

describe("Query", () => {
  const spec = {
    name: Query.string("name"),
    minRam: Query.number("minRam"),
    isPublic: Query.boolean("is_public"),
    template: Query.boolean("template", "digit"),
    from: Query.date("date.from"),
    ids: Query.list("ids", "comma"),
    tags: Query.list("tag"),
    dir: Query.literal<"asc" | "desc">("sort_dir")
  }

  it("writes each declared value under its wire name, in its declared form, and leaves out absent ones", () => {
    expect(Query.encode(spec, {
      name: "a b",
      minRam: 512,
      isPublic: false,
      template: true,
      from: new Date(Date.UTC(2024, 0, 1)),
      ids: ["x", "y"],
      tags: ["t1", "t2"],
      dir: "desc"
    })).toEqual({
      name: "a b",
      minRam: "512",
      is_public: "false",
      template: "1",
      "date.from": "2024-01-01T00:00:00.000Z",
      ids: "x,y",
      tag: ["t1", "t2"],
      sort_dir: "desc"
    })
    expect(Query.encode(spec, { name: undefined, template: false })).toEqual({ template: "0" })
    expect(Query.encode(spec, {})).toEqual({})
  })

  it("writes a flag only when it is true", () => {
    const flags = { all: Query.flag("all_tenants"), deleted: Query.flag("deleted", "yes") }
    expect(Query.encode(flags, { all: true, deleted: true })).toEqual({ all_tenants: "1", deleted: "yes" })
    expect(Query.encode(flags, { all: false, deleted: false })).toEqual({})
  })
})

describe("Path.child", () => {
  it("joins templates and renderings with one slash, and refuses what either part refuses", () => {
    const parent = Path.make("email/domain/{domain}", { domain: "a.fr" })
    const child = Path.child(parent, Path.make("redirection/{id}", { id: "r/1" }))
    expect(child.template).toBe("email/domain/{domain}/redirection/{id}")
    expect(child.rendered).toEqual(Either.right("email/domain/a.fr/redirection/r%2F1"))
    expect(Path.child(Path.literal("domains/"), Path.literal("tags/")).template).toBe("domains/tags/")
    expect(Either.isLeft(Path.child(Path.make("x/{id}", { id: ".." }), Path.literal("y")).rendered)).toBe(true)
    expect(Either.isLeft(Path.child(parent, Path.make("r/{id}", { id: "" })).rendered)).toBe(true)
  })
})
