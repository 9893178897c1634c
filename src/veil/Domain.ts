/**
 * Domain (virtual machine) schemas: list rows, detail bodies, and what the domain actions answer.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import { detailOf, EntityRef, entityFields, RefOrId } from "./Entity.js"

/** `user_power_state` values (`DomainPowerState`). */
export const PowerState = { UNDEFINED: 0, OFF: 1, SUSPENDED: 2, ON: 3 } as const

/** A power state name, as the `power_state` list filter takes it. */
export type PowerStateName = keyof typeof PowerState

/** What the guest agent last reported; `{}` when it never did. */
export const GuestUtils = Schema.Struct({
  veil_state: opt(Schema.Boolean),
  qemu_state: opt(Schema.Boolean),
  version: optNull(Schema.String),
  hostname: optNull(Schema.String),
  ipv4: opt(Schema.Array(Schema.String)),
  interfaces: opt(Schema.Unknown)
})

/** What the guest agent last reported. */
export interface GuestUtils extends Schema.Schema.Type<typeof GuestUtils> {}

/** CPU topology of a domain. */
export const CpuTopology = Schema.Struct({
  cpu_count: opt(Schema.Number),
  cpu_cores: opt(Schema.Number),
  cpu_sockets: opt(Schema.Number),
  cpu_threads: opt(Schema.Number),
  cpu_mode: opt(Schema.String),
  cpu_model: opt(Schema.String),
  cpu_count_max: opt(Schema.Number),
  cpu_shares: opt(Schema.Number),
  cpu_priority: opt(Schema.Number),
  cpu_min_guarantee: opt(Schema.Number),
  cpu_map: opt(Schema.Unknown)
})

/** CPU topology of a domain. */
export interface CpuTopology extends Schema.Schema.Type<typeof CpuTopology> {}

/** A TCP-USB device redirected from a thin client. */
export const TcpUsbDevice = Schema.Struct({ host: Schema.String, service: Schema.Number, uuid: Schema.String })

/** A TCP-USB device redirected from a thin client. */
export interface TcpUsbDevice extends Schema.Schema.Type<typeof TcpUsbDevice> {}

/** Fields of both list rows and detail bodies. */
const domainFields = {
  ...entityFields,
  user_power_state: opt(Schema.Number),
  memory_count: opt(Schema.Number),
  cpu_count: opt(Schema.Number),
  template: opt(Schema.Boolean),
  node: optNull(EntityRef),
  resource_pool: optNull(EntityRef),
  parent: optNull(EntityRef),
  memory_pool: opt(Schema.Unknown),
  guest_utils: opt(GuestUtils),
  thin: opt(Schema.Boolean),
  os_type: optNull(Schema.String),
  os_version: optNull(Schema.String),
  cpu_topology: opt(CpuTopology),
  /**
   * The SPICE/VNC password: a secret, redacted in logs and JSON. Declared on rows too, since a listing with
   * `fields: "all"` (or naming it) carries it: an undeclared field would be kept as it came (see `Decoding`).
   */
  graphics_password: optNull(Schema.Redacted(Schema.String))
}

/** A row of `GET domains/` (short by default; `fields` / `all_content` change what comes). */
export const DomainRow = Schema.Struct({
  ...domainFields,
  vdisks_count: opt(Schema.Number),
  vmachine_infs_count: opt(Schema.Number),
  vfunctions_count: opt(Schema.Number),
  luns_count: opt(Schema.Number)
})

/** A row of `GET domains/`. */
export interface DomainRow extends Schema.Schema.Type<typeof DomainRow> {}

/** A domain's detail body (`GET domains/{id}/`, and the answer of synchronous actions). */
export const Domain = detailOf(domainFields, {
  migrated: opt(Schema.Unknown),
  cpu_type: opt(Schema.String),
  cloud_init: opt(Schema.Boolean),
  cloud_init_config: opt(Schema.Unknown),
  uptime_on_current_node: opt(Schema.Unknown),
  uptime_total: optNull(Schema.Number),
  ha_enabled: opt(Schema.Boolean),
  video: opt(Schema.Struct({ type: opt(Schema.String), vram: opt(Schema.Number), heads: opt(Schema.Number) })),
  sound: opt(Schema.Struct({ codec: opt(Schema.String), model: opt(Schema.String) })),
  features: opt(Schema.Array(Schema.Unknown)),
  machine: opt(Schema.String),
  remote_access: opt(Schema.Boolean),
  remote_access_port: optNull(Schema.Number),
  real_remote_access_port: optNull(Schema.Number),
  remote_access_allow_all: opt(Schema.Boolean),
  remote_access_white_list: opt(Schema.Array(Schema.Unknown)),
  tablet: opt(Schema.Boolean),
  spice_stream: opt(Schema.Boolean),
  start_on_boot: opt(Schema.Boolean),
  safety: opt(Schema.Boolean),
  boot_type: opt(Schema.String),
  clean_type: opt(Schema.String),
  clean_count: opt(Schema.Number),
  memory_min_guarantee: opt(Schema.Number),
  memory_shares: opt(Schema.Number),
  memory_limit: opt(Schema.Number),
  tcp_usb_devices: opt(Schema.Array(TcpUsbDevice)),
  owners: opt(Schema.Array(Schema.Unknown)),
  usb_devices: opt(Schema.Array(Schema.Unknown)),
  pci_devices: opt(Schema.Array(Schema.Unknown)),
  mdev_devices: opt(Schema.Array(Schema.Unknown)),
  // A bare uuid string in detail bodies.
  cluster: optNull(RefOrId),
  current_state: optNull(Schema.String),
  applied_snapshot: optNull(Schema.String),
  consoles: opt(Schema.Array(Schema.Unknown)),
  graphics_settings: opt(Schema.Unknown)
})

/** A domain's detail body. */
export interface Domain extends Schema.Schema.Type<typeof Domain> {}

/** The domain fields the helpers below read: both list rows and detail bodies have them. */
export type DomainLike = Pick<
  DomainRow,
  "user_power_state" | "guest_utils" | "cpu_topology" | "cpu_count" | "parent" | "os_type"
>

/** `user_power_state` is ON. */
export const isPowered = (domain: DomainLike): boolean => domain.user_power_state === PowerState.ON

/** The guest agent (qemu-ga) answers. */
export const qemuState = (domain: DomainLike): boolean => domain.guest_utils?.qemu_state === true

/** The first IPv4 address the guest agent reported. */
export const firstIpv4 = (domain: DomainLike): string | undefined => domain.guest_utils?.ipv4?.[0]

/** The host name the guest agent reported. */
export const hostname = (domain: DomainLike): string | undefined => domain.guest_utils?.hostname ?? undefined

/** Every reported IPv4 address is link-local (169.254.x.x): the guest got no DHCP lease. */
export const hasApipaProblem = (domain: DomainLike): boolean => {
  const ips = domain.guest_utils?.ipv4 ?? []
  return ips.length > 0 && ips.every((ip) => ip.includes("169.254."))
}

/** CPU count from the topology, else `cpu_count`. */
export const cpuCount = (domain: DomainLike): number | undefined => domain.cpu_topology?.cpu_count ?? domain.cpu_count

/** Name of the template this domain was made from. */
export const parentName = (domain: DomainLike): string | undefined => domain.parent?.verbose_name ?? undefined

/** Id of the template this domain was made from. */
export const parentUuid = (domain: DomainLike): string | undefined => domain.parent?.id

/** The guest OS is Windows. */
export const isWindows = (domain: DomainLike): boolean => domain.os_type === "Windows"

/** `{"tcp_usb_devices": [...]}`: the synchronous answer of `attach-usb/`. */
export const UsbAttachment = Schema.Struct({ tcp_usb_devices: Schema.Array(TcpUsbDevice) })

/** The synchronous answer of `attach-usb/`. */
export interface UsbAttachment extends Schema.Schema.Type<typeof UsbAttachment> {}

/** A SPICE or VNC connection parsed from the URL ECP answers with. */
export class RemoteConnection extends Schema.Class<RemoteConnection>("RemoteConnection")({
  /** The URL as ECP gave it (relative to the controller). */
  url: Schema.Redacted(Schema.String),
  host: opt(Schema.String),
  password: opt(Schema.Redacted(Schema.String)),
  /** `websockify?token=…` */
  path: opt(Schema.Redacted(Schema.String)),
  token: opt(Schema.Redacted(Schema.String))
}) {
  /** Host, password and token are all present. */
  get valid(): boolean {
    return this.host !== undefined && this.password !== undefined && this.token !== undefined
  }
}

/** Parses ECP's `spice_url` / `vnc_url` (its query holds a second `?`, so each pair splits at the first `=`). */
export const parseConnectionUrl = (url: string): RemoteConnection => {
  const query = url.slice(url.indexOf("?") + 1)
  const pairs = new Map<string, string>()
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=")
    if (eq > 0) pairs.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)))
  }
  const path = pairs.get("path")
  const prefix = "websockify?token="
  const token = path?.startsWith(prefix) ? path.slice(prefix.length) : undefined
  const host = pairs.get("host")
  const password = pairs.get("password")
  return RemoteConnection.make({
    url: Redacted.make(url),
    ...(host === undefined ? {} : { host }),
    ...(password === undefined ? {} : { password: Redacted.make(password) }),
    ...(path === undefined ? {} : { path: Redacted.make(path) }),
    ...(token === undefined ? {} : { token: Redacted.make(token) })
  })
}
