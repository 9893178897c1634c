/**
 * The built executable, as an installed package runs it: `dist/cli/main.js` compiled into a temporary package
 * (its `package.json`, `dist/`, and the project's `node_modules`), started through its `#!/usr/bin/env node` line.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { root, run, serveThenStop } from "./Process.js"

const packageDir = mkdtempSync(join(tmpdir(), "effect-cloud-clients-"))
const main = join(packageDir, "dist", "cli", "main.js")

beforeAll(async () => {
  // Emit only: type-checking is `tsc --noEmit`'s job.
  await promisify(execFile)(join(root, "node_modules", ".bin", "tsc"), [
    "-p", "tsconfig.build.json", "--outDir", join(packageDir, "dist"), "--noCheck", "--declaration", "false", "--declarationMap", "false"
  ], { cwd: root })
  copyFileSync(join(root, "package.json"), join(packageDir, "package.json"))
  symlinkSync(join(root, "node_modules"), join(packageDir, "node_modules"), "dir")
  chmodSync(main, 0o755)
}, 60_000)

afterAll(() => rmSync(packageDir, { recursive: true, force: true }))

describe("dist/cli/main.js", () => {
  it("starts with #!/usr/bin/env node and prints the package's version", async () => {
    expect(readFileSync(main, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node")
    const version: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version
    expect(await run([main, ["--version"]])).toEqual({ code: 0, signal: null, stdout: `${version}\n`, stderr: "" })
  }, 60_000)

  it("simulate veil serves until SIGTERM, then exits 0 with the port closed", async () => {
    await serveThenStop([main, ["simulate", "veil", "--port", "0"]], "SIGTERM", async (served) => {
      expect(served.printedPid).toBe(served.child.pid)
    })
  }, 60_000)
})
