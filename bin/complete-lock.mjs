/**
 * Completes package-lock.json after `npm install`: adds an entry for every optional platform package that npm could
 * not resolve (a registry that carries only some platforms' builds), marked with the platform its name says, so that
 * `npm ci` accepts the lock everywhere and skips those packages on other platforms.
 *
 *   npm install && node bin/complete-lock.mjs
 */
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const systems = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "netbsd", "sunos", "aix", "openharmony"]
const cpus = ["arm64", "x64", "ia32", "arm", "riscv64", "s390x", "loong64", "ppc64", "mips64el"]

const platformOf = (name) => {
  const tail = name.split("/").at(-1)
  const parts = tail.split("-")
  const os = systems.find((s) => parts.includes(s))
  const cpu = cpus.find((c) => parts.includes(c))
  const libc = os === "linux" ? (tail.includes("musl") ? "musl" : tail.includes("gnu") ? "glibc" : undefined) : undefined
  return { os, cpu, libc }
}

let added = 0
for (const meta of Object.values(lock.packages)) {
  for (const [dependency, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dependency}`
    if (lock.packages[key] !== undefined) continue
    const { cpu, libc, os } = platformOf(dependency)
    lock.packages[key] = {
      version,
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(os ? { os: [os] } : {}),
      ...(libc ? { libc: [libc] } : {})
    }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)))
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`complete-lock: ${added} platform entr${added === 1 ? "y" : "ies"} added`)
