/**
 * `effect-cloud-clients/core` is runtime-neutral: walking every import from src/core/index.ts (static, re-export
 * and dynamic), no module reaches a Node built-in, undici or @effect/platform-node.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { builtinModules } from "node:module"
import { dirname, relative, resolve } from "node:path"
import { root, specifiers } from "../support/Imports.js"

const nodeOnly = (specifier: string): boolean =>
  specifier.startsWith("node:") ||
  builtinModules.includes(specifier.split("/")[0] ?? "") ||
  specifier === "undici" || specifier.startsWith("undici/") ||
  specifier.startsWith("@effect/platform-node")

/** Every source file reached from `entry` by relative imports, and each Node-only import met, as `file → specifier`. */
const walk = (entry: string): { readonly files: ReadonlyArray<string>; readonly nodeOnly: ReadonlyArray<string> } => {
  const seen = new Set<string>()
  const offending: Array<string> = []
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))
      else if (nodeOnly(specifier)) offending.push(`${relative(root, file)} → ${specifier}`)
    }
  }
  visit(resolve(root, entry))
  return { files: [...seen].map((file) => relative(root, file)).sort(), nodeOnly: offending }
}

describe("effect-cloud-clients/core", () => {
  it("reaches no node:* module, no undici, no @effect/platform-node", () => {
    const core = walk("src/core/index.ts")
    expect(core.files).toEqual(expect.arrayContaining(["src/core/Facade.ts", "src/core/Caller.ts", "src/core/RestClient.ts"]))
    expect(core.files.every((file) => file.startsWith("src/core/") && !file.startsWith("src/core/testing/"))).toBe(true)
    expect(core.nodeOnly).toEqual([])
  })

  it("the walk does find Node-only imports where they are: the Node entry", () => {
    expect(walk("src/node/index.ts").nodeOnly).toEqual(
      expect.arrayContaining(["src/node/UndiciClient.ts → @effect/platform-node", "src/node/NodeTransport.ts → undici", "src/node/NodeTransport.ts → node:fs/promises"])
    )
    expect(specifiers('import type { A } from "x"\nexport * as B from "./b.js"\nimport "side"\nconst c = await import("dyn")')).toEqual(["x", "./b.js", "side", "dyn"])
  })
})
