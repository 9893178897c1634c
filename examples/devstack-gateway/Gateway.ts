/**
 * The devstack gateway's implementation: the handlers of {@link GatewayApi} on top of the OpenStack client, the
 * OpenAPI page at `/`, and serving on 127.0.0.1.
 *
 * Configuration is the seed's: `AUTH_URL`, `USERNAME`, `PASSWORD`, `PROJECT_ID`, `USER_DOMAIN_NAME`. When they are
 * missing or refused, every request answers 403 with a message saying what is wrong (the session is tried again
 * on the next request, so fixing the cloud side needs no restart).
 */
import { type HttpApi, type HttpClient, HttpApiBuilder, HttpApiSwagger, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { ApiError } from "effect-cloud-clients/core"
import { OpenStackClient, type OpenStackClientService, OpenStackConfig } from "effect-cloud-clients/openstack"
import { Config, Context, Effect, Either, Layer, Option, Redacted, Scope, SynchronizedRef } from "effect"
import { createServer } from "node:http"
import { Forbidden, GatewayApi, NotFound, Refused, Upstream } from "./Api.js"

/** The seed's settings, each optional so that a missing one becomes a 403 that names it. */
export interface Settings {
  readonly authUrl?: string | undefined
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
  readonly projectId?: string | undefined
  readonly userDomainName?: string | undefined
}

/** The seed's environment variables. */
export const settingsFromEnv: Config.Config<Settings> = Config.all({
  authUrl: Config.option(Config.string("AUTH_URL")),
  username: Config.option(Config.string("USERNAME")),
  password: Config.option(Config.redacted("PASSWORD")),
  projectId: Config.option(Config.string("PROJECT_ID")),
  userDomainName: Config.option(Config.string("USER_DOMAIN_NAME"))
}).pipe(Config.map((s) => ({
  authUrl: Option.getOrUndefined(s.authUrl),
  username: Option.getOrUndefined(s.username),
  password: Option.getOrUndefined(s.password),
  projectId: Option.getOrUndefined(s.projectId),
  userDomainName: Option.getOrUndefined(s.userDomainName)
})))

/** The OpenStack session of the gateway: opened on first use, kept while it works. */
class Cloud extends Context.Tag("devstack-gateway/Cloud")<Cloud, Effect.Effect<OpenStackClientService, Forbidden | Upstream>>() {}

const missing = (settings: Settings): ReadonlyArray<string> =>
  [
    ["AUTH_URL", settings.authUrl],
    ["USERNAME", settings.username],
    ["PASSWORD", settings.password],
    ["PROJECT_ID", settings.projectId],
    ["USER_DOMAIN_NAME", settings.userDomainName]
  ].filter(([, value]) => value === undefined).map(([name]) => String(name))

/** Maps a client error onto the gateway's answers. */
const answer = (error: ApiError | { readonly _tag: "EndpointNotFound"; readonly message: string }) => {
  switch (error._tag) {
    case "AuthenticationError":
    case "PermissionError":
      return new Forbidden({ message: `the cloud refused the gateway's credentials: ${error.message}` })
    case "NotFoundError":
      return new NotFound({ message: error.message })
    case "QuotaExceededError":
      return new Refused({ message: error.detail ?? error.message, quotaExceeded: true })
    case "BadRequestError":
    case "ConflictError":
    case "InvalidInputError":
      return new Refused({ message: "detail" in error && error.detail !== undefined ? error.detail : error.message, quotaExceeded: false })
    default:
      return new Upstream({ message: error.message })
  }
}

/** The cloud session, from settings; a failed opening is not kept, so the next request tries again. */
const cloudLayer = (settings: Settings): Layer.Layer<Cloud, never, HttpClient.HttpClient> =>
  Layer.scoped(
    Cloud,
    Effect.gen(function*() {
      const scope = yield* Effect.scope
      const http = yield* Effect.context<HttpClient.HttpClient>()
      const held = yield* SynchronizedRef.make(Option.none<OpenStackClientService>())
      const open = (): Effect.Effect<OpenStackClientService, Forbidden | Upstream> => {
        const absent = missing(settings)
        if (absent.length > 0) {
          return Effect.fail(new Forbidden({ message: `the gateway is not configured: set ${absent.join(", ")}` }))
        }
        return Either.match(
          OpenStackConfig.fromKeys({
            auth_url: settings.authUrl,
            username: settings.username,
            password: settings.password === undefined ? undefined : Redacted.value(settings.password),
            project_id: settings.projectId,
            user_domain_name: settings.userDomainName
          }, ["gateway environment"]),
          {
            onLeft: (error) => Effect.fail(new Forbidden({ message: error.message })),
            onRight: (options) =>
              Effect.provide(OpenStackClient.make(options), http).pipe(
                Scope.extend(scope),
                Effect.mapError((error) => {
                  const mapped = answer(error)
                  return mapped._tag === "Forbidden" || mapped._tag === "Upstream"
                    ? mapped
                    : new Forbidden({ message: `the gateway's credentials are invalid: ${error.message}` })
                })
              )
          }
        )
      }
      return SynchronizedRef.modifyEffect(held, (current) =>
        Option.match(current, {
          onSome: (client) => Effect.succeed([client, current] as const),
          onNone: () => Effect.map(open(), (client) => [client, Option.some(client)] as const)
        }))
    })
  )

const withCloud = <A, E>(f: (client: OpenStackClientService) => Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.flatten(Cloud), f)

/** Every handler of the gateway. */
const handlers = Layer.mergeAll(
  HttpApiBuilder.group(GatewayApi, "image", (h) =>
    h
      .handle("list", () => withCloud((c) => Effect.mapError(Effect.map(c.images.list(), (p) => p.items), answer)))
      .handle("get", ({ path }) => withCloud((c) => Effect.mapError(c.images.get(path.name), answer)))),
  HttpApiBuilder.group(GatewayApi, "flavor", (h) =>
    h
      .handle("list", () => withCloud((c) => Effect.mapError(Effect.map(c.flavors.list(), (p) => p.items), answer)))
      .handle("get", ({ path }) => withCloud((c) => Effect.mapError(c.flavors.get(path.name), answer)))),
  HttpApiBuilder.group(GatewayApi, "network", (h) =>
    h
      .handle("list", () => withCloud((c) => Effect.mapError(Effect.map(c.networks.list(), (p) => p.items), answer)))
      .handle("get", ({ path }) => withCloud((c) => Effect.mapError(c.networks.get(path.name), answer)))),
  HttpApiBuilder.group(GatewayApi, "server", (h) =>
    h
      .handle("list", () => withCloud((c) => Effect.mapError(Effect.map(c.servers.list(), (p) => p.items), answer)))
      .handle("get", ({ path }) => withCloud((c) => Effect.mapError(c.servers.get(path.id), answer)))
      .handle("create", ({ payload }) =>
        withCloud((c) =>
          Effect.mapError(
            c.servers.create({
              name: payload.name,
              imageRef: payload.image_id,
              flavorRef: payload.flavor_id,
              networks: [{ uuid: payload.network_id }]
            }),
            answer
          )))
      .handle("delete", ({ path }) =>
        withCloud((c) =>
          Effect.mapError(
            Effect.flatMap(c.servers.get(path.id), () => c.servers.delete(path.id)),
            answer
          ))))
)

/** The gateway's API with its handlers, for the given settings; needs an `HttpClient` to reach the cloud. */
export const api = (settings: Settings): Layer.Layer<HttpApi.Api, never, HttpClient.HttpClient> =>
  HttpApiBuilder.api(GatewayApi).pipe(Layer.provide(handlers), Layer.provide(cloudLayer(settings)))

/** Serves the gateway on 127.0.0.1 (`port` 0: a free one), with the OpenAPI page at `/`. */
export const serve = (settings: Settings, options: { readonly port?: number } = {}) =>
  HttpApiBuilder.serve().pipe(
    Layer.provide(HttpApiSwagger.layer({ path: "/" })),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(api(settings)),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { host: "127.0.0.1", port: options.port ?? 0 }))
  )

/** The address a served gateway listens on. */
export const address = Effect.map(HttpServer.HttpServer, (server) =>
  server.address._tag === "TcpAddress" ? `http://127.0.0.1:${server.address.port}` : "")
