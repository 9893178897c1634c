/** Real HTTP servers on 127.0.0.1 for the transport's tests, which see every connection and when it closes. */
import { Effect, type Scope } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"

/** A running server. */
export interface Server {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly port: number
  /** Every request received, in order. */
  readonly requests: Array<IncomingMessage>
  /** Every connection accepted, in order. */
  readonly sockets: Array<Socket>
  /** Resolves once `n` requests have arrived. */
  readonly arrived: (n: number) => Promise<void>
  /** Resolves when the connection of the `n`-th request (from 0) closes. */
  readonly closed: (n: number) => Promise<void>
}

/** Serves `handler` for the scope; closing the scope closes every connection. */
export const server = (
  handler: (request: IncomingMessage, response: ServerResponse) => void
): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Server; readonly close: () => void }>((resume) => {
      const requests: Array<IncomingMessage> = []
      const sockets: Array<Socket> = []
      const waiters: Array<{ readonly n: number; readonly wake: () => void }> = []
      const http = createServer((request, response) => {
        requests.push(request)
        for (const waiter of waiters) if (requests.length >= waiter.n) waiter.wake()
        handler(request, response)
      })
      http.on("connection", (socket) => sockets.push(socket))
      const arrived = (n: number): Promise<void> =>
        requests.length >= n ? Promise.resolve() : new Promise((wake) => waiters.push({ n, wake }))
      const closed = (n: number): Promise<void> =>
        arrived(n + 1).then(() => {
          const socket = requests[n]?.socket
          return socket === undefined || socket.closed ? undefined : new Promise((done) => socket.once("close", () => done()))
        })
      http.listen(0, "127.0.0.1", () => {
        const address = http.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(Effect.succeed({
          server: { url: `http://127.0.0.1:${port}`, port, requests, sockets, arrived, closed },
          close: () => {
            http.closeAllConnections()
            http.close()
          }
        }))
      })
    }),
    ({ close }) => Effect.sync(close)
  ).pipe(Effect.map(({ server }) => server))

/** Resolves after `millis` of real time. */
export const sleep = (millis: number): Promise<void> => new Promise((done) => setTimeout(done, millis))
