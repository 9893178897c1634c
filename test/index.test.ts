/**
 * The sources form no import cycle: walking every module under src/ (type-only imports included, since a cycle of
 * types still ties two modules to each other), no module reaches itself again.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync } from "node:fs"
import { resolve } from "node:path"
import { cycles, root } from "./support/Imports.js"

const sources = readdirSync(resolve(root, "src"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => `src/${file}`)

describe("the sources", () => {
  it("have no import cycle", () => {
    expect(sources.length).toBeGreaterThan(150)
    expect(cycles(sources)).toEqual([])
  })

  it("the walk finds a cycle where there is one, type-only imports included", () => {
    expect(cycles(["test/support/fixtures/cycle/A.ts"])).toEqual([
      ["test/support/fixtures/cycle/A.ts", "test/support/fixtures/cycle/B.ts", "test/support/fixtures/cycle/A.ts"]
    ])
  })
})
