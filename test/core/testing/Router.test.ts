import { HttpClient, HttpClientRequest, HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import * as Router from "../../../src/core/testing/Router.js"

interface Env {
  readonly greeting: string
}

const greetings: Router.Routes<Env> = (env) => [
  HttpRouter.makeRoute("GET", "/hello/:name", Effect.map(HttpRouter.params, (p) => HttpServerResponse.text(`${env.greeting} ${p.name ?? ""}`)))
]
const failing: Router.Routes<Env> = () => [HttpRouter.makeRoute("GET", "/boom", Effect.dieMessage("boom"))]

const options: Router.Options = {
  notFound: Effect.succeed(HttpServerResponse.text("no such path", { status: 404 })),
  failure: Effect.succeed(HttpServerResponse.text("oops", { status: 500 }))
}

const clientOf = (config?: Router.RouterConfig) =>
  Effect.map(
    Router.make([greetings, failing], { greeting: "hello" }, { ...options, ...(config === undefined ? {} : { config }) }),
    (app) => InProcess.make(app).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("http://router.test")))
  )

describe("Router", () => {
  it.effect("every group's routes are served with the env, path parameters decoded", () =>
    Effect.gen(function*() {
      const client = yield* clientOf()
      const res = yield* client.get("/hello/w%C3%B6rld")
      expect(res.status).toBe(200)
      expect(yield* res.text).toBe("hello wörld")
    }))

  it.effect("a path no route serves gets the API's not-found answer, a dying route its failure answer", () =>
    Effect.gen(function*() {
      const client = yield* clientOf()
      const missing = yield* client.get("/nowhere")
      expect([missing.status, yield* missing.text]).toEqual([404, "no such path"])
      const boom = yield* client.get("/boom")
      expect([boom.status, yield* boom.text]).toEqual([500, "oops"])
    }))

  it.effect("the router's matching rules are the API's: case-sensitive and strict about trailing slashes on request", () =>
    Effect.gen(function*() {
      const lenient = yield* clientOf()
      expect((yield* lenient.get("/HELLO/x/")).status).toBe(200)
      const strict = yield* clientOf({ caseSensitive: true, ignoreTrailingSlash: false })
      expect((yield* strict.get("/HELLO/x")).status).toBe(404)
      expect((yield* strict.get("/hello/x/")).status).toBe(404)
      expect((yield* strict.get("/hello/x")).status).toBe(200)
    }))

  it.effect("a wildcard route serves a prefix and below; a route of its own under it takes precedence", () =>
    Effect.gen(function*() {
      const echo = (name: string) =>
        Effect.map(HttpServerRequest.HttpServerRequest, (request) => HttpServerResponse.text(`${name} ${request.url}`))
      const groups: ReadonlyArray<Router.Routes<Env>> = [
        () => [HttpRouter.makeRoute("*", "/svc", echo("svc")), HttpRouter.makeRoute("*", "/svc/*", echo("svc"))],
        () => [HttpRouter.makeRoute("GET", "/svc/v1/ports", echo("ports"))]
      ]
      const app = yield* Router.make(groups, { greeting: "" }, { ...options, config: { caseSensitive: true } })
      const client = InProcess.make(app).pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("http://router.test")))
      expect(yield* (yield* client.get("/svc/a/B%2Fc?x=1")).text).toBe("svc /svc/a/B%2Fc?x=1")
      expect(yield* (yield* client.get("/svc")).text).toBe("svc /svc")
      expect(yield* (yield* client.get("/svc/v1/ports")).text).toBe("ports /svc/v1/ports")
      expect(yield* (yield* client.post("/svc/v1/ports")).text).toBe("svc /svc/v1/ports")
      expect((yield* client.get("/svcx")).status).toBe(404)
      expect((yield* client.get("/SVC/a")).status).toBe(404)
    }))
})
