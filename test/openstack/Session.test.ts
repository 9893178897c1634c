/**
 * A session composed of an identity other than Keystone and a registry of its own: engines from the catalog URL and
 * the version path, the identity's credentials and caller, one negotiation per service, an unreadable version
 * document meaning no microversion, and a resource module reused over such a session.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import * as Credentials from "../../src/core/Credentials.js"
import * as Path from "../../src/core/Path.js"
import * as RetryPolicy from "../../src/core/RetryPolicy.js"
import * as Scripted from "../../src/core/testing/Scripted.js"
import { errorBody } from "../../src/openstack/ErrorBody.js"
import * as Flavors from "../../src/openstack/Flavors.js"
import { EndpointNotFound } from "../../src/openstack/KeystoneV3.js"
import * as Microversion from "../../src/openstack/Microversion.js"
import * as Session from "../../src/openstack/Session.js"

const catalog: Record<string, string> = { compute: "http://127.0.0.1:9001/compute/v2.1/", volume: "http://127.0.0.1:9002/v3/p1/" }

/** An identity that is not Keystone: a fixed token, a catalog of two services. */
const identity: Session.Identity = {
  caller: "someone",
  credentials: Credentials.fixed({ "x-auth-token": Redacted.make("astakos-token") }),
  endpoint: (type) => {
    const url = catalog[type]
    return url === undefined
      ? Effect.fail(new EndpointNotFound({ serviceType: type, interface: "public", region: undefined, available: Object.keys(catalog) }))
      : Effect.succeed(url)
  }
}

const registry = {
  compute: { negotiate: Microversion.negotiation({ service: "compute", max: "2.90" }) },
  volume: { versionPath: "", negotiate: Microversion.negotiation({ service: "volume", max: "3.70" }) },
  missing: {}
} satisfies Record<string, Session.ServiceSpec>

const settings: Session.EngineSettings = { api: "synnefo", retry: RetryPolicy.none, timeout: "5 seconds", errorBody }

const json = (body: unknown): Scripted.Reply => ({ status: 200, body })

describe("Session", () => {
  it.scoped("builds each engine once from the catalog, negotiates once and sends the identity's token", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make((sent) =>
        sent.url === "http://127.0.0.1:9001/compute/v2.1/"
          ? json({ version: { id: "v2.1", status: "CURRENT", version: "2.79", min_version: "2.1", links: [] } })
          : sent.url === "http://127.0.0.1:9002/v3/p1/"
          ? { status: 200, text: "<html>not a version document</html>", headers: { "content-type": "text/html" } }
          : json({ flavors: [] })
      )
      const session = yield* Session.make(identity, registry, settings).pipe(Effect.provide(http.layer))
      expect(yield* http.sent).toEqual([])
      const compute = yield* session.service("compute")
      expect(compute.microversion).toBe("2.79")
      const flavors = Flavors.make(session.engine("compute"))
      yield* flavors.list()
      yield* flavors.list()
      const volume = yield* session.service("volume")
      expect(volume.microversion).toBeUndefined()
      yield* volume.rest.json({ method: "GET", path: Path.literal("volumes"), cache: false }, Schema.Unknown)
      const sent = yield* http.sent
      expect(sent.map((s) => s.url)).toEqual([
        "http://127.0.0.1:9001/compute/v2.1/",
        "http://127.0.0.1:9001/compute/v2.1/flavors/detail",
        "http://127.0.0.1:9001/compute/v2.1/flavors/detail",
        "http://127.0.0.1:9002/v3/p1/",
        "http://127.0.0.1:9002/v3/p1/volumes"
      ])
      expect(sent[1]?.headers).toMatchObject({ "x-auth-token": "astakos-token", "openstack-api-version": "compute 2.79" })
      expect(sent[1]?.headers["x-openstack-nova-api-version"]).toBeUndefined()
      expect(sent[4]?.headers["openstack-api-version"]).toBeUndefined()
      expect(sent[4]?.headers["x-auth-token"]).toBe("astakos-token")
    }))

  it.scoped("concurrent first uses of a service share one build: one version document read", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(() => json({ version: { id: "v2.1", status: "CURRENT", version: "2.60", min_version: "2.1", links: [] } }))
      const session = yield* Session.make(identity, registry, settings).pipe(Effect.provide(http.layer))
      const all = yield* Effect.all(Array.from({ length: 20 }, () => session.service("compute")), { concurrency: "unbounded" })
      expect(new Set(all.map((s) => s.rest)).size).toBe(1)
      expect((yield* http.sent).length).toBe(1)
    }))

  it.scoped("fails a service the catalog does not have, and its errors name the session's API", () =>
    Effect.gen(function*() {
      const http = yield* Scripted.make(() => ({ status: 404, body: { itemNotFound: { code: 404, message: "gone" } } }))
      const session = yield* Session.make(identity, registry, settings).pipe(Effect.provide(http.layer))
      expect(yield* Effect.flip(session.engine("missing"))).toBeInstanceOf(EndpointNotFound)
      const error = yield* Effect.flip(Flavors.make(session.engine("compute")).list())
      expect(error).toMatchObject({ _tag: "NotFoundError", api: "synnefo" })
    }))
})
