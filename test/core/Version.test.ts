import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import * as Version from "../../src/core/Version.js"
import { root } from "../support/Imports.js"

describe("Version", () => {
  it("is the version of package.json", () => {
    const manifest: { readonly version?: unknown } = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"))
    expect(Version.version).toBe(manifest.version)
  })

  it("puts the caller's product tokens first in User-Agent; blank ones are left out", () => {
    expect(Version.userAgent("ovh", " myapp/2 ")).toBe(`myapp/2 effect-cloud-clients/${Version.version} (ovh)`)
    expect(Version.userAgent("ovh", "  ")).toBe(`effect-cloud-clients/${Version.version} (ovh)`)
    expect(Version.userAgent("veil")).toBe(`effect-cloud-clients/${Version.version} (veil)`)
  })
})
