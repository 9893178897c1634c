import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema, TestClock } from "effect"
import * as InProcess from "../../../src/core/testing/InProcess.js"
import { FlavorList } from "../../../src/openstack/Flavor.js"
import { TokenResponse } from "../../../src/openstack/KeystoneV3.js"
import { Image, ImageList } from "../../../src/openstack/Image.js"

import { AccountListing, ContainerListing } from "../../../src/openstack/ObjectStore.js"
import { CreateServerResponse, ServerList } from "../../../src/openstack/Server.js"
import { IdentityVersionList, VersionDocument, VersionList } from "../../../src/openstack/Version.js"
import * as Volumes from "../../../src/openstack/Volumes.js"
import * as OpenStackTesting from "../../../src/openstack/testing/index.js"
import * as Flavors from "../../../src/openstack/Flavors.js"
import * as Networks from "../../../src/openstack/Networks.js"
import * as Servers from "../../../src/openstack/Servers.js"

const origin = "http://openstack.simulator"

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

const session = Effect.gen(function*() {
  const sim = yield* OpenStackTesting.make()
  const http = InProcess.make(sim.app)
  const send = (
    method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD",
    path: string,
    options: { readonly body?: unknown; readonly text?: string; readonly headers?: Record<string, string> } = {}
  ) =>
    Effect.gen(function*() {
      const base = HttpClientRequest.make(method)(`${origin}${path}`).pipe(
        HttpClientRequest.setHeaders(options.headers ?? {})
      )
      const request = options.body !== undefined
        ? HttpClientRequest.bodyUnsafeJson(base, options.body)
        : options.text !== undefined
        ? HttpClientRequest.bodyText(base, options.text, "text/plain")
        : base
      const response = yield* http.execute(request)
      const answer: Answer = { status: response.status, headers: response.headers, text: yield* response.text }
      return answer
    })
  const login = yield* send("POST", "/identity/v3/auth/tokens", {
    body: {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "demo", domain: { name: "Default" }, password: "secret" } }
        },
        scope: { project: { name: "demo", domain: { name: "Default" } } }
      }
    }
  })
  const token = login.headers["x-subject-token"] ?? ""
  const authed = (
    method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD",
    path: string,
    options: { readonly body?: unknown; readonly text?: string; readonly headers?: Record<string, string> } = {}
  ) => send(method, path, { ...options, headers: { "x-auth-token": token, ...options.headers } })
  return { sim, send, authed, login, token }
})

const decode = <A, I>(schema: Schema.Schema<A, I, never>, answer: Answer) =>
  Schema.decodeUnknown(schema)(JSON.parse(answer.text))

describe("OpenStack simulator answers decode with the client's schemas", () => {
  it.effect("every read and create body", () =>
    Effect.gen(function*() {
      const { authed, login, send } = yield* session
      expect(login.status).toBe(201)
      expect(login.headers["x-openstack-request-id"]).toMatch(/^req-[0-9a-f-]{36}$/)
      yield* decode(TokenResponse, login)
      const root = yield* send("GET", "/identity/")
      expect(root.status).toBe(300)
      yield* decode(IdentityVersionList, root)
      yield* decode(VersionDocument, yield* send("GET", "/identity/v3"))
      const compute = yield* send("GET", "/compute/v2.1/", { headers: { "openstack-api-version": "compute 2.90" } })
      expect(compute.headers["openstack-api-version"]).toBe("compute 2.90")
      expect((yield* decode(VersionDocument, compute)).version.version).toBe("2.93")
      yield* decode(VersionList, yield* send("GET", "/compute/"))
      const glanceRoot = yield* send("GET", "/image/")
      expect(glanceRoot.status).toBe(300)
      yield* decode(VersionList, glanceRoot)
      yield* decode(VersionList, yield* send("GET", "/network/"))

      const mv = { "openstack-api-version": "compute 2.90" }
      yield* decode(FlavorList, yield* authed("GET", "/compute/v2.1/flavors"))
      yield* decode(Flavors.flavors.list.schema, yield* authed("GET", "/compute/v2.1/flavors/detail", { headers: mv }))
      yield* decode(Flavors.flavors.list.schema, yield* authed("GET", "/compute/v2.1/flavors/detail"))
      yield* decode(Flavors.flavors.one.schema, yield* authed("GET", "/compute/v2.1/flavors/1", { headers: mv }))
      const created = yield* authed("POST", "/compute/v2.1/servers", {
        headers: mv,
        body: {
          server: {
            name: "vm1",
            imageRef: OpenStackTesting.SeedIds.imageId,
            flavorRef: "1",
            networks: [{ uuid: OpenStackTesting.SeedIds.networkId }],
            metadata: { k: "v" }
          }
        }
      })
      expect(created.status).toBe(202)
      expect(created.headers["x-compute-request-id"]).toBe(created.headers["x-openstack-request-id"])
      const id = (yield* decode(CreateServerResponse, created)).server.id
      expect(created.headers["location"]).toBe(`${origin}/compute/v2.1/servers/${id}`)
      yield* TestClock.adjust("3 seconds")
      yield* decode(ServerList, yield* authed("GET", "/compute/v2.1/servers"))
      yield* decode(Servers.servers.list.schema, yield* authed("GET", "/compute/v2.1/servers/detail", { headers: mv }))
      yield* decode(Servers.servers.list.schema, yield* authed("GET", "/compute/v2.1/servers/detail"))
      const server = yield* decode(Servers.servers.one.schema, yield* authed("GET", `/compute/v2.1/servers/${id}`, { headers: mv }))
      expect(server.server.status).toBe("ACTIVE")
      expect(server.server.metadata).toEqual({ k: "v" })
      expect(server.server.addresses["private"]?.[0]?.addr).toMatch(/^10\.0\.0\./)

      yield* decode(ImageList, yield* authed("GET", "/image/v2/images"))
      yield* decode(Image, yield* authed("GET", `/image/v2/images/${OpenStackTesting.SeedIds.imageId}`))
      const image = yield* authed("POST", "/image/v2/images", {
        body: { name: "mine", disk_format: "raw", container_format: "bare" }
      })
      expect(image.status).toBe(201)
      const queued = yield* decode(Image, image)
      expect(queued.status).toBe("queued")
      const upload = yield* authed("PUT", `/image/v2/images/${queued.id}/file`, {
        text: "disk bytes",
        headers: { "content-type": "application/octet-stream" }
      })
      expect(upload.status).toBe(204)
      const active = yield* decode(Image, yield* authed("GET", `/image/v2/images/${queued.id}`))
      expect(active.status).toBe("active")
      expect(active.size).toBe(10)

      yield* decode(Networks.networks.list.schema, yield* authed("GET", "/network/v2.0/networks"))
      yield* decode(Networks.subnets.list.schema, yield* authed("GET", "/network/v2.0/subnets"))
      const network = yield* decode(
        Networks.networks.one.schema,
        yield* authed("POST", "/network/v2.0/networks", { body: { network: { name: "net2" } } })
      )
      const subnet = yield* decode(
        Networks.subnets.one.schema,
        yield* authed("POST", "/network/v2.0/subnets", {
          body: { subnet: { network_id: network.network.id, cidr: "192.168.5.0/24", ip_version: 4 } }
        })
      )
      expect(subnet.subnet.gateway_ip).toBe("192.168.5.1")
      expect(subnet.subnet.allocation_pools).toEqual([{ start: "192.168.5.2", end: "192.168.5.254" }])
      yield* decode(Networks.networks.one.schema, yield* authed("GET", `/network/v2.0/networks/${network.network.id}`))
    }))

  it.effect("error bodies in each service's shape", () =>
    Effect.gen(function*() {
      const { authed, send } = yield* session
      const noauth = yield* send("GET", "/compute/v2.1/servers")
      expect(noauth.status).toBe(401)
      expect(JSON.parse(noauth.text)).toEqual({
        error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" }
      })
      const missing = yield* authed("GET", "/compute/v2.1/servers/00000000-0000-0000-0000-000000000000")
      expect(JSON.parse(missing.text)).toEqual({
        itemNotFound: { code: 404, message: "Instance 00000000-0000-0000-0000-000000000000 could not be found." }
      })
      const badMv = yield* authed("GET", "/compute/v2.1/servers", { headers: { "openstack-api-version": "compute 2.200" } })
      expect(badMv.status).toBe(406)
      expect(JSON.parse(badMv.text)).toEqual({
        computeFault: { code: 406, message: "Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.93." }
      })
      const badMarker = yield* authed("GET", "/compute/v2.1/servers?marker=nope")
      expect(JSON.parse(badMarker.text)).toEqual({ badRequest: { code: 400, message: "marker [nope] not found" } })
      const netMissing = yield* authed("GET", "/network/v2.0/networks/00000000-0000-0000-0000-000000000000")
      expect(JSON.parse(netMissing.text)).toEqual({
        NeutronError: {
          type: "NetworkNotFound",
          message: "Network 00000000-0000-0000-0000-000000000000 could not be found.",
          detail: ""
        }
      })
      const badFilter = yield* authed("GET", "/network/v2.0/networks?bogus_field=1")
      expect(JSON.parse(badFilter.text)).toEqual({
        NeutronError: { type: "HTTPBadRequest", message: "['bogus_field'] is invalid attribute for filtering", detail: "" }
      })
      for (const resource of ["networks", "subnets", "ports"]) {
        const bodiless = yield* authed("POST", `/network/v2.0/${resource}`, { body: { other: {} } })
        expect(bodiless.status).toBe(400)
        expect(JSON.parse(bodiless.text)).toMatchObject({ NeutronError: { type: "BadRequest", message: "Resource body required" } })
      }
      const imageHtml = yield* authed("GET", "/image/v2/images/00000000-0000-0000-0000-000000000000")
      expect(imageHtml.headers["content-type"]).toContain("text/html")
      expect(imageHtml.text).toContain("<h1>404 Not Found</h1>")
      const imageJson = yield* authed("GET", "/image/v2/images/00000000-0000-0000-0000-000000000000", {
        headers: { accept: "application/json" }
      })
      expect(JSON.parse(imageJson.text)).toEqual({
        message: "No image found with ID 00000000-0000-0000-0000-000000000000<br /><br />\n\n\n",
        code: "404 Not Found",
        title: "Not Found"
      })
    }))

  it.effect("injected faults carry the body shape of the service the path names", () =>
    Effect.gen(function*() {
      const { authed, sim } = yield* session
      yield* sim.faults.inject({ path: "/network/", fault: OpenStackTesting.Fault.status(503) })
      const neutron = yield* authed("GET", "/network/v2.0/networks")
      expect(neutron.status).toBe(503)
      expect(JSON.parse(neutron.text)).toHaveProperty("NeutronError")
      yield* sim.faults.inject({ path: "/compute/", fault: OpenStackTesting.Fault.status(503) })
      const nova = yield* authed("GET", "/compute/v2.1/servers")
      expect(JSON.parse(nova.text)).toHaveProperty("serviceUnavailable")
    }))

  it.effect("Swift keeps containers and objects", () =>
    Effect.gen(function*() {
      const { authed, sim } = yield* session
      const account = `/object-store/v1/AUTH_${sim.credentials.projectId}`
      const empty = yield* authed("GET", `${account}?format=json`)
      expect(empty.status).toBe(200)
      expect(yield* Schema.decodeUnknown(AccountListing)(JSON.parse(empty.text))).toEqual([])
      expect((yield* authed("PUT", `${account}/box`)).status).toBe(201)
      expect((yield* authed("PUT", `${account}/box`)).status).toBe(202)
      const put = yield* authed("PUT", `${account}/box/dir/hello.txt`, { text: "hello" })
      expect(put.status).toBe(201)
      expect(put.headers["etag"]).toBe("5d41402abc4b2a76b9719d911017c592")
      const got = yield* authed("GET", `${account}/box/dir/hello.txt`)
      expect(got.text).toBe("hello")
      const listing = yield* Schema.decodeUnknown(ContainerListing)(JSON.parse((yield* authed("GET", `${account}/box?format=json`)).text))
      expect(listing).toHaveLength(1)
      expect((yield* authed("DELETE", `${account}/box`)).status).toBe(409)
      expect((yield* authed("DELETE", `${account}/box/dir/hello.txt`)).status).toBe(204)
      expect((yield* authed("DELETE", `${account}/box`)).status).toBe(204)
      const gone = yield* authed("GET", `${account}/box`)
      expect(gone.status).toBe(404)
      expect(gone.text).toBe("<html><h1>Not Found</h1><p>The resource could not be found.</p></html>")
      expect((yield* authed("GET", `/object-store/v1/AUTH_someone-else`)).status).toBe(403)
    }))

  it.effect("application credentials and token rescoping", () =>
    Effect.gen(function*() {
      const { send, sim, token } = yield* session
      const byAppCred = yield* send("POST", "/identity/v3/auth/tokens", {
        body: {
          auth: {
            identity: {
              methods: ["application_credential"],
              application_credential: {
                id: sim.credentials.applicationCredentialId,
                secret: sim.credentials.applicationCredentialSecret
              }
            }
          }
        }
      })
      expect(byAppCred.status).toBe(201)
      expect((yield* Schema.decodeUnknown(TokenResponse)(JSON.parse(byAppCred.text))).token.project?.id).toBe(
        sim.credentials.projectId
      )
      const rescoped = yield* send("POST", "/identity/v3/auth/tokens", {
        body: { auth: { identity: { methods: ["token"], token: { id: token } }, scope: { project: { id: sim.credentials.projectId } } } }
      })
      expect(rescoped.status).toBe(201)
      const wrong = yield* send("POST", "/identity/v3/auth/tokens", {
        body: {
          auth: { identity: { methods: ["password"], password: { user: { id: sim.credentials.userId, password: "nope" } } } }
        }
      })
      expect(wrong.status).toBe(401)
      expect(wrong.headers["www-authenticate"]).toBe(`Keystone uri="${origin}/identity/v3"`)
      const validate = yield* send("GET", "/identity/v3/auth/tokens", { headers: { "x-auth-token": token, "x-subject-token": token } })
      expect(validate.status).toBe(200)
    }))
})

describe("OpenStack simulator's Cinder", () => {
  const volumesOf = (text: string): ReadonlyArray<string> =>
    Schema.decodeUnknownSync(Volumes.volumes.list.schema)(JSON.parse(text)).volumes.map((v) => v.id)

  it.effect("answers in Cinder's shapes: 202 creates, detail pages with next links, Nova-style errors", () =>
    Effect.gen(function*() {
      const { authed, sim } = yield* session
      const v3 = `/block-storage/v3/${sim.credentials.projectId}`
      const versions = yield* authed("GET", "/block-storage")
      expect(JSON.parse(versions.text)).toMatchObject({ versions: [{ id: "v3.0", status: "CURRENT" }] })
      const ids: Array<string> = []
      for (const name of ["a", "b", "c"]) {
        const made = yield* authed("POST", `${v3}/volumes`, { body: { volume: { size: 1, name, metadata: { n: name } } } })
        expect(made.status).toBe(202)
        const volume = Volumes.volumes.one.read(Schema.decodeUnknownSync(Volumes.volumes.one.schema)(JSON.parse(made.text)))
        expect(volume.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/)
        expect(volume.links?.[0]?.href).toBe(`${origin}${v3}/volumes/${volume.id}`)
        ids.push(volume.id)
      }
      const page = yield* authed("GET", `${v3}/volumes/detail?limit=2`)
      expect(volumesOf(page.text)).toEqual([ids[2], ids[1]])
      expect(JSON.parse(page.text).volumes_links).toEqual([{ rel: "next", href: `${origin}${v3}/volumes/detail?limit=2&marker=${ids[1]}` }])
      expect(volumesOf((yield* authed("GET", `${v3}/volumes/detail?sort=name:asc`)).text)).toEqual(ids)
      const summary = JSON.parse((yield* authed("GET", `${v3}/volumes?limit=1`)).text).volumes
      expect(summary).toEqual([{ id: ids[2], name: "c", links: expect.any(Array) }])
      expect(volumesOf((yield* authed("GET", `${v3}/volumes/detail?metadata=${encodeURIComponent('{"n": "b"}')}`)).text)).toEqual([ids[1]])

      const missing = yield* authed("GET", `${v3}/volumes/nope`)
      expect(missing.status).toBe(404)
      expect(JSON.parse(missing.text)).toEqual({ itemNotFound: { code: 404, message: "Volume nope could not be found." } })
      const bare = yield* authed("POST", `${v3}/volumes`, { body: { size: 1 } })
      expect(JSON.parse(bare.text)).toEqual({ badRequest: { code: 400, message: "Missing required element 'volume' in request body." } })
      for (const query of ["marker=nope", "sort=colour:asc", "metadata=n", "limit=-1"]) {
        expect((yield* authed("GET", `${v3}/volumes/detail?${query}`)).status).toBe(400)
      }
      expect((yield* authed("GET", `/block-storage/v3/${sim.credentials.adminProjectId}/volumes`)).status).toBe(404)
      yield* sim.faults.inject({ path: "/block-storage/", fault: OpenStackTesting.Fault.status(503) })
      expect(JSON.parse((yield* authed("GET", `${v3}/volumes`)).text)).toHaveProperty("serviceUnavailable")
    }))

  it.effect("deletes a volume on the clock, exactly; all_tenants shows an admin every project's volumes", () =>
    Effect.gen(function*() {
      const { authed, send, sim } = yield* session
      const v3 = `/block-storage/v3/${sim.credentials.projectId}`
      const made = yield* authed("POST", `${v3}/volumes`, { body: { volume: { size: 1 } } })
      const { id } = Volumes.volumes.one.read(Schema.decodeUnknownSync(Volumes.volumes.one.schema)(JSON.parse(made.text)))
      expect((yield* authed("DELETE", `${v3}/volumes/${id}`)).status).toBe(400)
      yield* TestClock.adjust("2 seconds")
      expect((yield* authed("DELETE", `${v3}/volumes/${id}`)).status).toBe(202)
      yield* TestClock.adjust("999 millis")
      expect(JSON.parse((yield* authed("GET", `${v3}/volumes/${id}`)).text)).toMatchObject({ volume: { status: "deleting" } })
      yield* TestClock.adjust("1 millis")
      expect((yield* authed("GET", `${v3}/volumes/${id}`)).status).toBe(404)

      const kept = yield* authed("POST", `${v3}/volumes`, { body: { volume: { size: 1 } } })
      const keptId: unknown = JSON.parse(kept.text).volume.id
      const login = yield* send("POST", "/identity/v3/auth/tokens", {
        body: {
          auth: {
            identity: { methods: ["password"], password: { user: { name: "admin", domain: { name: "Default" }, password: "secret" } } },
            scope: { project: { name: "admin", domain: { name: "Default" } } }
          }
        }
      })
      const admin = { "x-auth-token": login.headers["x-subject-token"] ?? "" }
      const adminV3 = `/block-storage/v3/${sim.credentials.adminProjectId}`
      const own: unknown = JSON.parse((yield* send("POST", `${adminV3}/volumes`, { headers: admin, body: { volume: { size: 1 } } })).text).volume.id
      expect(volumesOf((yield* send("GET", `${adminV3}/volumes/detail`, { headers: admin })).text)).toEqual([own])
      expect(volumesOf((yield* send("GET", `${adminV3}/volumes/detail?all_tenants=1`, { headers: admin })).text)).toEqual([own, keptId])
      // not an admin: all_tenants is ignored
      expect(volumesOf((yield* authed("GET", `${v3}/volumes/detail?all_tenants=1`)).text)).toEqual([keptId])
    }))
})
