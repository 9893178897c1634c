/**
 * Runs the devstack gateway: `AUTH_URL`, `USERNAME`, `PASSWORD`, `PROJECT_ID`, `USER_DOMAIN_NAME` from the
 * environment, served on 127.0.0.1 (`PORT`, default 8000), the OpenAPI page at `/`.
 *
 *   AUTH_URL=http://127.0.0.1:5000/v3 USERNAME=admin PASSWORD=… PROJECT_ID=… USER_DOMAIN_NAME=Default \
 *     npx tsx examples/devstack-gateway/main.ts
 */
import { NodeRuntime } from "@effect/platform-node"
import { NodeTransport } from "effect-cloud-clients/node"
import { Config, Console, Effect, Layer } from "effect"
import { address, serve, settingsFromEnv } from "./Gateway.js"

NodeRuntime.runMain(
  Effect.gen(function*() {
    const settings = yield* settingsFromEnv
    const port = yield* Config.withDefault(Config.integer("PORT"), 8000)
    return yield* Layer.launch(
      Layer.effectDiscard(Effect.flatMap(address, (url) => Console.log(`devstack gateway on ${url} (OpenAPI page at ${url}/)`))).pipe(
        Layer.provideMerge(serve(settings, { port })),
        Layer.provide(NodeTransport.layer())
      )
    )
  })
)
