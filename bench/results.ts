/**
 * Writes one benchmark's section of `bench/RESULTS.md`, leaving the other benchmarks' sections as they are.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"

const file = new URL("./RESULTS.md", import.meta.url)

/** Replaces (or appends) the section named `name`. */
export const writeSection = (name: string, markdown: string): void => {
  const start = `<!-- ${name} -->`
  const end = `<!-- /${name} -->`
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n"
  const block = `${start}\n${markdown.trim()}\n${end}`
  const from = current.indexOf(start)
  const to = current.indexOf(end)
  const next = from !== -1 && to !== -1
    ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
    : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`)
}
