/**
 * The replay server's process (started by `startReplay` in `replay.ts`): loads a recording, puts its own address
 * where the recording named the recording proxy's, then answers every request with the recorded status, headers and
 * body bytes of its method, path and query — nothing else is read (no credential, no signature, no body). Clock
 * answers are the current Unix time in seconds. Keep-alive, 127.0.0.1 only.
 *
 *   node --import tsx bench/replay-server.ts RECORDING.ndjson
 */
import { Schema } from "effect"
import { createReadStream } from "node:fs"
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import { createInterface } from "node:readline"
import { keyOf, statsPath } from "./replay.js"

const Header = Schema.Struct({
  host: Schema.String,
  tls: Schema.optional(Schema.Struct({ key: Schema.String, cert: Schema.String }))
})

const AnswerLine = Schema.Struct({
  method: Schema.String,
  target: Schema.String,
  status: Schema.Number,
  headers: Schema.Array(Schema.Tuple(Schema.String, Schema.String)),
  body: Schema.String,
  clock: Schema.optional(Schema.Boolean)
})

/** An answer ready to write: the header list (`content-length` included) and the bytes. */
interface Prepared {
  readonly status: number
  readonly headers: ReadonlyArray<string>
  readonly body: Buffer
  /** The headers without `content-length`, for a clock answer, whose length varies. */
  readonly clock: ReadonlyArray<string> | undefined
}

const file = process.argv[2]
if (file === undefined) throw new Error("usage: replay-server.ts RECORDING.ndjson")

const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })[Symbol.asyncIterator]()
const first = await lines.next()
if (first.done === true) throw new Error(`${file} is empty`)
const header = Schema.decodeUnknownSync(Header)(JSON.parse(first.value))
const recorded: Array<typeof AnswerLine.Type> = []
for (let line = await lines.next(); line.done !== true; line = await lines.next()) {
  if (line.value.length > 0) recorded.push(Schema.decodeUnknownSync(AnswerLine)(JSON.parse(line.value)))
}

const answers = new Map<string, Prepared>()
const misses = new Set<string>()
let served = 0

const onRequest = (req: IncomingMessage, res: ServerResponse) => {
  req.resume()
  const key = keyOf(req.method ?? "GET", req.url ?? "/")
  if (req.url === statsPath) {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ served, misses: [...misses] }))
    return
  }
  const answer = answers.get(key)
  if (answer === undefined) {
    misses.add(key)
    res.writeHead(404, { "content-type": "text/plain" })
    res.end(`no recorded answer for ${key}`)
    return
  }
  served++
  if (answer.clock !== undefined) {
    const now = String(Math.floor(Date.now() / 1000))
    res.writeHead(answer.status, [...answer.clock, "content-length", String(Buffer.byteLength(now))])
    res.end(now)
    return
  }
  res.writeHead(answer.status, [...answer.headers])
  res.end(answer.body)
}

const server: Server = header.tls === undefined
  ? createHttpServer(onRequest)
  : createHttpsServer({ key: header.tls.key, cert: header.tls.cert }, onRequest)
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000

await new Promise<void>((resolve, reject) => {
  server.once("error", reject)
  server.listen(0, "127.0.0.1", () => resolve())
})
const address = server.address()
const host = `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`

for (const answer of recorded) {
  const raw = Buffer.from(answer.body, "base64")
  const body = raw.includes(header.host) ? Buffer.from(raw.toString("utf8").replaceAll(header.host, host), "utf8") : raw
  const headers = answer.headers.flatMap(([name, value]) => [name, value.replaceAll(header.host, host)])
  answers.set(keyOf(answer.method, answer.target), {
    status: answer.status,
    headers: [...headers, "content-length", String(body.length)],
    body,
    clock: answer.clock === true ? headers : undefined
  })
}
recorded.length = 0

const stop = () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
}
process.once("SIGTERM", stop)
process.once("SIGINT", stop)
console.log(`listening ${header.tls === undefined ? "http" : "https"}://${host} (${answers.size} answers)`)
