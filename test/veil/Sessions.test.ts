/**
 * Many controllers at once (`VeilSessions`): two simulators behind ONE HttpClient that dispatches on the URL host,
 * so every request of every session is journaled by the controller it reached.
 */
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { Context, Effect, Layer, Ref, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import * as InProcess from "../../src/core/testing/InProcess.js"
import type { RecordedRequest } from "../../src/core/testing/Journal.js"
import * as Sessions from "../../src/veil/Sessions.js"
import { VeilSessions } from "../../src/veil/Sessions.js"
import * as VeilTesting from "../../src/veil/testing/index.js"
import { SeedIds } from "../../src/veil/testing/Seed.js"
import * as Simulator from "../../src/veil/testing/Simulator.js"
import { observe } from "../support/Observe.js"

const addressA = "http://ecp-a"
const addressB = "http://ecp-b"
const tokenB = "jwt eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoyfQ.controller-b"

/** Two controllers (A: the default seed and token; B: 3 domains, its own token) and the sessions service. */
const setup = Effect.gen(function*() {
  const simA = yield* Simulator.make()
  const simB = yield* Simulator.make({ token: tokenB, domains: 3 })
  const a = InProcess.make(simA.app)
  const b = InProcess.make(simB.app)
  const http = HttpClient.make((request, url) =>
    url.host === "ecp-a"
      ? a.execute(request)
      : url.host === "ecp-b"
      ? b.execute(request)
      : Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: `no controller at ${url.host}` }))
  )
  const sessions = yield* Effect.provideService(Sessions.make, HttpClient.HttpClient, http)
  return { simA, simB, sessions }
})

const checks = (entries: ReadonlyArray<RecordedRequest>) => entries.filter((r) => r.path === "/api/controllers/check/")

const closedLines = (logs: ReadonlyArray<string>) => logs.filter((line) => line.includes("VeiL session closed"))

describe("VeiL sessions", () => {
  it.scoped("the same address and token twice → one session, one check on A, none on B", () =>
    Effect.gen(function*() {
      const { sessions, simA, simB } = yield* setup
      const first = yield* sessions.get({ address: addressA, token: simA.token })
      const second = yield* sessions.get({ address: addressA, token: simA.token })
      expect(second).toBe(first)
      expect(checks(yield* simA.journal.entries)).toHaveLength(1)
      expect(yield* simB.journal.entries).toEqual([])
      expect(yield* sessions.open).toEqual(["http://ecp-a/api/"])
    }))

  it.scoped("both controllers used concurrently: each request reaches its own controller with its own token", () =>
    Effect.gen(function*() {
      const { sessions, simA, simB } = yield* setup
      const [pageA, pageB] = yield* Effect.all([
        Effect.flatMap(sessions.get({ address: addressA, token: simA.token }), (veil) => veil.domains.list()),
        Effect.flatMap(sessions.get({ address: addressB, token: tokenB }), (veil) => veil.domains.list())
      ], { concurrency: "unbounded" })
      expect(pageA.count).toBe(14)
      expect(pageB.count).toBe(5)
      const journalA = yield* simA.journal.entries
      const journalB = yield* simB.journal.entries
      expect(journalA.map((r) => r.path)).toEqual(["/api/controllers/check/", "/api/domains/"])
      expect(journalB.map((r) => r.path)).toEqual(["/api/controllers/check/", "/api/domains/"])
      expect(journalA.every((r) => r.headers["authorization"] === simA.token)).toBe(true)
      expect(journalB.every((r) => r.headers["authorization"] === tokenB)).toBe(true)
      expect([...(yield* sessions.open)].sort()).toEqual(["http://ecp-a/api/", "http://ecp-b/api/"])
    }))

  it.scoped("a changed token for A → a new session (second check), the new token sent from then on, the old never again", () =>
    Effect.gen(function*() {
      const { sessions, simA } = yield* setup
      const oldToken = simA.token
      // The simulator compares the `jwt` scheme case-insensitively, so this is a different token string that
      // controller A still accepts: what a rotated integration token looks like to the client.
      const newToken = oldToken.replace(/^jwt /, "JWT ")
      expect(newToken).not.toBe(oldToken)
      // Sessions are opened inside `observe` so that their finalizers log to it.
      const recorded = yield* observe(Effect.gen(function*() {
        const before = yield* sessions.get({ address: addressA, token: oldToken })
        yield* before.domains.list()
        const after = yield* sessions.get({ address: addressA, token: newToken })
        expect(after).not.toBe(before)
        yield* after.domains.list({ limit: 1 })
        yield* after.domains.get(SeedIds.domain(0))
        const again = yield* sessions.get({ address: addressA, token: newToken })
        expect(again).toBe(after)
      }))
      yield* recorded.exit
      // the old session was closed when the token changed, and only it
      expect(closedLines(recorded.logs)).toHaveLength(1)
      const journal = yield* simA.journal.entries
      expect(checks(journal)).toHaveLength(2)
      const secondCheck = journal.findIndex((r, i) => i > 0 && r.path === "/api/controllers/check/")
      expect(journal.slice(0, secondCheck).map((r) => r.path)).toEqual(["/api/controllers/check/", "/api/domains/"])
      expect(journal.slice(0, secondCheck).every((r) => r.headers["authorization"] === oldToken)).toBe(true)
      const afterwards = journal.slice(secondCheck)
      expect(afterwards.map((r) => r.path)).toEqual([
        "/api/controllers/check/",
        "/api/domains/",
        `/api/domains/${SeedIds.domain(0)}/`
      ])
      expect(afterwards.every((r) => r.headers["authorization"] === newToken)).toBe(true)
    }))

  it.scoped("a token the controller rejects → AuthenticationError, and no broken session is kept", () =>
    Effect.gen(function*() {
      const { sessions, simB } = yield* setup
      const error = yield* Effect.flip(sessions.get({ address: addressB, token: "jwt wrong" }))
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 401, code: "invalid" })
      expect(yield* sessions.open).toEqual([])
      const veil = yield* sessions.get({ address: addressB, token: tokenB })
      expect((yield* veil.domains.list()).count).toBe(5)
      expect(checks(yield* simB.journal.entries).map((r) => r.headers["authorization"])).toEqual(["jwt wrong", tokenB])
    }))

  it.scoped("remove(\"ecp-a\") closes A's session only; the next get opens a new one", () =>
    Effect.gen(function*() {
      const { sessions, simA, simB } = yield* setup
      const recorded = yield* observe(Effect.gen(function*() {
        yield* sessions.get({ address: addressA, token: simA.token })
        yield* sessions.get({ address: addressB, token: tokenB })
        yield* sessions.remove("ecp-a")
      }))
      yield* recorded.exit
      const closed = closedLines(recorded.logs)
      expect(closed).toHaveLength(1)
      expect(closed[0]).toContain("ecp-a")
      expect(yield* sessions.open).toEqual(["http://ecp-b/api/"])
      yield* sessions.get({ address: addressA, token: simA.token })
      expect(checks(yield* simA.journal.entries)).toHaveLength(2)
      expect(checks(yield* simB.journal.entries)).toHaveLength(1)
    }))

  it.effect("closing the scope closes every session, once each", () =>
    Effect.gen(function*() {
      const recorded = yield* observe(Effect.scoped(Effect.gen(function*() {
        const { sessions, simA } = yield* setup
        yield* sessions.get({ address: addressA, token: simA.token })
        yield* sessions.get({ address: addressB, token: tokenB })
        yield* sessions.get({ address: addressA, token: simA.token })
      })))
      expect(recorded.exit._tag).toBe("Success")
      const closed = closedLines(recorded.logs)
      expect(closed).toHaveLength(2)
      expect(closed.filter((line) => line.includes("ecp-a"))).toHaveLength(1)
      expect(closed.filter((line) => line.includes("ecp-b"))).toHaveLength(1)
    }))
})

describe("VeilSessions.layerNode over real sockets", () => {
  it.scopedLive("gives each controller its own connection pool and closes them all with the layer", () =>
    Effect.gen(function*() {
      const a = yield* VeilTesting.serve()
      const b = yield* VeilTesting.serve()
      const checks = (served: VeilTesting.ServedSimulator) =>
        Effect.map(served.simulator.journal.entries, (entries) => entries.filter((e) => e.path === "/api/controllers/check/").length)
      const afterwards = yield* Effect.scoped(Effect.gen(function*() {
        const sessions = Context.get(yield* Layer.build(VeilSessions.layerNode), VeilSessions)
        const first = yield* sessions.get({ address: a.address, token: a.token, scheme: "http" })
        const again = yield* sessions.get({ address: a.address, token: a.token, scheme: "http" })
        const other = yield* sessions.get({ address: b.address, token: b.token, scheme: "http" })
        expect(again).toBe(first)
        expect((yield* first.domains.list()).count).toBeGreaterThan(0)
        expect((yield* other.nodes.list()).count).toBe(3)
        expect(yield* checks(a)).toBe(1)
        expect(yield* checks(b)).toBe(1)
        return first
      }))
      // The layer is closed: its sessions refuse work without sending anything.
      const before = (yield* a.simulator.journal.entries).length
      expect((yield* Effect.flip(afterwards.domains.list()))._tag).toBe("SessionClosedError")
      expect((yield* a.simulator.journal.entries).length).toBe(before)
    }))
})

describe("VeiL sessions with a controller that never answers", () => {
  const options = {
    address: "http://127.0.0.1:9",
    token: "jwt eyJhbGciOiJIUzI1NiJ9.e30.silent",
    timeout: "5 seconds",
    retry: RetryPolicy.make({ attempts: 3, baseDelay: "1 second", factor: 2, jitter: 0 })
  } as const
  /** A controller that answers nothing until `answering` is set, and then answers every check. */
  const controller = Effect.gen(function*() {
    const answering = yield* Ref.make(false)
    const sent = yield* Ref.make(0)
    const http = HttpClient.make((request) =>
      Effect.zipRight(
        Ref.update(sent, (n) => n + 1),
        Effect.flatMap(Ref.get(answering), (on) =>
          on ? Effect.succeed(HttpClientResponse.fromWeb(request, Response.json({ status: "ok" }))) : Effect.never)
      )
    )
    const sessions = yield* Effect.provideService(Sessions.make, HttpClient.HttpClient, http)
    return { sessions, sent: Ref.get(sent), answer: Ref.set(answering, true) }
  })

  // Daemon fibers: an opening that cannot be interrupted must fail the assertions, not hang the test's own scope.
  it.scoped("get fails with TimeoutError after the timeout of each attempt and the backoff between them, and keeps nothing", () =>
    Effect.gen(function*() {
      const { sessions, sent } = yield* controller
      const fiber = yield* Effect.forkDaemon(Effect.flip(sessions.get(options)))
      yield* TestClock.adjust("17999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(fiber.unsafePoll()).toMatchObject({ _tag: "Success", value: { _tag: "TimeoutError", timeoutMillis: 5000 } })
      expect(yield* sent).toBe(3)
      expect(yield* sessions.open).toEqual([])
    }))

  it.scoped("a caller's own timeout interrupts get at the caller's deadline", () =>
    Effect.gen(function*() {
      const { sessions } = yield* controller
      const fiber = yield* Effect.forkDaemon(Effect.flip(Effect.timeout(sessions.get(options), "3 seconds")))
      yield* TestClock.adjust("2999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(fiber.unsafePoll()).toMatchObject({ _tag: "Success", value: { _tag: "TimeoutException" } })
    }))

  it.scoped("an opening whose caller gave up leaves no failure behind: the next get, once the controller answers, opens", () =>
    Effect.gen(function*() {
      const { answer, sessions, sent } = yield* controller
      const first = yield* Effect.forkDaemon(Effect.flip(Effect.timeout(sessions.get(options), "3 seconds")))
      yield* TestClock.adjust("3 seconds")
      expect(first.unsafePoll()).toMatchObject({ _tag: "Success", value: { _tag: "TimeoutException" } })
      // the abandoned opening runs out on its own (18 s)…
      yield* TestClock.adjust("20 seconds")
      expect(yield* sent).toBe(3)
      // …and once the controller answers, the next caller gets a session, not that old failure
      yield* answer
      const next = yield* Effect.forkDaemon(sessions.get(options))
      yield* TestClock.adjust("1 millis")
      expect(next.unsafePoll()).toMatchObject({ _tag: "Success" })
      expect(yield* sent).toBe(4)
      expect(yield* sessions.open).toEqual(["http://127.0.0.1:9/api/"])
    }))
})
