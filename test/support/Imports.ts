/**
 * The import graph of the sources, read as text: each file's module specifiers (static, re-export and dynamic
 * imports, comments removed first), and the files reached from an entry by relative imports.
 */
import { readFileSync } from "node:fs"
import { dirname, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** The project's root folder. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

/** The module specifiers a TypeScript source imports or re-exports (comments removed first). */
export const specifiers = (source: string): ReadonlyArray<string> => {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
  const found: Array<string> = []
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;'"]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g
  ]
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1] !== undefined) found.push(match[1])
  return found
}

/** A file's relative imports, as absolute paths of the `.ts` sources. */
export const localImports = (file: string): ReadonlyArray<string> =>
  specifiers(readFileSync(file, "utf8")).filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")))

/** A path relative to the project root. */
export const shown = (file: string): string => relative(root, file)

/**
 * The import cycles among the files reached from `entries`: each as the files of one cycle, first repeated last
 * (one cycle per back edge of a depth-first walk, so none is missed and each strongly connected knot shows).
 */
export const cycles = (entries: ReadonlyArray<string>): ReadonlyArray<ReadonlyArray<string>> => {
  const done = new Set<string>()
  const stack: Array<string> = []
  const found: Array<ReadonlyArray<string>> = []
  const visit = (file: string) => {
    const at = stack.indexOf(file)
    if (at >= 0) {
      found.push([...stack.slice(at), file].map(shown))
      return
    }
    if (done.has(file)) return
    stack.push(file)
    for (const next of localImports(file)) visit(next)
    stack.pop()
    done.add(file)
  }
  for (const entry of entries) visit(resolve(root, entry))
  return found
}
