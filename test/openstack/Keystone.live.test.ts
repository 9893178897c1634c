/**
 * The Keystone session against a real Keystone (`../shared/openstack/start-openstack.sh`): runs when `OS_AUTH_URL`
 * is set (source the openrc the script writes), skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { fromEnv } from "../../src/openstack/Config.js"
import * as Keystone from "../../src/openstack/Keystone.js"
import { noCloud } from "../support/Live.js"

/** Any request: these credentials do not depend on it. */
const probe = { method: "GET", url: "", body: "" }


describe("Keystone session against the real Keystone", () => {
  it.live.skipIf(noCloud)("authenticates, finds every service of the local cloud, and revokes its token on close", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv
      const scope = yield* Scope.make()
      const session = yield* Keystone.make(options).pipe(Scope.extend(scope))
      const token = yield* session.token
      expect(token.methods).toContain("password")
      expect(token.project?.name).toBe(process.env["OS_PROJECT_NAME"])
      for (const type of ["identity", "compute", "image", "network", "object-store", "placement"]) {
        expect(yield* session.endpoint(type)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
      }
      const value = (yield* session.credentials.headers(probe))["x-auth-token"]
      if (value === undefined) return expect.unreachable()
      // The token works…
      const http = yield* HttpClient.HttpClient
      const check = (subject: Redacted.Redacted<string>) =>
        Effect.map(
          http.execute(
            HttpClientRequest.head(`${session.identityUrl}auth/tokens`).pipe(
              HttpClientRequest.setHeaders({ "x-auth-token": Redacted.value(subject), "x-subject-token": Redacted.value(subject) })
            )
          ),
          (response) => response.status
        )
      expect(yield* check(value)).toBe(200)
      // …until the session closes and revokes it.
      yield* Scope.close(scope, Exit.void)
      const after = yield* check(value)
      expect([401, 404]).toContain(after)
    }).pipe(Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("refuses a wrong password with Keystone's own words", () =>
    Effect.gen(function*() {
      const options = yield* fromEnv
      const auth = options.auth.type === "password" ? { ...options.auth, password: Redacted.make("wrong-password") } : options.auth
      const error = yield* Effect.flip(Effect.scoped(Keystone.make({ ...options, auth })))
      expect(error).toMatchObject({ _tag: "AuthenticationError", status: 401, code: "Unauthorized" })
      expect(error.message).not.toContain("wrong-password")
    }).pipe(Effect.provide(NodeTransport.layer())))
})
