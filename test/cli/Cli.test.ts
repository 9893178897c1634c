/**
 * The command line without serving: how it is read (in this process), and what the executable prints for help, the
 * version and a wrong command line, with which exit code (in a child process).
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Either } from "effect"
import { readFileSync } from "node:fs"
import * as Cli from "../../src/cli/Cli.js"
import * as Usage from "../../src/cli/Usage.js"
import { fromSource, root, run } from "./Process.js"

const packageVersion: unknown = JSON.parse(readFileSync(`${root}package.json`, "utf8")).version

/** The message of the UsageError `args` give, and the usage it names ("" when `args` are right). */
const wrong = (args: ReadonlyArray<string>) =>
  Either.match(Cli.parse(args), { onLeft: (error) => [error.message, error.usage] as const, onRight: () => ["", ""] as const })

describe("Cli.parse", () => {
  it("help in every spelling, for the command and for simulate", () => {
    for (const args of [["--help"], ["-h"], ["help"], ["-h", "simulate"]]) {
      expect(Cli.parse(args)).toEqual(Either.right({ _tag: "Print", text: Usage.main }))
    }
    for (const args of [["simulate", "--help"], ["simulate", "-h"], ["help", "simulate"], ["simulate", "help"], ["simulate", "veil", "--port", "x", "-h"]]) {
      expect(Cli.parse(args)).toEqual(Either.right({ _tag: "Print", text: Usage.simulate }))
    }
    expect(Usage.main).toMatch(/^usage: npx effect-cloud-clients <command> \[options\]\n/)
    expect(Usage.simulate).toContain(`usage: npx effect-cloud-clients simulate veil [--port N] [--task-duration "3 seconds"] [--domains 12]`)
  })

  it("simulate <api>: defaults, and every option", () => {
    expect(Cli.parse(["simulate", "veil"])).toEqual(Either.right({
      _tag: "Simulate",
      api: "veil",
      options: { port: 0, taskDuration: Duration.seconds(3), domains: 12, maxInstances: 10, tls: false }
    }))
    expect(Cli.parse(["simulate", "openstack", "--port", "8080", "--task-duration", "500 millis", "--max-instances", "3"])).toEqual(Either.right({
      _tag: "Simulate",
      api: "openstack",
      options: { port: 8080, taskDuration: Duration.millis(500), domains: 12, maxInstances: 3, tls: false }
    }))
    expect(Cli.parse(["simulate", "ovh", "--tls", "--port=0"])).toEqual(Either.right({
      _tag: "Simulate",
      api: "ovh",
      options: { port: 0, taskDuration: Duration.seconds(3), domains: 12, maxInstances: 10, tls: true }
    }))
    expect(Cli.parse(["--version"])).toEqual(Either.right({ _tag: "Version" }))
  })

  it("a wrong command line says what was wrong, with the usage of the command it was for", () => {
    expect(wrong(["simulate", "nope"])).toEqual([`unknown API "nope"`, Usage.simulate])
    expect(wrong(["simulate"])).toEqual(["no API given", Usage.simulate])
    expect(wrong(["simulate", "veil", "extra"])).toEqual([`unexpected argument "extra"`, Usage.simulate])
    expect(wrong(["simulate", "veil", "--port", "70000"])).toEqual([`--port must be a whole number from 0 to 65535, not "70000"`, Usage.simulate])
    expect(wrong(["simulate", "veil", "--port", "-1"])[0]).toBe("Option '--port' argument is ambiguous")
    expect(wrong(["simulate", "veil", "--port"])[0]).toBe("Option '--port <value>' argument missing")
    expect(wrong(["simulate", "veil", "--domains", "1.5"])[0]).toBe(`--domains must be a whole number, not "1.5"`)
    expect(wrong(["simulate", "openstack", "--max-instances", ""])[0]).toBe(`--max-instances must be a whole number, not ""`)
    expect(wrong(["simulate", "veil", "--task-duration", "soon"])[0]).toBe(`--task-duration must be a duration such as "3 seconds" or "500 millis", not "soon"`)
    expect(wrong(["simulate", "veil", "--tls"])[0]).toBe("--tls is an option of the ovh simulator only")
    expect(wrong(["simulate", "ovh", "--domains", "3"])[0]).toBe("--domains is an option of the veil simulator only")
    expect(wrong(["simulate", "veil", "--max-instances", "3"])[0]).toBe("--max-instances is an option of the openstack simulator only")
    expect(wrong(["simulate", "veil", "--bogus"])[0]).toBe("Unknown option '--bogus'")
    expect(wrong(["simulate", "ovh", "--tls=yes"])[0]).toBe("Option '--tls' does not take an argument")
    expect(wrong([])).toEqual(["no command given", Usage.main])
    expect(wrong(["frobnicate"])).toEqual([`unknown command "frobnicate"`, Usage.main])
    expect(wrong(["--frobnicate"])).toEqual([`unknown option "--frobnicate"`, Usage.main])
    expect(wrong(["help", "frobnicate"])[0]).toBe(`no help for "frobnicate": the commands are simulate and help`)
  })
})

describe("npx effect-cloud-clients (from the sources)", () => {
  it("--help and simulate --help print usage on stdout and exit 0; --version prints the package's version", async () => {
    const [help, simulateHelp, version] = await Promise.all([
      run(fromSource("--help")),
      run(fromSource("simulate", "--help")),
      run(fromSource("--version"))
    ])
    expect(help).toEqual({ code: 0, signal: null, stdout: `${Usage.main}\n`, stderr: "" })
    expect(simulateHelp).toEqual({ code: 0, signal: null, stdout: `${Usage.simulate}\n`, stderr: "" })
    expect(typeof packageVersion).toBe("string")
    expect(version).toEqual({ code: 0, signal: null, stdout: `${packageVersion}\n`, stderr: "" })
  }, 60_000)

  it("an unknown API or a bad option: what was wrong, then the usage, on stderr, exit code 2", async () => {
    const [api, option] = await Promise.all([run(fromSource("simulate", "nope")), run(fromSource("simulate", "veil", "--port", "http"))])
    expect(api).toEqual({ code: 2, signal: null, stdout: "", stderr: `unknown API "nope"\n\n${Usage.simulate}\n` })
    expect(option).toEqual({ code: 2, signal: null, stdout: "", stderr: `--port must be a whole number from 0 to 65535, not "http"\n\n${Usage.simulate}\n` })
  }, 60_000)
})
