/**
 * Transport benchmark: client CPU per small GET (a 60-byte JSON body from a server in another process on
 * 127.0.0.1), sequential, through
 *
 * - raw undici (`Agent.request` + `body.text()`): the floor;
 * - a minimal `HttpClient.makeWith` over the same `Agent.request` (no span, no trace headers, a bare response);
 * - `NodeHttpClient.layerUndici` (@effect/platform-node), with and without its tracer;
 * - `UndiciClient.make` (this package: undici's handler interface, no `Readable`, no `AbortController`): bare, with
 *   an attempt timeout set as the request engine sets it (undici's headers and body timeouts, a timer for the head),
 *   and with a tracer installed (then requests go through `HttpClient.make`: span, trace headers);
 * - `NodeTransport.layer()` (this package: `UndiciClient` over its own `Agent`), and with a proxy configured but
 *   bypassed by `noProxy` (undici's `EnvHttpProxyAgent` picks the route per request).
 *
 *   npx tsx bench/transport.bench.ts
 *
 * CPU is this process's `process.cpuUsage()` (user + system) per request; medians of interleaved rounds.
 */
import { Headers, HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse, HttpIncomingMessage } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { NodeTransport, UndiciClient } from "effect-cloud-clients/node"
import { Cookies } from "@effect/platform"
import { Duration, Effect, Inspectable, Layer, ManagedRuntime, Option, Stream, Tracer } from "effect"
import { Transport } from "effect-cloud-clients/core"
import { spawn } from "node:child_process"
import { Agent, type Dispatcher } from "undici"
import { writeSection } from "./results.js"

const serverSource = `
const http = require("node:http")
const body = JSON.stringify({ id: "a5f1c3", name: "small", status: "ACTIVE", n: 1 })
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  res.end(body)
})
server.keepAliveTimeout = 60000
server.listen(0, "127.0.0.1", () => console.log("port " + server.address().port))
`

const startServer = () =>
  new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", serverSource], { stdio: ["ignore", "pipe", "inherit"] })
    child.stdout.on("data", (chunk: Buffer) => {
      const port = /port (\d+)/.exec(chunk.toString())?.[1]
      if (port !== undefined) resolve({ url: `http://127.0.0.1:${port}/item`, stop: () => child.kill() })
    })
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)))
  })

/** A bare response over undici's answer: status, headers and the body as text; nothing else is used here. */
class BareResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  constructor(readonly request: HttpClientRequest.HttpClientRequest, readonly source: Dispatcher.ResponseData) {
    super()
  }
  get status() {
    return this.source.statusCode
  }
  get headers() {
    return Headers.fromInput(this.source.headers)
  }
  readonly cookies = Cookies.empty
  readonly remoteAddress = Option.none()
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => this.source.body.text(),
      catch: (cause): HttpClientError.ResponseError =>
        new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text): unknown => JSON.parse(text))
  }
  get urlParamsBody() {
    return Effect.dieMessage("not used")
  }
  get arrayBuffer() {
    return Effect.dieMessage("not used")
  }
  get formData() {
    return Effect.dieMessage("not used")
  }
  get stream() {
    return Stream.dieMessage("not used")
  }
  toJSON() {
    return { status: this.status }
  }
}

/** `HttpClient.makeWith` straight over `Agent.request`: no span, no trace headers, no fiber-ref lookups. */
const minimalClient = (dispatcher: Agent): HttpClient.HttpClient =>
  HttpClient.makeWith(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.tryPromise({
          try: (signal) => {
            const url = new URL(request.url)
            return dispatcher.request({ method: request.method, origin: url.origin, path: url.pathname + url.search, headers: request.headers, signal })
          },
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
        }).pipe(Effect.map((source): HttpClientResponse.HttpClientResponse => new BareResponse(request, source)))),
    (request: HttpClientRequest.HttpClientRequest) => Effect.succeed(request)
  )

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : sorted[mid] ?? 0
}

interface Contender {
  readonly name: string
  /** Runs `n` sequential GETs. */
  readonly run: (n: number) => Promise<void>
}

/** CPU (µs) and wall time (µs) per request of one batch. */
const measure = async (contender: Contender, n: number) => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  await contender.run(n)
  const wall = ((performance.now() - start) * 1000) / n
  const used = process.cpuUsage(cpu)
  return { cpu: (used.user + used.system) / n, wall }
}

const main = async () => {
  const server = await startServer()
  const url = server.url
  const raw = new Agent()
  const effectClient = (
    layer: Layer.Layer<HttpClient.HttpClient>,
    tweak: (c: HttpClient.HttpClient) => HttpClient.HttpClient = (c) => c,
    around: <A, E>(batch: Effect.Effect<A, E>) => Effect.Effect<A, E> = (batch) => batch
  ) => {
    const runtime = ManagedRuntime.make(layer)
    const batch = (n: number) =>
      Effect.flatMap(HttpClient.HttpClient, (client) => {
        const c = tweak(client)
        return around(Effect.repeatN(Effect.scoped(Effect.flatMap(c.get(url), (r) => r.text)), n - 1))
      })
    return { run: (n: number) => runtime.runPromise(Effect.asVoid(batch(n))), dispose: () => runtime.dispose() }
  }
  const minimalAgent = new Agent()
  const minimal = effectClient(Layer.succeed(HttpClient.HttpClient, minimalClient(minimalAgent)))
  const leanAgent = new Agent()
  const lean = effectClient(Layer.succeed(HttpClient.HttpClient, UndiciClient.make(leanAgent)))
  // The engine sets the timeout around each attempt; here it is set once around the batch, so that the row shows what
  // the transport does with it (a timer for the head, undici's headers and body timeouts), not the cost of setting it.
  const bounded = effectClient(
    Layer.succeed(HttpClient.HttpClient, UndiciClient.make(leanAgent)),
    undefined,
    Effect.locally(Transport.currentAttemptTimeout, Option.some(Duration.seconds(30)))
  )
  // Any tracer but Effect's own sends requests through `HttpClient.make`: an `http.client` span and trace headers.
  const native = Effect.runSync(Effect.tracer)
  const traced = effectClient(
    Layer.succeed(HttpClient.HttpClient, UndiciClient.make(leanAgent)),
    undefined,
    Effect.withTracer(Tracer.make({ span: native.span, context: native.context }))
  )
  const platform = effectClient(NodeHttpClient.layerUndici)
  const untraced = effectClient(NodeHttpClient.layerUndici, HttpClient.withTracerDisabledWhen(() => true))
  const transport = effectClient(NodeTransport.layer())
  const routed = effectClient(
    Layer.orDie(NodeTransport.layer({ proxy: "http://127.0.0.1:9", noProxy: "127.0.0.1" }))
  )
  const contenders: ReadonlyArray<Contender> = [
    {
      name: "raw undici `Agent.request` + `body.text()`",
      run: async (n) => {
        for (let i = 0; i < n; i++) await (await raw.request({ method: "GET", origin: url.slice(0, url.lastIndexOf("/")), path: "/item" })).body.text()
      }
    },
    { name: "minimal `HttpClient.makeWith` over `Agent.request`", run: minimal.run },
    { name: "`NodeHttpClient.layerUndici`", run: platform.run },
    { name: "`NodeHttpClient.layerUndici`, tracer disabled", run: untraced.run },
    { name: "`UndiciClient.make` over `Agent`", run: lean.run },
    { name: "`UndiciClient.make` over `Agent`, attempt timeout set (30 s)", run: bounded.run },
    { name: "`UndiciClient.make` over `Agent`, a tracer installed (span and trace headers)", run: traced.run },
    { name: "`NodeTransport.layer()` (own `Agent`)", run: transport.run },
    { name: "`NodeTransport.layer({ proxy, noProxy })`, bypassed (`EnvHttpProxyAgent`)", run: routed.run }
  ]
  const rounds = 9
  const n = 2000
  for (const c of contenders) await measure(c, 300) // warm-up
  const results = new Map<string, { cpu: Array<number>; wall: Array<number> }>(contenders.map((c) => [c.name, { cpu: [], wall: [] }]))
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse()
    for (const c of order) {
      const m = await measure(c, n)
      results.get(c.name)?.cpu.push(m.cpu)
      results.get(c.name)?.wall.push(m.wall)
    }
  }
  const floor = median(results.get(contenders[0]?.name ?? "")?.cpu ?? [])
  const rows = contenders.map((c) => {
    const r = results.get(c.name)
    const cpu = median(r?.cpu ?? [])
    const wall = median(r?.wall ?? [])
    return `| ${c.name} | ${cpu.toFixed(0)} µs | ${wall.toFixed(0)} µs | ${(cpu / floor).toFixed(2)}× |`
  })
  const table = [
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}. ${n} sequential GETs of a 60-byte JSON body per batch from a`,
    `node:http server in its own process on 127.0.0.1, keep-alive; medians of ${rounds} interleaved rounds. CPU is this process's (user + system).`,
    "",
    "| transport | client CPU per GET | wall time per GET | CPU ratio to raw undici |",
    "| --- | --- | --- | --- |",
    ...rows
  ].join("\n")
  console.log(table)
  writeSection("transport", `## Transport\n\n${table}`)
  await Promise.all([minimal.dispose(), lean.dispose(), bounded.dispose(), traced.dispose(), leanAgent.close(), platform.dispose(), untraced.dispose(), transport.dispose(), routed.dispose(), raw.close(), minimalAgent.close()])
  server.stop()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
