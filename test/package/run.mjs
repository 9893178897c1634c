#!/usr/bin/env node
/**
 * The consumer test of effect-cloud-clients: the package packed, linted and installed the way users get it, then
 * used the way they use it.
 *
 *   node test/package/run.mjs [--readme <file.md>] [--keep]
 *
 * 1. `npm pack` (prepack builds dist/) into a temporary directory; the tarball holds only package.json, README.md,
 *    LICENSE, CHANGELOG.md, dist/ and src/, and does hold LICENSE and CHANGELOG.md.
 * 2. `publint --strict` and `attw --profile esm-only` on the tarball.
 * 3. A scratch `"type": "module"` project with only the tarball, its peers (at the versions the project has, so the
 *    npm cache serves them) and, as its own devDependencies, typescript 5.9.3, @types/node 22 and @types/ws: `npm ls --all` is
 *    clean and there is exactly one copy of `effect`.
 * 4. Plain-Node consumers (consumer/*.mjs, consumer/require.cjs) against simulators served by the installed bin
 *    (`npx effect-cloud-clients simulate <api> --port 0`, its `export` lines as their env; stopped with SIGTERM,
 *    exit 0 expected).
 * 5. consumer/typecheck/consumer.ts, over every entry point, type-checked with the scratch's consumer tsconfig under
 *    TypeScript 5.9.3 (the scratch's) and TypeScript 7 (the project's), and both outputs run with node.
 * 6. Every ```js run / ```ts run block of the README (or of --readme) is a whole program, run against fresh
 *    simulators of the APIs it imports: js blocks as .mjs files, ts blocks type-checked by both compilers with the
 *    consumer tsconfig and run from TypeScript 5.9.3's output; `node>=N` after `run` skips a block on an older Node.
 * 7. No child printed effect's "Executing an Effect versioned … with a Runtime of version …" warning.
 *
 * Plain Node (≥ 20.19), built-in modules only. Prints a summary, removes its temporary directory (unless --keep)
 * and exits 1 when any check failed.
 */
import { spawn } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const here = dirname(fileURLToPath(import.meta.url))
const project = resolve(here, "../..")
const consumerDir = join(here, "consumer")
const startedAt = Date.now()

const { values: options } = parseArgs({
  options: {
    readme: { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false }
  }
})
if (options.help) {
  console.log("usage: node test/package/run.mjs [--readme <file.md>] [--keep]")
  process.exit(0)
}
const readmePath = options.readme === undefined ? join(project, "README.md") : resolve(process.cwd(), options.readme)

/** The APIs whose simulators the installed bin serves, and the variables each must print. */
const apis = {
  veil: ["VEIL_ADDRESS", "VEIL_SCHEME", "VEIL_TOKEN"],
  openstack: ["OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"],
  ovh: ["OVH_ENDPOINT", "OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET", "OVH_CONSUMER_KEY"]
}
const peers = ["effect", "@effect/platform", "@effect/platform-node"]
const versionWarning = /Executing an Effect versioned|with a Runtime of version/

/**
 * The environment of every child: the caller's, without variables that would point a consumer elsewhere (a CI's
 * own OpenStack `OS_*`, `VEIL_*`, `OVH_*`) or load something into plain node (`NODE_OPTIONS`).
 */
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(VEIL_|OS_|OVH_)/.test(name) && name !== "NODE_OPTIONS")
)
baseEnv.NO_COLOR = "1"

const tmp = mkdtempSync(join(tmpdir(), "effect-cloud-clients-package-"))
const scratch = join(tmp, "consumer")

// ---------------------------------------------------------------------------------------------------------------
// Children

/** Every child run, for the warning scan at the end. */
const transcripts = []
/** Process groups still running, ended if the runner is interrupted. */
const live = new Set()

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Runs a command in its own process group; resolves with its exit and output (never rejects). A run past
 * `timeout` ms is killed.
 */
const exec = (label, command, args, { cwd = project, env = baseEnv, timeout = 60_000 } = {}) =>
  new Promise((resolvePromise) => {
    const started = Date.now()
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    live.add(child)
    let stdout = ""
    let stderr = ""
    let timedOut = false
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child, "SIGKILL")
    }, timeout)
    let done = false
    const finish = (code, signal, error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      live.delete(child)
      const result = {
        label,
        command: [command, ...args].join(" "),
        code,
        signal,
        timedOut,
        stdout,
        stderr: error === undefined ? stderr : `${stderr}${String(error)}\n`,
        ms: Date.now() - started
      }
      transcripts.push(result)
      resolvePromise(result)
    }
    child.on("error", (error) => finish(null, null, error))
    child.on("close", (code, signal) => finish(code, signal, undefined))
  })

const ended = (result) =>
  result.timedOut
    ? "timed out"
    : result.signal !== null
    ? `killed by ${result.signal}`
    : `exit ${result.code}`

// ---------------------------------------------------------------------------------------------------------------
// Checks

class CheckFailed extends Error {
  constructor(message, children = []) {
    super(message)
    this.children = children
  }
}

class CheckSkipped extends Error {}

const results = []

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const indent = (text, prefix = "      ") => text.replace(/\n$/, "").split("\n").map((line) => `${prefix}${line}`).join("\n")
const maxShown = 20_000

const showChild = (child) => {
  const lines = [`    ── ${child.label}: ${child.command} (${ended(child)}, ${seconds(child.ms)})`]
  for (const [name, text] of [["stdout", child.stdout], ["stderr", child.stderr]]) {
    if (text.trim() === "") continue
    const shown = text.length > maxShown ? `${text.slice(0, maxShown)}\n… ${text.length - maxShown} more characters` : text
    lines.push(`    ${name}:`, indent(shown))
  }
  return lines.join("\n")
}

/** Runs one check: `body` returns a short detail, throws CheckFailed (with the children to show) or CheckSkipped. */
const check = async (name, body) => {
  const started = Date.now()
  let result
  try {
    result = { name, status: "passed", detail: (await body()) ?? "" }
  } catch (error) {
    if (error instanceof CheckSkipped) result = { name, status: "skipped", detail: error.message }
    else if (error instanceof CheckFailed) result = { name, status: "failed", detail: error.message, children: error.children }
    else result = { name, status: "failed", detail: error instanceof Error ? error.stack ?? error.message : String(error) }
  }
  result.ms = Date.now() - started
  results.push(result)
  const mark = { passed: "✓", failed: "✗", skipped: "-" }[result.status]
  const head = `${mark} ${name} (${seconds(result.ms)})`
  if (result.status === "failed") {
    console.log(`${head}\n${indent(result.detail, "    ")}`)
    for (const child of result.children ?? []) console.log(showChild(child))
  } else {
    console.log(result.detail === "" ? head : `${head}: ${result.detail}`)
  }
  return result.status === "passed"
}

const expectSuccess = (result, what = result.label) => {
  if (result.code !== 0 || result.timedOut) throw new CheckFailed(`${what}: ${ended(result)}`, [result])
  return result
}

/** Runs at most `n` of the given tasks at a time. */
const limiter = (n) => {
  let running = 0
  const waiting = []
  const next = () => {
    if (running >= n || waiting.length === 0) return
    running++
    const { task, settle } = waiting.shift()
    task().then((value) => settle(value), (error) => settle(Promise.reject(error))).finally(() => {
      running--
      next()
    })
  }
  return (task) =>
    new Promise((settle) => {
      waiting.push({ task, settle })
      next()
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Simulators served by the installed bin

/** Every simulator session per API, for the CLI checks at the end. */
const sessions = { veil: [], openstack: [], ovh: [] }

/** The words of a shell line (single and double quotes, backslash escapes), stopping at a comment. */
const shellWords = (line) => {
  const words = []
  let word = null
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === " " || c === "\t") {
      if (word !== null) words.push(word)
      word = null
      i++
    } else if (c === "#" && word === null) {
      break
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated ' in: ${line}`)
      word = (word ?? "") + line.slice(i + 1, end)
      i = end + 1
    } else if (c === "\"") {
      let j = i + 1
      let text = ""
      while (j < line.length && line[j] !== "\"") {
        if (line[j] === "\\" && j + 1 < line.length && "\"\\$`".includes(line[j + 1])) j++
        text += line[j]
        j++
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`)
      word = (word ?? "") + text
      i = j + 1
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[i + 1]
      i += 2
    } else {
      word = (word ?? "") + c
      i++
    }
  }
  if (word !== null) words.push(word)
  return words
}

/** The variables of every `export NAME=value …` line of a simulator's banner (one or several per line). */
const parseExports = (text) => {
  const env = {}
  for (const line of text.split("\n")) {
    const match = /^\s*export\s+(.*)$/.exec(line)
    if (match === null) continue
    for (const word of shellWords(match[1])) {
      const eq = word.indexOf("=")
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.slice(0, eq))) env[word.slice(0, eq)] = word.slice(eq + 1)
    }
  }
  return env
}

const alive = (pid) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Starts `npx effect-cloud-clients simulate <api> --port 0` in the scratch project and waits for its banner.
 * Resolves with the session (its env and how to stop it) or rejects with CheckFailed.
 */
const startSimulator = (api) =>
  new Promise((resolvePromise, rejectPromise) => {
    const args = ["--no-install", "effect-cloud-clients", "simulate", api, "--port", "0"]
    const started = Date.now()
    const child = spawn("npx", args, { cwd: scratch, env: baseEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    live.add(child)
    const session = {
      api,
      transcript: { label: `simulator ${api}`, command: `npx ${args.join(" ")}`, code: null, signal: null, timedOut: false, stdout: "", stderr: "", ms: 0 },
      env: {},
      pid: undefined,
      problems: []
    }
    sessions[api].push(session)
    transcripts.push(session.transcript)
    let ready = false
    const exit = new Promise((resolveExit) => {
      child.on("close", (code, signal) => {
        live.delete(child)
        session.transcript.code = code
        session.transcript.signal = signal
        session.transcript.ms = Date.now() - started
        resolveExit({ code, signal })
      })
    })
    const fail = (message) => {
      session.problems.push(message)
      killGroup(child, "SIGKILL")
      exit.then(() => rejectPromise(new CheckFailed(`simulator ${api}: ${message}`, [session.transcript])))
    }
    const timer = setTimeout(() => {
      if (!ready) {
        session.transcript.timedOut = true
        fail("no \"Press Ctrl+C to stop\" banner within 30 s")
      }
    }, 30_000)
    child.on("error", (error) => {
      session.transcript.stderr += `${String(error)}\n`
    })
    child.stderr.on("data", (chunk) => {
      session.transcript.stderr += chunk
    })
    child.stdout.on("data", (chunk) => {
      session.transcript.stdout += chunk
      if (ready || !session.transcript.stdout.includes("Press Ctrl+C to stop")) return
      ready = true
      clearTimeout(timer)
      try {
        session.env = parseExports(session.transcript.stdout)
      } catch (error) {
        return fail(`its export lines do not parse: ${String(error)}`)
      }
      const pid = /\bpid (\d+)\b/.exec(session.transcript.stdout)
      if (pid === null) session.problems.push("no \"pid N\" line")
      else session.pid = Number(pid[1])
      const missing = apis[api].filter((name) => session.env[name] === undefined)
      if (missing.length > 0) return fail(`no export line for ${missing.join(", ")}`)
      session.stop = async () => {
        const target = session.pid !== undefined && session.pid > 1 && session.pid !== process.pid ? session.pid : child.pid
        try {
          process.kill(target, "SIGTERM")
        } catch (error) {
          session.problems.push(`SIGTERM to pid ${target} failed: ${String(error)}`)
        }
        const stopTimer = setTimeout(() => {
          session.problems.push("still running 10 s after SIGTERM")
          killGroup(child, "SIGKILL")
          if (session.pid !== undefined && alive(session.pid)) process.kill(session.pid, "SIGKILL")
        }, 10_000)
        const { code, signal } = await exit
        clearTimeout(stopTimer)
        if (code !== 0) session.problems.push(`stopped by SIGTERM with ${signal !== null ? `signal ${signal}` : `exit ${code}`}, not exit 0`)
        if (session.pid !== undefined && alive(session.pid)) {
          session.problems.push(`pid ${session.pid} still running after npx exited`)
          process.kill(session.pid, "SIGKILL")
        }
      }
      resolvePromise(session)
    })
    exit.then(() => {
      if (!ready) {
        clearTimeout(timer)
        session.problems.push(`exited before its banner (${ended(session.transcript)})`)
        rejectPromise(new CheckFailed(`simulator ${api}: exited before its banner (${ended(session.transcript)})`, [session.transcript]))
      }
    })
  })

/** Runs `body(env)` with fresh simulators of `wanted` APIs, their exports merged into the env; stops them after. */
const withSimulators = async (wanted, body) => {
  const settled = await Promise.allSettled(wanted.map((api) => startSimulator(api)))
  const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []))
  try {
    const failed = settled.find((s) => s.status === "rejected")
    if (failed !== undefined) throw failed.reason
    const env = { ...baseEnv }
    for (const session of started) Object.assign(env, session.env)
    return await body(env, started.map((s) => s.transcript))
  } finally {
    await Promise.all(started.map((session) => session.stop()))
  }
}

// ---------------------------------------------------------------------------------------------------------------
// README samples

/** The fenced blocks of a markdown text: info string, first line number, content. */
const fencedBlocks = (text) => {
  const blocks = []
  const lines = text.split("\n")
  let open = null
  lines.forEach((line, index) => {
    if (open === null) {
      const match = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line)
      if (match === null || (match[2][0] === "`" && match[3].includes("`"))) return
      open = { indent: match[1].length, fence: match[2], info: match[3].trim(), line: index + 1, body: [] }
      return
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)
    if (close !== null && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
      blocks.push({ info: open.info, line: open.line, content: open.body.join("\n") + "\n" })
      open = null
      return
    }
    open.body.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ""))
  })
  if (open !== null) blocks.push({ info: open.info, line: open.line, content: open.body.join("\n") + "\n" })
  return blocks
}

const compareVersions = (a, b) => {
  const pa = a.split(".").map(Number)
  const pb = b.split(".").map(Number)
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** The runnable samples of a markdown file: ```js run / ```ts run blocks, with their conditions and APIs. */
const readSamples = (file) => {
  const name = basename(file)
  return fencedBlocks(readFileSync(file, "utf8")).flatMap((block) => {
    const [lang, run, ...conditions] = block.info.split(/\s+/)
    if (run !== "run" || (lang !== "js" && lang !== "ts")) return []
    const problems = []
    let skip
    for (const condition of conditions) {
      const node = /^node>=(\d+(?:\.\d+){0,2})$/.exec(condition)
      if (node !== null) {
        if (compareVersions(process.versions.node, node[1]) < 0) skip = `needs node>=${node[1]}, this is ${process.versions.node}`
      } else if (condition.startsWith("node")) {
        problems.push(`unknown condition "${condition}" (only node>=N is understood)`)
      }
    }
    const imported = new Set()
    for (const match of block.content.matchAll(/["']effect-cloud-clients\/(veil|openstack|ovh)(?:\/testing)?["']/g)) imported.add(match[1])
    return [{ where: `${name}:${block.line}`, lang, line: block.line, content: block.content, skip, problems, apis: [...imported].sort() }]
  })
}

// ---------------------------------------------------------------------------------------------------------------
// The run

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`
let tarball
let tarballLine = "tarball: not packed"

const allowedFiles = new Set(["package.json", "README.md", "LICENSE", "CHANGELOG.md"])
const requiredFiles = ["LICENSE", "CHANGELOG.md"]

const interrupted = (signal) => {
  for (const child of live) killGroup(child, "SIGKILL")
  for (const list of Object.values(sessions)) {
    for (const session of list) if (session.pid !== undefined && alive(session.pid)) process.kill(session.pid, "SIGKILL")
  }
  if (!options.keep) rmSync(tmp, { recursive: true, force: true })
  console.log(`\ninterrupted by ${signal}`)
  process.exit(130)
}
process.on("SIGINT", interrupted)
process.on("SIGTERM", interrupted)

const main = async () => {
  console.log(`effect-cloud-clients consumer test — node ${process.versions.node}, temporary directory ${tmp}`)

  // 1. Pack.
  let packed
  const packOk = await check("npm pack (prepack builds dist/)", async () => {
    const result = expectSuccess(await exec("npm pack", "npm", ["pack", "--pack-destination", tmp, "--json"], { timeout: 180_000 }))
    const json = result.stdout.trim()
    let parsed
    try {
      parsed = JSON.parse(json.startsWith("[") ? json : json.slice(json.lastIndexOf("\n[") + 1))
    } catch (error) {
      throw new CheckFailed(`npm pack --json did not print JSON: ${String(error)}`, [result])
    }
    packed = parsed[0]
    tarball = join(tmp, packed.filename)
    if (!existsSync(tarball)) throw new CheckFailed(`no ${packed.filename} in ${tmp}`, [result])
    tarballLine = `tarball: ${packed.entryCount} files, ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked (${packed.filename})`
    return tarballLine.replace(/^tarball: /, "")
  })
  if (!packOk) return

  await check("tarball holds only package.json, README.md, LICENSE, CHANGELOG.md, dist/, src/", () => {
    const outside = packed.files.map((f) => f.path).filter((path) => !allowedFiles.has(path) && !path.startsWith("dist/") && !path.startsWith("src/"))
    if (outside.length > 0) {
      const shown = outside.slice(0, 30).join("\n")
      throw new CheckFailed(`${outside.length} files outside them:\n${shown}${outside.length > 30 ? "\n…" : ""}`)
    }
    const dist = packed.files.filter((f) => f.path.startsWith("dist/")).length
    const src = packed.files.filter((f) => f.path.startsWith("src/")).length
    return `${dist} in dist/, ${src} in src/, ${packed.files.length - dist - src} at the top`
  })
  await check("tarball has LICENSE and CHANGELOG.md", () => {
    const paths = new Set(packed.files.map((f) => f.path))
    const missing = requiredFiles.filter((file) => !paths.has(file))
    if (missing.length > 0) throw new CheckFailed(`missing: ${missing.join(", ")}`)
    return ""
  })

  // 2. Lint the tarball, 3. install it — at the same time.
  const bin = (name) => join(project, "node_modules", ".bin", name)
  const lint = Promise.all([
    check("publint --strict (tarball)", async () => {
      const result = expectSuccess(await exec("publint", bin("publint"), ["--strict", tarball]))
      if (!/All good!/.test(result.stdout)) throw new CheckFailed("publint printed suggestions", [result])
      return "all good"
    }),
    check("attw --profile esm-only (tarball)", async () => {
      const result = expectSuccess(await exec("attw", bin("attw"), ["--profile", "esm-only", "--format", "ascii", "--no-color", tarball]))
      const entries = (result.stdout.match(/^"effect-cloud-clients[^"]*"/gm) ?? []).length
      return `no problem in ${entries} entry points`
    })
  ])

  const versions = Object.fromEntries(
    peers.map((name) => [name, JSON.parse(readFileSync(join(project, "node_modules", name, "package.json"), "utf8")).version])
  )
  const installed = await check("scratch project: npm install of the tarball and its peers", async () => {
    mkdirSync(scratch, { recursive: true })
    const manifest = {
      name: "effect-cloud-clients-consumer",
      private: true,
      type: "module",
      dependencies: { "effect-cloud-clients": `file:${tarball}`, ...versions },
      // @types/ws: @effect/platform-node's declarations import `ws` without bringing its types, so a consumer that
      // checks every declaration file (skipLibCheck: false) and imports @effect/platform-node installs them.
      devDependencies: { typescript: "5.9.3", "@types/node": "^22", "@types/ws": "^8" }
    }
    writeFileSync(join(scratch, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
    expectSuccess(
      await exec("npm install", "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: scratch, timeout: 180_000 })
    )
    return Object.entries(versions).map(([name, version]) => `${name}@${version}`).join(", ")
  })
  if (!installed) {
    await lint
    return
  }

  await check("npm ls --all (scratch)", async () => {
    const result = expectSuccess(await exec("npm ls", "npm", ["ls", "--all"], { cwd: scratch }))
    return `${result.stdout.split("\n").filter((line) => /[├└]/.test(line)).length} entries, no problem`
  })
  await check("exactly one copy of effect (scratch)", () => {
    const copies = []
    const visit = (dir) => {
      if (!existsSync(dir)) return
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith(".")) continue
        if (entry.name.startsWith("@")) {
          for (const scoped of readdirSync(join(dir, entry.name), { withFileTypes: true })) {
            if (scoped.isDirectory()) visit(join(dir, entry.name, scoped.name, "node_modules"))
          }
          continue
        }
        const pkg = join(dir, entry.name, "package.json")
        if (entry.name === "effect" && existsSync(pkg)) {
          const { name, version } = JSON.parse(readFileSync(pkg, "utf8"))
          if (name === "effect") copies.push(`${relative(scratch, join(dir, entry.name))}@${version}`)
        }
        visit(join(dir, entry.name, "node_modules"))
      }
    }
    visit(join(scratch, "node_modules"))
    if (copies.length !== 1) throw new CheckFailed(`${copies.length} copies: ${copies.join(", ") || "none"}`)
    return copies[0]
  })

  // The consumer files, and the README's samples, into the scratch project.
  for (const entry of readdirSync(consumerDir)) cpSync(join(consumerDir, entry), join(scratch, entry), { recursive: true })
  let samples = []
  const readmeOk = await check(`${basename(readmePath)}: runnable samples found`, () => {
    if (!existsSync(readmePath)) throw new CheckFailed(`${readmePath} does not exist`)
    samples = readSamples(readmePath)
    if (samples.length === 0) throw new CheckFailed(`no \`\`\`js run or \`\`\`ts run block in ${readmePath}`)
    mkdirSync(join(scratch, "readme"), { recursive: true })
    for (const sample of samples) {
      sample.file = `readme/sample-${sample.line}.${sample.lang === "js" ? "mjs" : "ts"}`
      writeFileSync(join(scratch, sample.file), sample.content)
    }
    const js = samples.filter((s) => s.lang === "js").length
    return `${samples.length} (${js} js, ${samples.length - js} ts)`
  })

  // Type-checks (started first: TypeScript 5.9 reading every declaration file is the longest step).
  const tsc5 = join(scratch, "node_modules", ".bin", "tsc")
  const tsc7 = bin("tsc")
  const compile = async (label, tscBin, outDir) => {
    const version = (await exec(`${label} --version`, tscBin, ["--version"], { cwd: scratch })).stdout.trim().replace(/^Version /, "")
    const result = await exec(label, tscBin, ["-p", "tsconfig.json", "--outDir", outDir, "--pretty", "false"], { cwd: scratch, timeout: 240_000 })
    const errors = new Map()
    let current
    for (const line of `${result.stdout}\n${result.stderr}`.split("\n")) {
      const match = /^(.+?)\(\d+,\d+\): error /.exec(line)
      if (match !== null) {
        current = match[1]
        errors.set(current, [...(errors.get(current) ?? []), line])
      } else if (current !== undefined && /^\s+\S/.test(line)) {
        errors.get(current).push(line)
      }
    }
    return { label, version, outDir, result, errors }
  }
  const compiles = [compile("tsc 5.9.3", tsc5, "out-ts5"), compile("tsc 7", tsc7, "out-ts7")]

  /** The errors of a compile that are not in README sample files (the consumer's, or in declaration files). */
  const consumerErrors = (c) => [...c.errors.entries()].filter(([file]) => !file.startsWith("readme/"))

  const typecheckChecks = compiles.map((pending, i) =>
    check(`${i === 0 ? "TypeScript 5.9.3" : "TypeScript 7"}: strict type-check of consumer code over every entry point`, async () => {
      const c = await pending
      const wanted = i === 0 ? /^5\.9\.3$/ : /^7\./
      if (!wanted.test(c.version)) throw new CheckFailed(`${c.label} is "${c.version}"`)
      const own = consumerErrors(c)
      if (own.length > 0) throw new CheckFailed(own.map(([, lines]) => lines.join("\n")).join("\n"), [c.result])
      if (c.result.code !== 0 && c.errors.size === 0) throw new CheckFailed(`${c.label}: ${ended(c.result)}`, [c.result])
      return `TypeScript ${c.version}, skipLibCheck false, no error`
    })
  )

  /** Node programs run three at a time (a README sample together with its own simulators), beside the type-checks. */
  const runSlot = limiter(3)
  const runNode = (label, file, env) => exec(label, "node", [file], { cwd: scratch, env, timeout: 90_000 })

  /**
   * The plain-node consumers share one simulator per API (each touches only what it makes or reads); README samples
   * get fresh ones. A simulator that does not start fails the consumers that need it.
   */
  const shared = Object.fromEntries(Object.keys(apis).map((api) => [api, startSimulator(api)]))
  for (const pending of Object.values(shared)) pending.catch(() => undefined)
  const consumer = (name, file, wanted) =>
    check(name, async () => {
      const started = await Promise.all(wanted.map((api) => shared[api]))
      const env = Object.assign({ ...baseEnv }, ...started.map((session) => session.env))
      const result = await runSlot(() => runNode(`node ${file}`, file, env))
      if (result.code !== 0 || result.timedOut) {
        throw new CheckFailed(`node ${file}: ${ended(result)}`, [result, ...started.map((session) => session.transcript)])
      }
      return result.stdout.trim().split("\n").filter((line) => line !== "").join(" | ")
    })

  const scripts = Promise.all([
    consumer("node veil.mjs: Veil.fromEnv(), list domains, start one and wait on its task", "veil.mjs", ["veil"]),
    consumer("node openstack.mjs: OpenStack.fromEnv(), flavors, images, create/wait/delete a server", "openstack.mjs", ["openstack"]),
    consumer("node ovh.mjs: Ovh.connect() from OVH_*, GET /me, Me.get, Bills.list", "ovh.mjs", ["ovh"]),
    consumer("node require.cjs: require() of effect-cloud-clients/veil and effect-cloud-clients", "require.cjs", []),
    consumer("node closed.mjs: after close(), calls reject with a tagged Error (Veil, OpenStack, Ovh)", "closed.mjs", ["veil", "openstack", "ovh"])
  ]).finally(async () => {
    const started = await Promise.allSettled(Object.values(shared))
    await Promise.all(started.flatMap((s) => (s.status === "fulfilled" ? [s.value.stop()] : [])))
  })

  const compiledRuns = compiles.map(async (pending, i) => {
    const ts = i === 0 ? "TypeScript 5.9.3" : "TypeScript 7"
    const c = await pending
    return check(`consumer program compiled by ${ts} runs with node`, async () => {
      if (consumerErrors(c).length > 0 || (c.result.code !== 0 && c.errors.size === 0)) throw new CheckSkipped("it does not compile")
      const file = join(c.outDir, "typecheck", "consumer.js")
      if (!existsSync(join(scratch, file))) throw new CheckFailed(`${c.label} wrote no ${file}`, [c.result])
      const result = expectSuccess(await runSlot(() => runNode(`node ${file}`, file, baseEnv)))
      return `${result.stdout.trim().split("\n").length} lines, exit 0`
    })
  })

  const sampleChecks = !readmeOk ? [] : samples.map((sample) => {
    const title = `${sample.where}: \`\`\`${sample.lang} run${sample.apis.length > 0 ? ` (${sample.apis.join(", ")})` : ""}`
    return check(title, async () => {
      if (sample.problems.length > 0) throw new CheckFailed(sample.problems.join("\n"))
      if (sample.skip !== undefined) throw new CheckSkipped(sample.skip)
      if (sample.lang === "js") {
        return runSlot(() => withSimulators(sample.apis, async (env, simulatorTranscripts) => {
          const result = await runNode(`node ${sample.file}`, sample.file, env)
          if (result.code !== 0 || result.timedOut) {
            throw new CheckFailed(`${ended(result)}\n${indent(sample.content, "  | ")}`, [result, ...simulatorTranscripts])
          }
          return "exit 0"
        }))
      }
      // Type-checked by both compilers; run once, from the consumer's own compiler's output (the consumer
      // program runs from both, which is what compares the two compilers' output).
      const [c5, c7] = await Promise.all(compiles)
      const failures = []
      for (const c of [c5, c7]) {
        const errors = c.errors.get(sample.file)
        if (errors !== undefined) failures.push({ summary: `${c.label}: type errors`, detail: errors.join("\n"), children: [] })
        else if (c.result.code !== 0 && c.errors.size === 0) failures.push({ summary: `${c.label}: ${ended(c.result)}`, children: [c.result] })
      }
      if (failures.length === 0) {
        const file = join(c5.outDir, sample.file.replace(/\.ts$/, ".js"))
        const run = await runSlot(() =>
          withSimulators(sample.apis, async (env, simulatorTranscripts) => {
            const result = await runNode(`node ${file}`, file, env)
            return result.code === 0 && !result.timedOut ? undefined : { summary: `compiled by ${c5.label}: ${ended(result)}`, children: [result, ...simulatorTranscripts] }
          })
        ).catch((error) => ({ summary: error instanceof Error ? error.message : String(error), children: error.children ?? [] }))
        if (run !== undefined) failures.push(run)
      }
      if (failures.length > 0) {
        throw new CheckFailed(
          [failures.map((f) => f.summary).join("; "), ...failures.flatMap((f) => (f.detail === undefined ? [] : [f.detail])), indent(sample.content, "  | ")].join("\n"),
          failures.flatMap((f) => f.children)
        )
      }
      return `type-checks under TypeScript ${c5.version} and ${c7.version}; its ${c5.label} output exits 0`
    })
  })

  await Promise.all([lint, ...typecheckChecks, scripts, ...compiledRuns, ...sampleChecks])

  // The bin, from every session it served.
  for (const [api, list] of Object.entries(sessions)) {
    await check(`npx effect-cloud-clients simulate ${api}: banner, export lines, pid, SIGTERM → exit 0`, () => {
      if (list.length === 0) throw new CheckSkipped("never started")
      const bad = list.filter((session) => session.problems.length > 0)
      if (bad.length > 0) {
        throw new CheckFailed(bad.map((session) => session.problems.join("; ")).join("\n"), bad.map((session) => session.transcript))
      }
      return `${list.length} runs; ${Object.keys(list[0].env).join(", ")}`
    })
  }

  await check("no \"Executing an Effect versioned … with a Runtime of version …\" warning", () => {
    const warned = transcripts.filter((t) => versionWarning.test(t.stdout) || versionWarning.test(t.stderr))
    if (warned.length > 0) throw new CheckFailed(`in ${warned.map((t) => t.label).join(", ")}`, warned)
    return `${transcripts.length} children's output scanned`
  })
}

try {
  await main()
} catch (error) {
  results.push({ name: "the runner itself", status: "failed", detail: error instanceof Error ? error.stack ?? error.message : String(error), ms: 0 })
  console.log(`✗ the runner itself\n${indent(String(error instanceof Error ? error.stack : error), "    ")}`)
} finally {
  for (const child of live) killGroup(child, "SIGKILL")
  if (options.keep) console.log(`kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}

const count = (status) => results.filter((r) => r.status === status).length
console.log(`\nsummary\n  ${tarballLine}`)
for (const r of results) {
  const first = r.detail.split("\n")[0]
  console.log(`  ${r.status.padEnd(7)} ${r.name}${r.status === "passed" || first === "" ? "" : ` — ${first}`}`)
}
console.log(`  ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped in ${seconds(Date.now() - startedAt)}`)
process.exitCode = count("failed") > 0 ? 1 : 0
