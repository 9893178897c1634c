// @ts-check
// The API reference check: generates the reference from the sources into a temporary folder and fails when
// TypeDoc reports anything (an exported name with no doc comment, a broken `{@link}`, a type error, …) or when
// the committed docs/api differs from what was generated. `npm run build` (here) regenerates docs/api.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { Application, TSConfigReader, TypeDocReader } from "typedoc"

process.chdir(import.meta.dirname)
const committed = path.resolve("api")

/** Every file under `dir`, as sorted paths relative to it (none when `dir` does not exist). */
const files = (/** @type {string} */ dir) => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .sort()
  } catch {
    return []
  }
}

/** Generates into `out`: `undefined` when the sources did not convert, else whether nothing was reported. */
const generate = async (/** @type {string} */ out) => {
  const app = await Application.bootstrapWithPlugins(
    {
      out,
      // Types that the public API uses without exporting them are listed by `npm run build`, not failed on here.
      validation: { notExported: false, notDocumented: false, invalidLink: true, rewrittenLink: true, invalidPath: true, unusedMergeModuleWith: true },
    },
    [new TypeDocReader(), new TSConfigReader()]
  )
  const project = await app.convert()
  if (!project) {
    console.error("docs: TypeDoc could not read the sources (errors above)")
    return undefined
  }
  app.validate(project)
  await app.generateOutputs(project)
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    console.error(`docs: ${app.logger.errorCount} errors and ${app.logger.warningCount} warnings above`)
    return false
  }
  return true
}

/** Whether `generated` and docs/api hold the same files with the same bytes; lists the differences. */
const same = (/** @type {string} */ generated) => {
  const want = files(generated)
  const have = files(committed)
  const missing = want.filter((f) => !have.includes(f))
  const extra = have.filter((f) => !want.includes(f))
  const changed = want.filter(
    (f) => have.includes(f) && !readFileSync(path.join(generated, f)).equals(readFileSync(path.join(committed, f)))
  )
  if (missing.length + extra.length + changed.length === 0) {
    console.log(`docs: docs/api (${want.length} files) is what the sources generate`)
    return true
  }
  console.error("docs: docs/api is not what the sources generate (regenerate it with `npm run docs`):")
  for (const f of missing) console.error(`  missing  docs/api/${f}`)
  for (const f of extra) console.error(`  extra    docs/api/${f}`)
  for (const f of changed) console.error(`  changed  docs/api/${f}`)
  return false
}

const generated = mkdtempSync(path.join(tmpdir(), "effect-cloud-clients-api-"))
try {
  const clean = await generate(generated)
  const current = clean !== undefined && same(generated)
  process.exitCode = clean && current ? 0 : 1
} finally {
  rmSync(generated, { recursive: true, force: true })
}
