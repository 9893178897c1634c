/**
 * Nova servers: the rows of `GET /servers`, the records of `GET /servers/detail` and `GET /servers/{id}` (shaped as
 * the 2.90 samples, older microversions accepted), their envelopes, and the 202 answer to `POST /servers`.
 *
 * Extension fields keep their wire names (`"OS-EXT-STS:vm_state"`, …). Down-cell partial records (2.69+, when a
 * cell is unreachable) lack most fields and do not decode as a {@link Server}.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import { optional as opt } from "../core/Fields.js"
import { ExtraSpecs } from "./Flavor.js"
import { Link, Summary } from "./Version.js"

/**
 * Server statuses Nova derives from `(vm_state, task_state)`, as `?status=` accepts them. Bodies type `status` as a
 * string, since a newer Nova may add others.
 */
export const ServerStatuses = [
  "ACTIVE",
  "BUILD",
  "DELETED",
  "ERROR",
  "HARD_REBOOT",
  "MIGRATING",
  "PASSWORD",
  "PAUSED",
  "REBOOT",
  "REBUILD",
  "RESCUE",
  "RESIZE",
  "REVERT_RESIZE",
  "SHELVED",
  "SHELVED_OFFLOADED",
  "SHUTOFF",
  "SOFT_DELETED",
  "SUSPENDED",
  "UNKNOWN",
  "VERIFY_RESIZE"
] as const

/** A known server status. */
export type ServerStatus = typeof ServerStatuses[number]

/** One address of a server on a network: `{addr, version, "OS-EXT-IPS:type"?, "OS-EXT-IPS-MAC:mac_addr"?}`. */
export const ServerAddress = Schema.Struct({
  addr: Schema.String,
  version: Schema.Number,
  "OS-EXT-IPS:type": opt(Schema.String),
  "OS-EXT-IPS-MAC:mac_addr": opt(Schema.String)
})

/** One address of a server on a network. */
export interface ServerAddress extends Schema.Schema.Type<typeof ServerAddress> {}

/** The image a server was booted from: `{id, links}`. */
export const ImageRef = Schema.Struct({ id: Schema.String, links: opt(Schema.Array(Link)) })

/** The image a server was booted from. */
export interface ImageRef extends Schema.Schema.Type<typeof ImageRef> {}

/** A server's `image`: an {@link ImageRef}, or `""` when it was booted from a volume. */
export const ServerImage = Schema.Union(ImageRef, Schema.Literal(""))

/** A server's `image`. */
export type ServerImage = Schema.Schema.Type<typeof ServerImage>

/** A server's flavor as embedded from microversion 2.47: a copy of the flavor at boot time. */
export const EmbeddedFlavor = Schema.Struct({
  original_name: Schema.String,
  vcpus: Schema.Number,
  ram: Schema.Number,
  disk: Schema.Number,
  ephemeral: Schema.Number,
  swap: Schema.Number,
  extra_specs: opt(ExtraSpecs)
})

/** A server's flavor as embedded from microversion 2.47. */
export interface EmbeddedFlavor extends Schema.Schema.Type<typeof EmbeddedFlavor> {}

/** A server's flavor below microversion 2.47: a link `{id, links}`. */
export const FlavorRef = Schema.Struct({ id: Schema.String, links: opt(Schema.Array(Link)) })

/** A server's flavor below microversion 2.47. */
export interface FlavorRef extends Schema.Schema.Type<typeof FlavorRef> {}

/** A server's `flavor`: embedded (2.47+) or a link (older microversions). */
export const ServerFlavor = Schema.Union(EmbeddedFlavor, FlavorRef)

/** A server's `flavor`. */
export type ServerFlavor = Schema.Schema.Type<typeof ServerFlavor>

/** Why a server is in `ERROR` (or `DELETED`): `{code, message, details?, created}`. */
export const Fault = Schema.Struct({
  code: Schema.Number,
  message: Schema.String,
  details: opt(Schema.String),
  created: Schema.String
})

/** Why a server is in `ERROR`. */
export interface Fault extends Schema.Schema.Type<typeof Fault> {}

/** A security group of a server, by name. */
export const SecurityGroupRef = Schema.Struct({ name: Schema.String })

/** A security group of a server, by name. */
export interface SecurityGroupRef extends Schema.Schema.Type<typeof SecurityGroupRef> {}

/** A volume attached to a server. */
export const AttachedVolume = Schema.Struct({ id: Schema.String, delete_on_termination: opt(Schema.Boolean) })

/** A volume attached to a server. */
export interface AttachedVolume extends Schema.Schema.Type<typeof AttachedVolume> {}

/** A row of `GET /servers`: `{id, name, links}`. */
export const ServerRow = Summary

/** A row of `GET /servers`. */
export type ServerRow = Summary

/**
 * A server record (`GET /servers/detail`, `GET /servers/{id}`). `status` is one of {@link ServerStatuses} today;
 * `OS-EXT-STS:task_state` is null when no task runs; `fault` is present only on `ERROR`/`DELETED`. Admin-only
 * fields (`OS-EXT-SRV-ATTR:host`, …) are kept when present.
 */
export const Server = Schema.Struct({
  ...ServerRow.fields,
  status: Schema.String,
  tenant_id: Schema.String,
  user_id: Schema.String,
  created: Schema.String,
  updated: Schema.String,
  hostId: opt(Schema.String),
  addresses: Schema.Record({ key: Schema.String, value: Schema.Array(ServerAddress) }),
  image: ServerImage,
  flavor: ServerFlavor,
  metadata: Schema.Record({ key: Schema.String, value: Schema.String }),
  key_name: opt(Schema.NullOr(Schema.String)),
  accessIPv4: opt(Schema.String),
  accessIPv6: opt(Schema.String),
  progress: opt(Schema.Number),
  config_drive: opt(Schema.String),
  fault: opt(Fault),
  "OS-EXT-STS:vm_state": opt(Schema.String),
  "OS-EXT-STS:task_state": opt(Schema.NullOr(Schema.String)),
  "OS-EXT-STS:power_state": opt(Schema.Number),
  "OS-EXT-AZ:availability_zone": opt(Schema.String),
  "OS-SRV-USG:launched_at": opt(Schema.NullOr(Schema.String)),
  "OS-SRV-USG:terminated_at": opt(Schema.NullOr(Schema.String)),
  "OS-DCF:diskConfig": opt(Schema.String),
  "OS-EXT-SRV-ATTR:hostname": opt(Schema.String),
  "OS-EXT-SRV-ATTR:host": opt(Schema.NullOr(Schema.String)),
  "OS-EXT-SRV-ATTR:hypervisor_hostname": opt(Schema.NullOr(Schema.String)),
  "OS-EXT-SRV-ATTR:instance_name": opt(Schema.String),
  "os-extended-volumes:volumes_attached": opt(Schema.Array(AttachedVolume)),
  security_groups: opt(Schema.Array(SecurityGroupRef)),
  locked: opt(Schema.Boolean),
  locked_reason: opt(Schema.NullOr(Schema.String)),
  description: opt(Schema.NullOr(Schema.String)),
  tags: opt(Schema.Array(Schema.String)),
  host_status: opt(Schema.NullOr(Schema.String)),
  server_groups: opt(Schema.Array(Schema.String)),
  trusted_image_certificates: opt(Schema.NullOr(Schema.Array(Schema.String)))
})

/** A server record. */
export interface Server extends Schema.Schema.Type<typeof Server> {}

/** `{"servers": [...], "servers_links"?: [...]}`: the body of `GET /servers`; a `rel=next` link means more pages. */
export const ServerList = Envelope.keyed("servers", ServerRow).schema

/** The body of `GET /servers`. */
export type ServerList = typeof ServerList.Type

/**
 * The server in the 202 answer to `POST /servers`: no status yet (it shows as `BUILD` next). `adminPass` is there
 * when the cloud enables instance passwords, and is a secret.
 */
export const CreatedServer = Schema.Struct({
  id: Schema.String,
  links: Schema.Array(Link),
  adminPass: opt(Schema.Redacted(Schema.String)),
  "OS-DCF:diskConfig": opt(Schema.String),
  security_groups: opt(Schema.Array(SecurityGroupRef))
})

/** The server in the answer to `POST /servers`. */
export interface CreatedServer extends Schema.Schema.Type<typeof CreatedServer> {}

/** `{"server": {...}}`: the 202 answer to `POST /servers`. */
export const CreateServerResponse = Schema.Struct({ server: CreatedServer })

/** The 202 answer to `POST /servers`. */
export interface CreateServerResponse extends Schema.Schema.Type<typeof CreateServerResponse> {}

/** The id of the image a server was booted from; `undefined` when it was booted from a volume. */
export const imageId = (server: Pick<Server, "image">): string | undefined =>
  server.image === "" ? undefined : server.image.id

/** Whether a server's flavor is embedded (microversion 2.47+) rather than a link. */
export const isEmbeddedFlavor = (flavor: ServerFlavor): flavor is EmbeddedFlavor => "original_name" in flavor
