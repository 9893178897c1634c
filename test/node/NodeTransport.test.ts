/**
 * The Node transport: trusted certificates, proxies (options and environment), the insecure warning, cancellation,
 * and the attempt timeouts it enforces for the request engine.
 */
import { HttpClient, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Redacted } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type IncomingMessage } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ConfigurationError, SessionClosedError } from "../../src/core/Errors.js"
import { open } from "../../src/core/Facade.js"
import * as Path from "../../src/core/Path.js"
import * as RestClient from "../../src/core/RestClient.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import { selfSigned } from "../../src/core/testing/Certificate.js"
import * as Serve from "../../src/core/testing/Serve.js"
import { AttemptTimeouts } from "../../src/core/Transport.js"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { forwardProxy, proxyEnvironment } from "../support/ForwardProxy.js"
import { rejection } from "../support/Rejection.js"
import { server } from "./Servers.js"

const serveTls = (tls: { readonly key: string; readonly cert: string }) => Serve.serve(HttpServerResponse.text("hello"), { tls })
const servePlain = Serve.serve(HttpServerResponse.text("hello"))

/** GET `url` through a fresh transport with `options`; the body. */
const get = (url: string, options: NodeTransport.TransportOptions = {}) =>
  Effect.scoped(Effect.flatMap(HttpClient.get(url), (r) => r.text)).pipe(Effect.provide(NodeTransport.layer(options)))

/** A temporary directory for the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "transport-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`

describe("NodeTransport: trusted certificates", () => {
  it.scopedLive("trusts a certificate given as PEM text or as a PEM file's path, and still refuses one it was not given", () =>
    Effect.gen(function*() {
      const trusted = selfSigned()
      const served = yield* serveTls(trusted)
      const dir = yield* tempDir
      const file = join(dir, "ca.pem")
      writeFileSync(file, trusted.cert)
      expect(yield* get(`${served.url}/`, { ca: trusted.cert })).toBe("hello")
      expect(yield* get(`${served.url}/`, { ca: file })).toBe("hello")
      expect(yield* get(`${served.url}/`, { ca: [selfSigned().cert, file] })).toBe("hello")
      const refused = yield* Effect.flip(get(`${served.url}/`, { ca: selfSigned().cert }))
      expect(refused._tag).toBe("RequestError")
      expect(yield* Effect.flip(get(`${served.url}/`))).toMatchObject({ _tag: "RequestError" })
    }))

  it.scoped("a CA file that cannot be read, or holds no PEM, is a ConfigurationError naming the setting and the file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const der = join(dir, "ca.der")
      writeFileSync(der, "not a certificate")
      const error = yield* Effect.flip(
        Effect.scoped(Effect.flatMap(HttpClient.get("http://127.0.0.1:9/"), (r) => r.text)).pipe(
          Effect.provide(NodeTransport.layer({ ca: [join(dir, "missing.pem"), der] }, { api: "veil", ca: "VEIL_CA_FILE", sources: ["VEIL_* environment"] }))
        )
      )
      expect(error).toBeInstanceOf(ConfigurationError)
      expect(error).toMatchObject({ api: "veil", settings: ["VEIL_CA_FILE", "VEIL_CA_FILE"], sources: ["VEIL_* environment"] })
      expect(error.message).toContain(`cannot read the CA file "${join(dir, "missing.pem")}" (ENOENT)`)
      expect(error.message).toContain(`"${der}" holds no PEM certificate`)
    }))
})

describe("NodeTransport: proxies", () => {
  it.scopedLive("HTTP_PROXY carries http: requests through the proxy (CONNECT), its userinfo sent as Proxy-Authorization", () =>
    Effect.gen(function*() {
      const served = yield* servePlain
      const proxy = yield* forwardProxy({ requireAuthorization: basic("alice", "s3cret") })
      yield* proxyEnvironment({ HTTP_PROXY: `http://alice:s3cret@127.0.0.1:${proxy.port}` })
      expect(yield* get(`${served.url}/a`)).toBe("hello")
      expect(proxy.seen).toEqual([
        { method: "CONNECT", target: `127.0.0.1:${served.port}`, authorization: basic("alice", "s3cret") }
      ])
    }))

  it.scopedLive("HTTPS_PROXY carries https: requests, tunnelled, the server's certificate still checked against `ca`", () =>
    Effect.gen(function*() {
      const trusted = selfSigned()
      const served = yield* serveTls(trusted)
      const proxy = yield* forwardProxy()
      yield* proxyEnvironment({ HTTPS_PROXY: proxy.url })
      expect(yield* get(`${served.url}/`, { ca: trusted.cert })).toBe("hello")
      // Through the tunnel, a certificate the transport was not given is still refused.
      expect(yield* Effect.flip(get(`${served.url}/`, { ca: selfSigned().cert }))).toMatchObject({ _tag: "RequestError" })
      expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${served.port}`, `127.0.0.1:${served.port}`])
    }))

  it.scopedLive("NO_PROXY=127.0.0.1 bypasses the proxy; the lower-case forms win over the upper-case ones", () =>
    Effect.gen(function*() {
      const served = yield* servePlain
      const lower = yield* forwardProxy()
      const upper = yield* forwardProxy()
      yield* proxyEnvironment({ http_proxy: lower.url, HTTP_PROXY: upper.url, NO_PROXY: "127.0.0.1" })
      expect(yield* get(`${served.url}/`)).toBe("hello")
      expect(lower.seen).toEqual([])
      yield* proxyEnvironment({ http_proxy: lower.url, HTTP_PROXY: upper.url, NO_PROXY: "example.org,.internal" })
      expect(yield* get(`${served.url}/`)).toBe("hello")
      expect(lower.seen.length).toBe(1)
      expect(upper.seen).toEqual([])
    }))

  it.scopedLive("the proxy option wins over HTTPS_PROXY/HTTP_PROXY, noProxy over NO_PROXY", () =>
    Effect.gen(function*() {
      const served = yield* servePlain
      const fromEnv = yield* forwardProxy()
      const chosen = yield* forwardProxy()
      yield* proxyEnvironment({ HTTP_PROXY: fromEnv.url, HTTPS_PROXY: fromEnv.url, NO_PROXY: "127.0.0.1" })
      expect(yield* get(`${served.url}/`, { proxy: Redacted.make(chosen.url), noProxy: [] })).toBe("hello")
      expect(chosen.seen.length).toBe(1)
      expect(yield* get(`${served.url}/`, { proxy: chosen.url, noProxy: ["example.org", "127.0.0.1"] })).toBe("hello")
      expect(chosen.seen.length).toBe(1)
      expect(fromEnv.seen).toEqual([])
    }))

  it.scopedLive("a proxy's userinfo never shows: not when the proxy refuses it, not when its URL is malformed", () =>
    Effect.gen(function*() {
      const served = yield* servePlain
      const proxy = yield* forwardProxy({ requireAuthorization: basic("alice", "other") })
      yield* proxyEnvironment({})
      const refused = yield* Effect.flip(get(`${served.url}/`, { proxy: `http://alice:s3cret@127.0.0.1:${proxy.port}` }))
      expect(refused._tag).toBe("RequestError")
      const shown = (error: unknown) => `${String(error)} ${JSON.stringify(error)} ${Cause.pretty(Cause.fail(error))}`
      expect(refused.cause).toMatchObject({ message: "Proxy response (407) !== 200 when HTTP Tunneling" })
      expect(shown(refused)).not.toContain("s3cret")
      expect(proxy.seen).toEqual([{ method: "CONNECT", target: `127.0.0.1:${served.port}`, authorization: basic("alice", "s3cret") }])
      const malformed = yield* Effect.flip(get(`${served.url}/`, { proxy: "socks9://alice:s3cret@127.0.0.1:1" }))
      expect(malformed).toBeInstanceOf(ConfigurationError)
      expect(malformed).toMatchObject({ api: "transport", settings: ["proxy"] })
      expect(shown(malformed)).not.toContain("s3cret")
      // A malformed variable, with options that cannot fail otherwise: a defect, the same error, no secret either.
      yield* proxyEnvironment({ HTTPS_PROXY: "alice:s3cret@proxy.example:3128" })
      const exit = yield* Effect.exit(get(`${served.url}/`))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(defect).toBeInstanceOf(ConfigurationError)
      expect(defect).toMatchObject({ settings: ["HTTPS_PROXY"] })
      expect(shown(defect)).not.toContain("s3cret")
    }))
})

describe("NodeTransport: certificate verification off", () => {
  it.scopedLive("warns once per process for each host: not per request, not per session", () =>
    Effect.gen(function*() {
      const warnings: Array<Error> = []
      const listen = (warning: Error) => {
        if ("code" in warning && warning.code === NodeTransport.insecureWarningCode) warnings.push(warning)
      }
      yield* Effect.acquireRelease(Effect.sync(() => process.on("warning", listen)), () => Effect.sync(() => process.off("warning", listen)))
      const first = yield* serveTls(selfSigned())
      const second = yield* serveTls(selfSigned())
      for (let session = 0; session < 3; session++) {
        yield* get(`${first.url}/`, { verifyTls: false })
        yield* get(`${first.url}/again`, { verifyTls: false })
      }
      yield* get(`${second.url}/`, { verifyTls: false })
      yield* get(`${first.url.replace("https:", "http:")}/`, { verifyTls: false }).pipe(Effect.ignore)
      yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
      const mine = warnings.filter((w) => w.message.includes(first.url.slice(8)) || w.message.includes(second.url.slice(8)))
      expect(mine.map((w) => w.message)).toEqual([
        `TLS certificate verification is off for 127.0.0.1:${first.port} (verifyTls: false): anyone on the way can read and change the traffic, credentials included`,
        `TLS certificate verification is off for 127.0.0.1:${second.port} (verifyTls: false): anyone on the way can read and change the traffic, credentials included`
      ])
    }))
})

/** A server that answers `/ok` and never answers anything else; it reports each hanging request and its socket's end. */
const hangingServer = Effect.acquireRelease(
  Effect.async<{
    readonly url: string
    readonly hanging: Array<{ readonly request: IncomingMessage; readonly closed: Promise<void> }>
    readonly arrived: (n: number) => Promise<void>
    readonly close: () => void
  }>((resume) => {
    const hanging: Array<{ readonly request: IncomingMessage; readonly closed: Promise<void> }> = []
    const waiters: Array<{ readonly n: number; readonly wake: () => void }> = []
    const server = createServer((request, response) => {
      if (request.url === "/ok") {
        response.end("ok")
        return
      }
      hanging.push({ request, closed: new Promise((resolve) => request.socket.on("close", () => resolve())) })
      for (const waiter of waiters) if (hanging.length >= waiter.n) waiter.wake()
    })
    const arrived = (n: number): Promise<void> =>
      hanging.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, wake: resolve }))
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resume(Effect.succeed({
        url: `http://127.0.0.1:${port}`,
        hanging,
        arrived,
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      }))
    })
  }),
  (server) => Effect.sync(server.close)
)

describe("NodeTransport under the Promise facade: cancellation", () => {
  const text = (url: string) => Effect.scoped(Effect.flatMap(HttpClient.get(url), (r) => r.text))

  it.scopedLive("an aborted call cuts its request (the socket is released); an aborted signal sends nothing; other calls go on", () =>
    Effect.gen(function*() {
      const server = yield* hangingServer
      const facade = yield* Effect.promise(() => open(NodeTransport.layer(), "test"))
      yield* Effect.addFinalizer(() => Effect.promise(() => facade.close()))
      yield* Effect.promise(async () => {
        const controller = new AbortController()
        const cut = rejection(facade.withSignal(controller.signal).run(text(`${server.url}/hang`)))
        const untouched = rejection(facade.run(text(`${server.url}/hang-too`)))
        await server.arrived(2)
        // While both hang, the session still answers other calls.
        expect(await facade.run(text(`${server.url}/ok`))).toBe("ok")
        controller.abort()
        expect(await cut).toBe(controller.signal.reason)
        expect(controller.signal.reason).toMatchObject({ name: "AbortError" })
        // The aborted request's socket was closed by the client; the other request's socket is still open.
        await server.hanging[0]?.closed
        expect(server.hanging[0]?.request.url).toBe("/hang")
        expect(server.hanging[1]?.request.socket.destroyed).toBe(false)

        // Already aborted: rejects with the reason, nothing reaches the server.
        const reason = new Error("gave up")
        const never = await rejection(facade.withSignal(AbortSignal.abort(reason)).run(text(`${server.url}/never`)))
        expect(never).toBe(reason)
        expect(await facade.run(text(`${server.url}/ok`))).toBe("ok")
        expect(server.hanging.map((h) => h.request.url)).toEqual(["/hang", "/hang-too"])

        await facade.close()
        expect(await untouched).toBeInstanceOf(SessionClosedError)
      })
    }), 20_000)
})

describe("NodeTransport under the request engine: attempt timeouts (real clock)", () => {
  /** The engine over the ambient transport: 300 ms per attempt, no retries. */
  const engine = (url: string) =>
    RestClient.make({
      api: "test",
      baseUrl: `${url}/`,
      caller: "me",
      retry: RetryPolicy.none,
      timeout: "300 millis",
      errorBody: () => ({})
    })
  const get = (path: string) => ({ method: "GET", path: Path.literal(path) } as const)

  /** Real milliseconds an effect took, with its result. */
  const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.suspend(() => {
      const start = performance.now()
      return Effect.map(effect, (value) => ({ value, millis: performance.now() - start }))
    })

  /** `/hang` never answers; `/stall` and `/stall-chunked` send a little of the body, then nothing; `/trickle` a byte every 100 ms. */
  const stalling = server((request, response) => {
    if (request.url === "/stall") {
      response.writeHead(200, { "content-length": "1000" })
      response.write("some")
    } else if (request.url === "/stall-chunked") {
      response.writeHead(200, { "content-type": "text/plain" })
      response.write("some")
    } else if (request.url === "/trickle") {
      response.writeHead(200, { "content-length": "10" })
      let sent = 0
      const next = () => {
        response.write(String(sent++))
        if (sent < 10) setTimeout(next, 100)
        else response.end()
      }
      next()
    }
  })

  it.effect("the layer provides AttemptTimeouts, which knows undici's timeouts", () =>
    Effect.gen(function*() {
      const timeouts = yield* Effect.serviceOption(AttemptTimeouts)
      expect(Option.map(timeouts, (t) => [t.isTimeout("UND_ERR_HEADERS_TIMEOUT"), t.isTimeout("UND_ERR_BODY_TIMEOUT"), t.isTimeout("ECONNRESET")]))
        .toEqual(Option.some([true, true, false]))
    }).pipe(Effect.provide(NodeTransport.layer())))

  it.scopedLive("no answer: a TimeoutError after about the timeout, and the connection is closed", () =>
    Effect.gen(function*() {
      const served = yield* stalling
      const rest = yield* engine(served.url)
      const { millis, value } = yield* timed(Effect.flip(rest.send(get("hang"))))
      expect(value).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 300, message: `GET ${served.url}/hang: no response within 300ms` })
      expect(millis).toBeGreaterThanOrEqual(250)
      expect(millis).toBeLessThan(2000)
      yield* Effect.promise(() => served.closed(0))
    }).pipe(Effect.provide(NodeTransport.layer())))

  it.scopedLive("a body that stalls mid-way, of a declared length or chunked: a TimeoutError, and the connection is closed", () =>
    Effect.gen(function*() {
      const served = yield* stalling
      const rest = yield* engine(served.url)
      for (const [n, path] of ["stall", "stall-chunked"].entries()) {
        const { millis, value } = yield* timed(Effect.flip(rest.send(get(path))))
        expect(value).toMatchObject({ _tag: "TimeoutError", timeoutMillis: 300 })
        expect(millis).toBeGreaterThanOrEqual(250)
        expect(millis).toBeLessThan(2000)
        yield* Effect.promise(() => served.closed(n))
      }
    }).pipe(Effect.provide(NodeTransport.layer())))

  it.scopedLive("the bound is per gap: a body that keeps coming, never 300 ms apart, is read whole though it takes longer", () =>
    Effect.gen(function*() {
      const served = yield* stalling
      const rest = yield* engine(served.url)
      const { millis, value } = yield* timed(rest.send(get("trickle")))
      expect(value.text).toBe("0123456789")
      expect(millis).toBeGreaterThan(600)
    }).pipe(Effect.provide(NodeTransport.layer())))
})
