/**
 * A small forward proxy on 127.0.0.1 (node:http): `CONNECT host:port` tunnels and absolute-form `GET http://…`
 * requests, to 127.0.0.1 only. It records what it was asked, with the `Proxy-Authorization` it got, and can demand
 * one (answering 407 otherwise).
 */
import { Effect, type Scope } from "effect"
import { createServer, request as forward } from "node:http"
import { connect, type Socket } from "node:net"

/** One request the proxy received. */
export interface Seen {
  readonly method: string
  /** `host:port` of a CONNECT, the absolute URL of a forwarded request. */
  readonly target: string
  readonly authorization: string | undefined
}

/** A running proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly port: number
  readonly seen: Array<Seen>
}

/** Starts a proxy for the scope; `requireAuthorization` makes it answer 407 to any other `Proxy-Authorization`. */
export const forwardProxy = (options: { readonly requireAuthorization?: string } = {}): Effect.Effect<ForwardProxy, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly proxy: ForwardProxy; readonly close: () => Promise<void> }>((resume) => {
      const seen: Array<Seen> = []
      const sockets = new Set<Socket>()
      const allowed = (authorization: string | undefined) =>
        options.requireAuthorization === undefined || authorization === options.requireAuthorization
      const server = createServer((req, res) => {
        const authorization = req.headers["proxy-authorization"]
        seen.push({ method: req.method ?? "", target: req.url ?? "", authorization })
        if (!allowed(authorization)) {
          res.writeHead(407, { "proxy-authenticate": "Basic" }).end()
          return
        }
        const target = new URL(req.url ?? "/", "http://invalid")
        if (target.hostname !== "127.0.0.1") {
          res.writeHead(403).end()
          return
        }
        const headers = { ...req.headers }
        delete headers["proxy-authorization"]
        const upstream = forward(
          { host: "127.0.0.1", port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        upstream.on("error", () => res.destroy())
        req.pipe(upstream)
      })
      server.on("connection", (socket: Socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      server.on("connect", (req, socket: Socket, head: Buffer) => {
        const authorization = req.headers["proxy-authorization"]
        seen.push({ method: "CONNECT", target: req.url ?? "", authorization })
        const [host, port] = (req.url ?? "").split(":")
        if (!allowed(authorization)) {
          socket.end("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n")
          return
        }
        if (host !== "127.0.0.1") {
          socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
          return
        }
        const upstream = connect(Number(port), "127.0.0.1", () => {
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\n")
          upstream.write(head)
          upstream.pipe(socket)
          socket.pipe(upstream)
        })
        sockets.add(upstream)
        upstream.on("close", () => sockets.delete(upstream))
        upstream.on("error", () => socket.destroy())
        socket.on("error", () => upstream.destroy())
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(Effect.succeed({
          proxy: { url: `http://127.0.0.1:${port}`, port, seen },
          close: () =>
            new Promise<void>((resolve) => {
              for (const socket of sockets) socket.destroy()
              server.close(() => resolve())
            })
        }))
      })
    }),
    ({ close }) => Effect.promise(close)
  ).pipe(Effect.map(({ proxy }) => proxy))

const proxyVariables = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"] as const

/**
 * Sets the process's proxy variables for the scope (every one not given is unset), then puts back what was there.
 */
export const proxyEnvironment = (
  variables: Partial<Record<(typeof proxyVariables)[number], string>>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const before = proxyVariables.map((name) => [name, process.env[name]] as const)
      for (const name of proxyVariables) {
        const value = variables[name]
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      return before
    }),
    (before) =>
      Effect.sync(() => {
        for (const [name, value] of before) {
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
        }
      })
  )
