import { describe, expect, it } from "@effect/vitest"
import { Headers } from "@effect/platform"
import { Effect } from "effect"
import * as Path from "../../src/core/Path.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { errorBody, requestIdHeaders } from "../../src/openstack/ErrorBody.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Scripted from "../../src/core/testing/Scripted.js"
import { readFileSync } from "node:fs"

const response = (status: number, name: string) => {
  const text = readFileSync(`${Fixtures.folder("openstack")}live/${name}`, "utf8")
  const isJson = name.endsWith(".json")
  return {
    status,
    headers: Headers.fromInput({ "content-type": isJson ? "application/json" : "text/html" }),
    text,
    isJson,
    json: isJson ? JSON.parse(text) : undefined
  }
}

describe("OpenStack error bodies", () => {
  it.each([
    [401, "keystone-POST-auth-tokens-401.json", { code: "Unauthorized", message: "The request you have made requires authentication." }],
    [404, "nova-GET-server-404.json", { code: "itemNotFound" }],
    [400, "nova-GET-servers-bad-marker-400.json", { code: "badRequest" }],
    [406, "nova-GET-servers-bad-microversion-406.json", { code: "computeFault" }],
    [404, "neutron-GET-network-404.json", { code: "NetworkNotFound" }],
    [404, "glance-GET-image-404-accept-json.json", { code: "Not Found" }]
  ] as const)("%i %s", (status, name, expected) => {
    expect(errorBody(response(status, name))).toMatchObject(expected)
  })

  it("reads Glance's HTML pages as text", () => {
    const body = errorBody(response(404, "glance-GET-image-404-html.html"))
    expect(body.message).toMatch(/404 Not Found/)
    expect(body.message).not.toContain("<")
  })

  it("recognises an exhausted quota", () => {
    expect(errorBody(response(403, "nova-POST-servers-quota-exceeded-403.json"))).toMatchObject({
      kind: "QuotaExceededError",
      code: "forbidden",
      message: "Quota exceeded for instances: Requested 1000, but already used 0 of 200 instances"
    })
  })

  it.effect("a quota error reaches the caller as QuotaExceededError with Nova's message and request id", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make([{
        status: 403,
        body: Fixtures.json("openstack", "live/nova-POST-servers-quota-exceeded-403.json"),
        headers: { "content-type": "application/json", "x-compute-request-id": "req-q" }
      }])
      const rest = yield* RestClient.make({
        api: "openstack",
        baseUrl: "http://nova/v2.1/",
        caller: "x",
        retry: RetryPolicy.defaultPolicy,
        timeout: "5 seconds",
        errorBody,
        requestIdHeaders
      }).pipe(Effect.provide(http.layer))
      const error = yield* Effect.flip(rest.send({ method: "POST", path: Path.literal("servers"), body: {} }))
      expect(error).toMatchObject({ _tag: "QuotaExceededError", status: 403, requestId: "req-q" })
      expect(error.message).toContain("Quota exceeded for instances")
    }))
})
