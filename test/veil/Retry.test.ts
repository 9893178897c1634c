import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, TestClock } from "effect"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import * as Client from "../../src/veil/Client.js"
import { fromVeilRetryOptions } from "../../src/veil/Retry.js"
import * as Scripted from "../../src/core/testing/Scripted.js"

const token = "jwt eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.sig"
const id = "998131cc-9516-44cc-9718-55c8ea14cde6"

describe("VeiL retry options", () => {
  it("keep the Python client's defaults: no retry", () => {
    expect(fromVeilRetryOptions({}).attempts).toBe(1)
    expect(fromVeilRetryOptions({ num_of_attempts: 0 }).attempts).toBe(1)
  })

  it("wait min(timeout × step^(n-1), max_timeout): 1, 2, 4, 8, 16, 30, 30 s by default", () => {
    const policy = fromVeilRetryOptions({ num_of_attempts: 8 })
    expect(RetryPolicy.delays(policy).map(Duration.toSeconds)).toEqual([1, 2, 4, 8, 16, 30, 30])
  })

  it("retry 500–599 always, listed statuses and listed error kinds only", () => {
    const policy = fromVeilRetryOptions({ num_of_attempts: 3, status_codes: [404], exceptions: ["TransportError"] })
    expect(policy.statuses.has(599)).toBe(true)
    expect(policy.statuses.has(404)).toBe(true)
    expect(policy.statuses.has(429)).toBe(false)
    expect([...policy.kinds]).toEqual(["TransportError"])
  })

  it.scoped("the seed's example retries a 404 three times with growing waits: requests at 0, 1 s, 6 s", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make((sent) =>
        sent.url.endsWith("/controllers/check/") ? { status: 200, body: {} } : { status: 404, body: { errors: [{ code: "40400", detail: "Not found." }] } }
      )
      const veil = yield* Client.make({
        address: "http://ecp.test",
        token,
        retry: { status_codes: [404], timeout_increase_step: 5, num_of_attempts: 3 }
      }).pipe(Effect.provide(http.layer))
      const fiber = yield* Effect.fork(Effect.flip(veil.domains.get(id)))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "NotFoundError", status: 404, code: "40400", detail: "Not found." })
      const domainRequests = (yield* http.sent).filter((s) => s.url.includes("/domains/"))
      expect(Scripted.times(domainRequests)).toEqual([0, 1000, 6000])
    }))
})
