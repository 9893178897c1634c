import { HttpRouter, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { request as undiciRequest } from "undici"
import * as Faults from "../../../src/core/testing/Faults.js"
import * as Serve from "../../../src/core/testing/Serve.js"

const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/hello",
    Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
      HttpServerResponse.unsafeJson({ hello: "world", host: request.headers.host ?? null }))
  )
)
const app: HttpApp.Default<never, never> = Effect.catchAll(router, () => Effect.succeed(HttpServerResponse.empty({ status: 404 })))

describe("Serve", () => {
  it.scopedLive("serves on 127.0.0.1 with a free port; fetch reaches it", () =>
    Effect.gen(function*() {
      const served = yield* Serve.serve(app)
      expect(served.port).toBeGreaterThan(0)
      expect(served.url).toBe(`http://127.0.0.1:${served.port}`)
      const res = yield* Effect.promise(() => fetch(`${served.url}/hello`))
      expect(res.status).toBe(200)
      expect(yield* Effect.promise(() => res.json())).toEqual({ hello: "world", host: `127.0.0.1:${served.port}` })
    }))

  it.scopedLive("a dropped connection is a socket error for undici, not a hang", () =>
    Effect.gen(function*() {
      const injector = yield* Faults.makeInjector
      const served = yield* Serve.serve(Faults.middleware(injector, { error: (status) => HttpServerResponse.empty({ status }), malformed: "" })(app))
      yield* injector.inject({ fault: Faults.Fault.drop })
      const outcome = yield* Effect.promise(() =>
        undiciRequest(`${served.url}/hello`, { headersTimeout: 5_000, bodyTimeout: 5_000 }).then(
          (r) => `status ${r.statusCode}`,
          (error: unknown) => (error instanceof Error && "code" in error ? String(error.code) : String(error))
        )
      )
      expect(outcome).toBe("UND_ERR_SOCKET")
      const fetched = yield* Effect.promise(() =>
        fetch(`${served.url}/hello`, { signal: AbortSignal.timeout(5_000) }).then(
          (r) => r.status,
          (error: unknown) => (error instanceof Error ? error.message : String(error))
        )
      )
      expect(fetched).toBe(200)
    }))

  it.scopedLive("a fixed port can be asked for", () =>
    Effect.gen(function*() {
      const first = yield* Serve.serve(app)
      const port = first.port + 1
      const second = yield* Effect.either(Serve.serve(app, { port }))
      if (second._tag === "Right") expect(second.right.port).toBe(port)
      else expect(second.left._tag).toBe("ServeError")
    }))
})
