/**
 * The simulator's bodies have the shape of the real ECP bodies in the shared fixtures: every key a fixture has is
 * present with the same JSON kind (null on either side is accepted; arrays compare their first items; maps keyed
 * by uuid compare their values).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema, TestClock } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { isObject } from "../../../src/core/testing/Json.js"
import * as Veil from "../../../src/veil/testing/index.js"

const { SeedIds, rawRequest } = Veil

const fixturesDir = fileURLToPath(new URL("../../../../shared/fixtures/veil/", import.meta.url))
const haveFixtures = existsSync(fixturesDir)
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${fixturesDir}${name}`, "utf8"))

/** Keys whose object value is a map with data-dependent keys. */
const mapKeys = new Set(["entities", "os_version"])

const kind = (u: unknown): string => (u === null ? "null" : Array.isArray(u) ? "array" : typeof u)

const mismatches = (expected: unknown, actual: unknown, path: string, key: string): ReadonlyArray<string> => {
  if (expected === null || actual === null) return []
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected array, got ${kind(actual)}`]
    const [e] = expected
    const [a] = actual
    return e === undefined || a === undefined ? [] : mismatches(e, a, `${path}[0]`, key)
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${path}: expected object, got ${kind(actual)}`]
    if (mapKeys.has(key)) {
      const [e] = Object.values(expected)
      const [a] = Object.values(actual)
      return e === undefined || a === undefined ? [] : mismatches(e, a, `${path}.*`, key)
    }
    return Object.keys(expected).flatMap((k) =>
      k in actual ? mismatches(expected[k], actual[k], `${path}.${k}`, k) : [`${path}.${k}: missing`]
    )
  }
  return kind(expected) === kind(actual) ? [] : [`${path}: expected ${kind(expected)}, got ${kind(actual)}`]
}

const sameShape = (fixtureName: string, actual: unknown) =>
  expect(mismatches(fixture(fixtureName), actual, "$", "")).toEqual([])

const get = (path: string, query?: Record<string, string | number>) =>
  Effect.map(rawRequest("GET", path, query !== undefined ? { query } : {}), (r) => r.body)

const TaskId = Schema.Struct({ _task: Schema.Struct({ id: Schema.String }) })

describe.skipIf(!haveFixtures)("VeiL simulator bodies have the fixtures' shapes", () => {
  it.effect("domains", () =>
    Effect.gen(function*() {
      sameShape("domain-info.json", yield* get(`/api/domains/${SeedIds.domain(0)}/`))
      sameShape("domain-list.json", yield* get("/api/domains/", { ids: SeedIds.domain(0) }))
      sameShape("domain-action-200-sync.json", (yield* rawRequest("POST", `/api/domains/${SeedIds.domain(1)}/start/`, { body: {} })).body)
      sameShape(
        "domain-action-202-task.json",
        (yield* rawRequest("POST", `/api/domains/${SeedIds.domain(1)}/shutdown/`, { query: { async: 1 }, body: {} })).body
      )
      yield* TestClock.adjust("3 seconds")
      sameShape(
        "domain-multi-create-202.json",
        (yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
          query: { async: 1 },
          body: { verbose_name: "shape", parent: SeedIds.templates.linux }
        })).body
      )
      sameShape(
        "domain-remote-access-202.json",
        (yield* rawRequest("POST", `/api/domains/${SeedIds.domain(2)}/remote-access/`, {
          query: { async: 1 },
          body: { remote_access: true }
        })).body
      )
      sameShape(
        "domain-attach-usb-200.json",
        (yield* rawRequest("POST", `/api/domains/${SeedIds.domain(5)}/attach-usb/`, {
          query: { async: 0 },
          body: { action_type: "tcp_usb_device", tcp_usb: { host: "192.168.20.5", service: 4000 } }
        })).body
      )
      sameShape(
        "domain-guest-command-200.json",
        (yield* rawRequest("POST", `/api/domains/${SeedIds.domain(0)}/guest-command/`, {
          body: { qemu_cmd: "guest-exec", fargs: { path: "wscript.exe", arg: [] }, timeout: 5 }
        })).body
      )
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("tasks", () =>
    Effect.gen(function*() {
      const res = yield* rawRequest("POST", "/api/domains/multi-create-domain/", {
        query: { async: 1 },
        body: { verbose_name: "shape", parent: SeedIds.templates.linux }
      })
      const id = Schema.decodeUnknownSync(TaskId)(res.body)._task.id
      yield* TestClock.adjust("3 seconds")
      sameShape("task-info.json", yield* get(`/api/tasks/${id}/`))
    }).pipe(Effect.provide(Veil.layer())))

  it.effect("inventory, tags, events, controllers, errors", () =>
    Effect.gen(function*() {
      sameShape("controller-check.json", yield* get("/api/controllers/check/"))
      sameShape("controller-base-version.json", yield* get("/api/controllers/base-version/"))
      sameShape("cluster-list.json", yield* get("/api/clusters/"))
      sameShape("cluster-info.json", yield* get(`/api/clusters/${SeedIds.cluster}/`))
      sameShape("node-list.json", yield* get("/api/nodes/"))
      sameShape("node-info.json", yield* get(`/api/nodes/${SeedIds.nodes[0]}/`))
      sameShape("data-pool-list.json", yield* get("/api/data-pools/"))
      sameShape("data-pool-info.json", yield* get(`/api/data-pools/${SeedIds.datapools.local}/`))
      sameShape("resource-pool-list.json", yield* get("/api/resource_pools/"))
      sameShape("resource-pool-info.json", yield* get(`/api/resource-pools/${SeedIds.resourcePool}/`))
      sameShape("tag-list.json", yield* get("/api/tags/"))
      sameShape("event-list.json", yield* get("/api/events/"))
      sameShape("error-500-url-not-found.json", yield* get("/api/unknown/"))
      sameShape("error-401-signature-expired.json", (yield* rawRequest("GET", "/api/domains/", { token: "jwt x" })).body)
      // the comparison does notice a wrong shape
      const wrong = mismatches(fixture("domain-info.json"), yield* get(`/api/nodes/${SeedIds.nodes[0]}/`), "$", "")
      expect(wrong).toContain("$.user_power_state: missing")
    }).pipe(Effect.provide(Veil.layer())))
})
