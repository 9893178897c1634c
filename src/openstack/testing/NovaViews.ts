/**
 * How the simulator's Nova writes its bodies: microversion negotiation (2.1 … 2.93, echoed in
 * `OpenStack-API-Version`), version documents, flavors and servers shaped per microversion like the api samples.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { type SimError, simError } from "./Errors.js"
import { type FlavorRecord, isoSeconds, serverStatus, type ServerRecord, type SimState } from "./State.js"

/**
 * The lowest and highest microversions the simulator's Nova accepts (Zed's).
 *
 * @since 0.1.0
 */
export const microversions = { min: "2.1", max: "2.93" } as const

const parts = (v: string): readonly [number, number] => {
  const [major, minor] = v.split(".")
  return [Number(major), Number(minor)]
}

/**
 * Compares two `major.minor` microversions.
 *
 * @since 0.1.0
 */
export const compareMicroversion = (a: string, b: string): number => {
  const [am, an] = parts(a)
  const [bm, bn] = parts(b)
  return am !== bm ? am - bm : an - bn
}

/**
 * Whether `mv` is at least `than`.
 *
 * @since 0.1.0
 */
export const atLeast = (mv: string, than: string): boolean => compareMicroversion(mv, than) >= 0

/**
 * The microversion a request asks for (`OpenStack-API-Version: compute X` or the legacy
 * `X-OpenStack-Nova-API-Version: X`; none means 2.1; `latest` the maximum); 406 when out of range.
 *
 * @since 0.1.0
 */
export const requestedMicroversion = (
  headers: Readonly<Record<string, string | undefined>>
): Either.Either<string, SimError> => {
  const modern = headers["openstack-api-version"]
  const fromModern = modern === undefined ? undefined : /compute\s+(\S+)/i.exec(modern)?.[1]
  const asked = fromModern ?? headers["x-openstack-nova-api-version"]?.trim()
  if (asked === undefined || asked === "") return Either.right(microversions.min)
  if (asked === "latest") return Either.right(microversions.max)
  const bad = simError(
    406,
    `Version ${asked} is not supported by the API. Minimum is ${microversions.min} and maximum is ${microversions.max}.`
  )
  if (!/^\d+\.\d+$/.test(asked)) return Either.left(bad)
  return compareMicroversion(asked, microversions.min) < 0 || compareMicroversion(asked, microversions.max) > 0
    ? Either.left(bad)
    : Either.right(asked)
}

/**
 * The headers echoing a microversion.
 *
 * @since 0.1.0
 */
export const microversionHeaders = (mv: string): Record<string, string> => ({
  "openstack-api-version": `compute ${mv}`,
  "x-openstack-nova-api-version": mv,
  vary: "OpenStack-API-Version, X-OpenStack-Nova-API-Version"
})

/**
 * The v2.1 version record.
 *
 * @since 0.1.0
 */
export const versionV21 = (origin: string) => ({
  id: "v2.1",
  status: "CURRENT",
  version: microversions.max,
  min_version: microversions.min,
  updated: "2013-07-23T11:33:21Z",
  links: [
    { rel: "self", href: `${origin}/compute/v2.1/` },
    { rel: "describedby", type: "text/html", href: "http://docs.openstack.org/" }
  ],
  "media-types": [{ base: "application/json", type: "application/vnd.openstack.compute+json;version=2.1" }]
})

const links = (origin: string, kind: string, id: string) => [
  { rel: "self", href: `${origin}/compute/v2.1/${kind}/${id}` },
  { rel: "bookmark", href: `${origin}/compute/${kind}/${id}` }
]

/**
 * A row of `GET /flavors` or `GET /servers`: `{id, name, links}`.
 *
 * @since 0.1.0
 */
export const row = (origin: string, kind: "flavors" | "servers", item: { readonly id: string; readonly name: string }) => ({
  id: item.id,
  name: item.name,
  links: links(origin, kind, item.id)
})

/**
 * A flavor record as `GET /flavors/detail` writes it at `mv`.
 *
 * @since 0.1.0
 */
export const flavorView = (origin: string, flavor: FlavorRecord, mv: string) => ({
  ...row(origin, "flavors", flavor),
  ram: flavor.ram,
  disk: flavor.disk,
  swap: atLeast(mv, "2.75") ? 0 : "",
  "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
  "OS-FLV-DISABLED:disabled": false,
  vcpus: flavor.vcpus,
  "os-flavor-access:is_public": flavor.isPublic,
  rxtx_factor: 1.0,
  ...(atLeast(mv, "2.55") ? { description: flavor.description } : {}),
  ...(atLeast(mv, "2.61") ? { extra_specs: flavor.extraSpecs } : {})
})

const launchedTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000")

const hostIdOf = (server: ServerRecord): string =>
  server.vmState === "building" ? "" : `${server.projectId}${server.id.replace(/-/g, "")}`.slice(0, 56)

/**
 * A server record as `GET /servers/{id}` writes it at `mv` (the flavor is embedded from 2.47).
 *
 * @since 0.1.0
 */
export const serverView = (state: SimState, server: ServerRecord, origin: string, mv: string, admin = false) => {
  const flavor = state.flavors.find((f) => f.id === server.flavorId)
  const addresses: Record<string, Array<Record<string, string | number>>> = {}
  if (server.vmState !== "building") {
    for (const a of server.addresses) {
      addresses[a.networkName] = [
        ...(addresses[a.networkName] ?? []),
        { addr: a.addr, version: 4, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": a.mac }
      ]
    }
  }
  return {
    ...row(origin, "servers", server),
    status: serverStatus(server),
    tenant_id: server.projectId,
    user_id: server.userId,
    metadata: server.metadata,
    hostId: hostIdOf(server),
    image: {
      id: server.imageId,
      links: [{ rel: "bookmark", href: `${origin}/compute/images/${server.imageId}` }]
    },
    flavor: atLeast(mv, "2.47")
      ? {
        vcpus: flavor?.vcpus ?? 0,
        ram: flavor?.ram ?? 0,
        disk: flavor?.disk ?? 0,
        ephemeral: flavor?.ephemeral ?? 0,
        swap: 0,
        original_name: flavor?.name ?? server.flavorId,
        extra_specs: flavor?.extraSpecs ?? {}
      }
      : { id: server.flavorId, links: [{ rel: "bookmark", href: `${origin}/compute/flavors/${server.flavorId}` }] },
    created: isoSeconds(server.createdAt),
    updated: isoSeconds(server.updatedAt),
    addresses,
    accessIPv4: "",
    accessIPv6: "",
    "OS-DCF:diskConfig": "MANUAL",
    progress: 0,
    "OS-EXT-AZ:availability_zone": server.availabilityZone,
    config_drive: "",
    key_name: server.keyName,
    "OS-SRV-USG:launched_at": server.launchedAt === null ? null : launchedTime(server.launchedAt),
    "OS-SRV-USG:terminated_at": null,
    "OS-EXT-STS:task_state": server.taskState,
    "OS-EXT-STS:vm_state": server.vmState,
    "OS-EXT-STS:power_state": server.powerState,
    "os-extended-volumes:volumes_attached": [],
    security_groups: server.securityGroups.map((name) => ({ name })),
    ...(atLeast(mv, "2.9") ? { locked: false } : {}),
    ...(atLeast(mv, "2.19") ? { description: null } : {}),
    ...(atLeast(mv, "2.26") ? { tags: server.tags } : {}),
    ...(atLeast(mv, "2.63") ? { trusted_image_certificates: null } : {}),
    ...(atLeast(mv, "2.71") ? { server_groups: [] } : {}),
    ...(atLeast(mv, "2.73") ? { locked_reason: null } : {}),
    ...(server.fault === null
      ? {}
      : { fault: { code: server.fault.code, message: server.fault.message, created: isoSeconds(server.fault.created) } }),
    ...(admin ? adminFields(server, mv) : {})
  }
}

/** What Nova shows an admin about a server (the `OS-EXT-SRV-ATTR` extension; `host_status` from 2.16). */
const adminFields = (server: ServerRecord, mv: string) => ({
  "OS-EXT-SRV-ATTR:host": "simulator-compute",
  "OS-EXT-SRV-ATTR:instance_name": `instance-${server.id.slice(0, 8)}`,
  "OS-EXT-SRV-ATTR:hypervisor_hostname": "simulator-compute",
  ...(atLeast(mv, "2.3")
    ? {
      "OS-EXT-SRV-ATTR:reservation_id": `r-${server.id.slice(-8)}`,
      "OS-EXT-SRV-ATTR:launch_index": 0,
      "OS-EXT-SRV-ATTR:hostname": server.name.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      "OS-EXT-SRV-ATTR:kernel_id": "",
      "OS-EXT-SRV-ATTR:ramdisk_id": "",
      "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
      "OS-EXT-SRV-ATTR:user_data": null
    }
    : {}),
  ...(atLeast(mv, "2.16") ? { host_status: "UP" } : {})
})
