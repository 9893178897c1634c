import { describe, expect, it } from "@effect/vitest"
import { readdirSync } from "node:fs"
import { Redacted, Schema } from "effect"
import { FlavorList } from "../../src/openstack/Flavor.js"
import { ImageList, Image, ImageStatuses } from "../../src/openstack/Image.js"
import { AccountListing, ContainerListing, isSubdir } from "../../src/openstack/ObjectStore.js"
import { CreateServerResponse, imageId, isEmbeddedFlavor, Server, ServerList } from "../../src/openstack/Server.js"
import { IdentityVersionList, VersionDocument, VersionList, versionsOf } from "../../src/openstack/Version.js"
import * as Fixtures from "../support/Fixtures.js"
import * as Flavors from "../../src/openstack/Flavors.js"
import * as Networks from "../../src/openstack/Networks.js"
import * as Ports from "../../src/openstack/Ports.js"
import * as Servers from "../../src/openstack/Servers.js"

/** Bodies this file does not decode: requests, and Keystone tokens decoded in KeystoneV3.test.ts. */
const skipped = (name: string): boolean =>
  /-req[-.]/.test(name) || name.endsWith("-request.json") ||
  [
    "apiref/keystone-auth-resp-appcred.json",
    "apiref/keystone-auth-resp-project-scoped-password.json",
    "live/keystone-POST-auth-tokens-201.json"
  ].includes(name)

const NovaFault = Schema.Record({ key: Schema.String, value: Schema.Struct({ code: Schema.Number, message: Schema.String }) })
const KeystoneError = Schema.Struct({ error: Schema.Struct({ code: Schema.Number, title: Schema.String, message: Schema.String }) })
const NeutronError = Schema.Struct({
  NeutronError: Schema.Struct({ type: Schema.String, message: Schema.String, detail: Schema.String })
})
const GlanceError = Schema.Struct({ message: Schema.String, code: Schema.String, title: Schema.String })
const GlanceImageSchema = Schema.Struct({
  name: Schema.Literal("image"),
  properties: Schema.Struct({ status: Schema.Struct({ enum: Schema.Array(Schema.String) }) })
})
const Limits = Schema.Struct({
  limits: Schema.Struct({
    absolute: Schema.Record({ key: Schema.String, value: Schema.Number }),
    rate: Schema.Array(Schema.Unknown)
  })
})

/** Every response fixture and the schema that decodes it; a new fixture without an entry fails the coverage test. */
const schemas: Readonly<Record<string, Schema.Schema.AnyNoContext>> = {
  "apiref/glance-image-create-response.json": Image,
  "apiref/glance-image-show-response.json": Image,
  "apiref/glance-images-list-response.json": ImageList,
  "apiref/glance-schemas-image.json": GlanceImageSchema,
  "apiref/keystone-version-v3.json": VersionDocument,
  "apiref/keystone-versions.json": IdentityVersionList,
  "apiref/neutron-network-create-response.json": Networks.networks.one.schema,
  "apiref/neutron-networks-list-response.json": Networks.networks.list.schema,
  "apiref/neutron-port-create-response.json": Ports.ports.one.schema,
  "apiref/neutron-ports-list-response.json": Ports.ports.list.schema,
  "apiref/neutron-subnet-create-response.json": Networks.subnets.one.schema,
  "apiref/neutron-subnets-list-response.json": Networks.subnets.list.schema,
  "apiref/neutron-versions-list-response.json": VersionList,
  "apiref/nova-flavor-get-v2.75.json": Flavors.flavors.one.schema,
  "apiref/nova-flavors-detail-v2.75.json": Flavors.flavors.list.schema,
  "apiref/nova-flavors-list.json": FlavorList,
  "apiref/nova-limits-v2.57.json": Limits,
  "apiref/nova-server-create-resp-v2.90.json": CreateServerResponse,
  "apiref/nova-server-get-v2.90.json": Servers.servers.one.schema,
  "apiref/nova-servers-details-v2.90.json": Servers.servers.list.schema,
  "apiref/nova-servers-list.json": ServerList,
  "apiref/nova-v21-version-get.json": VersionDocument,
  "apiref/nova-versions-get.json": VersionList,
  "apiref/swift-account-containers-list.json": AccountListing,
  "apiref/swift-container-objects-list.json": ContainerListing,
  "live/glance-GET-image-200.json": Image,
  "live/glance-GET-image-404-accept-json.json": GlanceError,
  "live/glance-GET-images-limit1-200.json": ImageList,
  "live/glance-GET-info-import-200.json": Schema.Struct({
    "import-methods": Schema.Struct({ value: Schema.Array(Schema.String) })
  }),
  "live/glance-GET-root-300.json": VersionList,
  "live/keystone-GET-root-300.json": IdentityVersionList,
  "live/keystone-GET-v3-200.json": VersionDocument,
  "live/keystone-POST-auth-tokens-401.json": KeystoneError,
  "live/neutron-GET-network-404.json": NeutronError,
  "live/neutron-GET-networks-bad-filter-400.json": NeutronError,
  "live/neutron-GET-networks-limit1-empty-200.json": Networks.networks.list.schema,
  "live/neutron-GET-networks-noauth-401.json": KeystoneError,
  "live/neutron-GET-root-200.json": VersionList,
  "live/neutron-GET-v2.0-200.json": Schema.Struct({
    resources: Schema.Array(Schema.Struct({ name: Schema.String, collection: Schema.String }))
  }),
  "live/neutron-POST-networks-invalid-400.json": NeutronError,
  "live/nova-GET-flavors-200.json": FlavorList,
  "live/nova-GET-flavors-detail-mv2.93-200.json": Flavors.flavors.list.schema,
  "live/nova-GET-limits-200.json": Limits,
  "live/nova-GET-root-200.json": VersionList,
  "live/nova-GET-server-404.json": NovaFault,
  "live/nova-GET-server-500.json": NovaFault,
  "live/nova-GET-servers-bad-marker-400.json": NovaFault,
  "live/nova-GET-servers-bad-microversion-406.json": NovaFault,
  "live/nova-GET-servers-bad-status-400.json": NovaFault,
  "live/nova-GET-servers-detail-empty-200.json": Servers.servers.list.schema,
  "live/nova-GET-servers-noauth-401.json": KeystoneError,
  "live/nova-GET-v2.1-200.json": VersionDocument,
  "live/nova-POST-servers-bad-flavor-400.json": NovaFault,
  "live/nova-POST-servers-bad-image-400.json": NovaFault,
  "live/nova-POST-servers-quota-exceeded-403.json": NovaFault,
  "live/nova-POST-servers-schema-400.json": NovaFault,
  "live/swift-GET-account-json-empty-200.json": AccountListing,
  "live/swift-GET-info-200.json": Schema.Struct({
    swift: Schema.Struct({ version: Schema.String, container_listing_limit: Schema.Number })
  })
}

const fixture = (name: string): unknown => Fixtures.json("openstack", name)

const decode = <A, I>(schema: Schema.Schema<A, I>, body: unknown): A =>
  Schema.decodeUnknownSync(schema, { errors: "all" })(body)

const record = (u: unknown): Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) throw new Error("not a JSON object")
  return Object.fromEntries(Object.entries(u))
}

const jsonFiles = (group: string): ReadonlyArray<string> =>
  readdirSync(`${Fixtures.folder("openstack")}${group}`)
    .filter((name) => name.endsWith(".json"))
    .map((name) => `${group}/${name}`)

describe("OpenStack fixtures", () => {
  it("has a schema for every response fixture", () => {
    const files = [...jsonFiles("apiref"), ...jsonFiles("live")].filter((name) => !skipped(name)).sort()
    expect(files).toEqual(Object.keys(schemas).sort())
  })

  it.each(Object.entries(schemas))("decodes %s", (name, schema) => {
    expect(() => decode(schema, fixture(name))).not.toThrow()
  })

  const serverBody = (): Record<string, unknown> => record(record(fixture("apiref/nova-server-get-v2.90.json"))["server"])

  it("reads a server's image as an object, or \"\" when booted from a volume", () => {
    const { server } = decode(Servers.servers.one.schema, fixture("apiref/nova-server-get-v2.90.json"))
    expect(imageId(server)).toBe("70a599e0-31e7-49b7-b260-868f441e862b")
    const fromVolume = decode(Server, { ...serverBody(), image: "" })
    expect(fromVolume.image).toBe("")
    expect(imageId(fromVolume)).toBeUndefined()
  })

  it("reads a server's flavor embedded (2.47+) or as a link (older)", () => {
    const { server } = decode(Servers.servers.one.schema, fixture("apiref/nova-server-get-v2.90.json"))
    expect(isEmbeddedFlavor(server.flavor)).toBe(true)
    if (isEmbeddedFlavor(server.flavor)) expect(server.flavor).toMatchObject({ original_name: "m1.tiny", ram: 512, vcpus: 1 })
    const older = decode(Server, { ...serverBody(), flavor: { id: "1", links: [{ rel: "bookmark", href: "http://h/flavors/1" }] } })
    expect(isEmbeddedFlavor(older.flavor)).toBe(false)
    expect(older.flavor).toEqual({ id: "1", links: [{ rel: "bookmark", href: "http://h/flavors/1" }] })
  })

  it("keeps extension fields under their wire names, a fault on ERROR, and nothing but the known statuses", () => {
    const { server } = decode(Servers.servers.one.schema, fixture("apiref/nova-server-get-v2.90.json"))
    expect(server["OS-EXT-STS:vm_state"]).toBe("active")
    expect(server["OS-EXT-STS:task_state"]).toBeNull()
    expect(server["OS-EXT-STS:power_state"]).toBe(1)
    expect(server.addresses["private"]?.[0]?.["OS-EXT-IPS:type"]).toBe("fixed")
    expect(server.metadata).toEqual({ "My Server Name": "Apache1" })
    const failed = decode(Server, {
      ...serverBody(),
      status: "ERROR",
      fault: { code: 500, created: "2023-01-01T00:00:00Z", message: "No valid host was found." }
    })
    expect(failed.fault?.message).toBe("No valid host was found.")
    expect(() => decode(Server, { ...serverBody(), fault: { code: 500 } })).toThrow()
  })

  it("pages server lists with servers_links, absent on the last page", () => {
    const page = decode(ServerList, fixture("apiref/nova-servers-list.json"))
    expect(page.servers_links?.find((link) => link.rel === "next")?.href).toContain("marker=")
    expect(decode(Servers.servers.list.schema, fixture("live/nova-GET-servers-detail-empty-200.json"))).toEqual({ servers: [] })
  })

  it("keeps the create answer's adminPass secret", () => {
    const { server } = decode(CreateServerResponse, fixture("apiref/nova-server-create-resp-v2.90.json"))
    expect(Redacted.isRedacted(server.adminPass)).toBe(true)
    expect(server.adminPass === undefined ? undefined : Redacted.value(server.adminPass)).toBe("6NpUwoz2QDRN")
    expect(JSON.stringify(server)).not.toContain("6NpUwoz2QDRN")
  })

  it("reads flavor details: string ids, is_public, extra_specs", () => {
    const live = decode(Flavors.flavors.list.schema, fixture("live/nova-GET-flavors-detail-mv2.93-200.json"))
    expect(live.flavors.map((f) => f.id)).toContain("verify-13501")
    const { flavor } = decode(Flavors.flavors.one.schema, fixture("apiref/nova-flavor-get-v2.75.json"))
    expect(flavor["os-flavor-access:is_public"]).toBe(true)
    expect(flavor.extra_specs).toEqual({ "hw:cpu_policy": "shared", "hw:numa_nodes": "1" })
  })

  it("tolerates and keeps Glance custom properties; null fields before upload; a relative next link", () => {
    const image = decode(Image, { ...record(fixture("live/glance-GET-image-200.json")), os_distro: "cirros", hw_disk_bus: "virtio" })
    expect(image["os_distro"]).toBe("cirros")
    expect(image.name).toBe("ci-image")
    const queued = decode(Image, fixture("apiref/glance-image-create-response.json"))
    expect(queued.status).toBe("queued")
    expect(queued.size).toBeNull()
    expect(queued.checksum).toBeNull()
    const list = decode(ImageList, fixture("live/glance-GET-images-limit1-200.json"))
    expect(list.next).toBe("/v2/images?limit=1&marker=d413ab2c-10bd-43fe-aa64-bdb5462ebd39")
    expect(decode(ImageList, fixture("apiref/glance-images-list-response.json")).next).toBeUndefined()
  })

  it("knows the image statuses the Glance schema enumerates", () => {
    const schema = decode(GlanceImageSchema, fixture("apiref/glance-schemas-image.json"))
    expect([...ImageStatuses].sort()).toEqual([...schema.properties.status.enum].sort())
  })

  it("reads Neutron links: an empty page carries only rel=previous", () => {
    const page = decode(Networks.networks.list.schema, fixture("live/neutron-GET-networks-limit1-empty-200.json"))
    expect(page.networks).toEqual([])
    expect(page.networks_links?.map((link) => link.rel)).toEqual(["previous"])
    const { network } = decode(Networks.networks.one.schema, fixture("apiref/neutron-network-create-response.json"))
    expect(network["router:external"]).toBe(false)
  })

  it("decodes Swift listing rows and {subdir} pseudo-directories", () => {
    const rows = decode(ContainerListing, [...decode(Schema.Array(Schema.Unknown), fixture("apiref/swift-container-objects-list.json")), { subdir: "photos/" }])
    expect(rows.filter(isSubdir)).toEqual([{ subdir: "photos/" }])
    expect(rows.filter((row) => !isSubdir(row)).map((row) => ("name" in row ? row.name : ""))).toEqual(["goodbye", "helloworld"])
    const account = decode(AccountListing, fixture("apiref/swift-account-containers-list.json"))
    expect(account[1]).toEqual({ name: "marktwain", count: 1, bytes: 14, last_modified: "2016-04-29T16:23:50.460230" })
    expect(decode(AccountListing, fixture("live/swift-GET-account-json-empty-200.json"))).toEqual([])
  })

  it("reads both version list forms, with Nova's microversion range", () => {
    const nova = versionsOf(decode(VersionList, fixture("live/nova-GET-root-200.json")))
    expect(nova.find((v) => v.status === "CURRENT")).toMatchObject({ id: "v2.1", min_version: "2.1", version: "2.93" })
    expect(nova.find((v) => v.id === "v2.0")?.version).toBe("")
    const keystone = versionsOf(decode(IdentityVersionList, fixture("live/keystone-GET-root-300.json")))
    expect(keystone.map((v) => v.id)).toEqual(["v3.14"])
  })
})
