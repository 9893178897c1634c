/**
 * Serves a simulator app on a real socket, always bound to 127.0.0.1, for examples, demos and clients in other
 * processes.
 *
 * @since 0.1.0
 */
import { HttpServerRequest, type HttpApp, type HttpServerError } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, type Scope } from "effect"
import { createServer } from "node:http"
import { createServer as createTlsServer } from "node:https"
import { isDrop } from "./Faults.js"

/**
 * Where the app is served: `url` is `http://127.0.0.1:PORT`, or `https://…` with TLS (no trailing slash).
 *
 * @since 0.1.0
 */
export interface Served {
  readonly url: string
  readonly port: number
}

/**
 * Options of {@link serve}: `port` 0 (the default) picks a free port. The host is always 127.0.0.1. `tls` serves
 * HTTPS with the given PEM key and certificate (for clients that insist on HTTPS, or to test certificate checks).
 *
 * @since 0.1.0
 */
export interface ServeOptions {
  readonly port?: number
  readonly host?: "127.0.0.1"
  readonly tls?: { readonly key: string; readonly cert: string }
}

/**
 * Wraps an app so that a response carrying the drop marker of `Faults` destroys the connection's socket instead of
 * being written: the client sees a connection error.
 *
 * @since 0.1.0
 */
export const honourDrop = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(app, (response) =>
    isDrop(response)
      ? Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        Effect.as(
          Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()),
          response
        ))
      : Effect.succeed(response))

/**
 * Serves `app` on 127.0.0.1 for the lifetime of the scope.
 *
 * @since 0.1.0
 */
export const serve = <E>(
  app: HttpApp.Default<E, never>,
  options?: ServeOptions
): Effect.Effect<Served, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const tls = options?.tls
    const server = yield* NodeHttpServer.make(
      () => (tls === undefined ? createServer() : createTlsServer({ key: tls.key, cert: tls.cert })),
      { host: "127.0.0.1", port: options?.port ?? 0 }
    )
    yield* server.serve(honourDrop(app))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`, port }
  })
