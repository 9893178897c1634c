/**
 * The HTTP transport for Node: an `HttpClient` over its own undici connection pool, closed with its scope.
 *
 * Clients never build a transport themselves (they take the ambient `HttpClient`); this is what the Promise
 * facades and Node programs provide when a session needs settings that live at connection level, such as TLS
 * verification.
 *
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { Agent } from "undici"

/** Connection-level settings. */
export interface TransportOptions {
  /** Verify the server's TLS certificate (default `true`). `false` accepts self-signed certificates. */
  readonly verifyTls?: boolean | undefined
  /** PEM certificates to trust instead of the system's (a private CA, a simulator's self-signed certificate), still verified. */
  readonly ca?: string | ReadonlyArray<string> | undefined
  /** Most connections per origin (default: undici's, unlimited). */
  readonly connections?: number | undefined
}

const dispatcher = (options: TransportOptions) =>
  Layer.scoped(
    NodeHttpClient.Dispatcher,
    Effect.acquireRelease(
      Effect.sync(() =>
        new Agent({
          connect: {
            rejectUnauthorized: options.verifyTls ?? true,
            ...(options.ca === undefined ? {} : { ca: typeof options.ca === "string" ? options.ca : [...options.ca] })
          },
          ...(options.connections === undefined ? {} : { connections: options.connections })
        })
      ),
      (agent) => Effect.promise(() => agent.destroy())
    )
  )

/** An `HttpClient` with its own connection pool, destroyed when the scope closes. */
export const layer = (options: TransportOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(Layer.provide(dispatcher(options)))
