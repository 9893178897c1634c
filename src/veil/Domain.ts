/**
 * Domain (virtual machine) schemas: list rows, detail bodies, and what the domain actions answer.
 *
 * @since 0.1.0
 */
import { Redacted, Schema } from "effect"
import { detailFields, Entity, RefOrId } from "./Entity.js"

/** `user_power_state` values (`DomainPowerState`). */
export const PowerState = { UNDEFINED: 0, OFF: 1, SUSPENDED: 2, ON: 3 } as const

/** A power state name, as the `power_state` list filter takes it. */
export type PowerStateName = keyof typeof PowerState

/** What the guest agent last reported; `{}` when it never did. */
export class GuestUtils extends Schema.Class<GuestUtils>("GuestUtils")({
  veil_state: Schema.optional(Schema.Boolean),
  qemu_state: Schema.optional(Schema.Boolean),
  version: Schema.optional(Schema.NullOr(Schema.String)),
  hostname: Schema.optional(Schema.NullOr(Schema.String)),
  ipv4: Schema.optional(Schema.Array(Schema.String)),
  interfaces: Schema.optional(Schema.Unknown)
}) {}

/** CPU topology of a domain. */
export class CpuTopology extends Schema.Class<CpuTopology>("CpuTopology")({
  cpu_count: Schema.optional(Schema.Number),
  cpu_cores: Schema.optional(Schema.Number),
  cpu_sockets: Schema.optional(Schema.Number),
  cpu_threads: Schema.optional(Schema.Number),
  cpu_mode: Schema.optional(Schema.String),
  cpu_model: Schema.optional(Schema.String),
  cpu_count_max: Schema.optional(Schema.Number),
  cpu_shares: Schema.optional(Schema.Number),
  cpu_priority: Schema.optional(Schema.Number),
  cpu_min_guarantee: Schema.optional(Schema.Number),
  cpu_map: Schema.optional(Schema.Unknown)
}) {}

/** A TCP-USB device redirected from a thin client. */
export class TcpUsbDevice extends Schema.Class<TcpUsbDevice>("TcpUsbDevice")({
  host: Schema.String,
  service: Schema.Number,
  uuid: Schema.String
}) {}

const domainFields = {
  user_power_state: Schema.optional(Schema.Number),
  memory_count: Schema.optional(Schema.Number),
  cpu_count: Schema.optional(Schema.Number),
  template: Schema.optional(Schema.Boolean),
  node: Schema.optional(Schema.NullOr(RefOrId)),
  resource_pool: Schema.optional(Schema.NullOr(RefOrId)),
  parent: Schema.optional(Schema.NullOr(RefOrId)),
  memory_pool: Schema.optional(Schema.Unknown),
  guest_utils: Schema.optional(GuestUtils),
  thin: Schema.optional(Schema.Boolean),
  os_type: Schema.optional(Schema.NullOr(Schema.String)),
  os_version: Schema.optional(Schema.NullOr(Schema.String)),
  cpu_topology: Schema.optional(CpuTopology)
}

class DomainBase extends Entity.extend<DomainBase>("DomainBase")(domainFields) {
  /** `user_power_state` is ON. */
  get powered(): boolean {
    return this.user_power_state === PowerState.ON
  }
  /** The guest agent (qemu-ga) answers. */
  get qemuState(): boolean {
    return this.guest_utils?.qemu_state === true
  }
  /** The first IPv4 address the guest agent reported. */
  get firstIpv4(): string | undefined {
    return this.guest_utils?.ipv4?.[0]
  }
  /** The host name the guest agent reported. */
  get hostname(): string | undefined {
    return this.guest_utils?.hostname ?? undefined
  }
  /** Every reported IPv4 address is link-local (169.254.x.x): the guest got no DHCP lease. */
  get apipaProblem(): boolean {
    const ips = this.guest_utils?.ipv4 ?? []
    return ips.length > 0 && ips.every((ip) => ip.includes("169.254."))
  }
  /** CPU count from the topology, else `cpu_count`. */
  get cpuCount(): number | undefined {
    return this.cpu_topology?.cpu_count ?? this.cpu_count
  }
  /** Name of the template this domain was made from. */
  get parentName(): string | undefined {
    return this.parent?.verbose_name ?? undefined
  }
  /** Id of the template this domain was made from. */
  get parentUuid(): string | undefined {
    return this.parent?.id
  }
  /** The guest OS is Windows. */
  get osWindows(): boolean {
    return this.os_type === "Windows"
  }
}

/** A row of `GET domains/` (short by default; `fields` / `all_content` change what comes). */
export class DomainRow extends DomainBase.extend<DomainRow>("DomainRow")({
  vdisks_count: Schema.optional(Schema.Number),
  vmachine_infs_count: Schema.optional(Schema.Number),
  vfunctions_count: Schema.optional(Schema.Number),
  luns_count: Schema.optional(Schema.Number)
}) {}

/** A domain's detail body (`GET domains/{id}/`, and the answer of synchronous actions). */
export class Domain extends DomainBase.extend<Domain>("Domain")({
  ...detailFields,
  migrated: Schema.optional(Schema.Unknown),
  cpu_type: Schema.optional(Schema.String),
  cloud_init: Schema.optional(Schema.Boolean),
  cloud_init_config: Schema.optional(Schema.Unknown),
  uptime_on_current_node: Schema.optional(Schema.Unknown),
  uptime_total: Schema.optional(Schema.NullOr(Schema.Number)),
  ha_enabled: Schema.optional(Schema.Boolean),
  video: Schema.optional(Schema.Struct({ type: Schema.optional(Schema.String), vram: Schema.optional(Schema.Number), heads: Schema.optional(Schema.Number) })),
  sound: Schema.optional(Schema.Struct({ codec: Schema.optional(Schema.String), model: Schema.optional(Schema.String) })),
  /** The SPICE/VNC password: a secret, redacted in logs and JSON. */
  graphics_password: Schema.optional(Schema.NullOr(Schema.Redacted(Schema.String))),
  features: Schema.optional(Schema.Array(Schema.Unknown)),
  machine: Schema.optional(Schema.String),
  remote_access: Schema.optional(Schema.Boolean),
  remote_access_port: Schema.optional(Schema.NullOr(Schema.Number)),
  real_remote_access_port: Schema.optional(Schema.NullOr(Schema.Number)),
  remote_access_allow_all: Schema.optional(Schema.Boolean),
  remote_access_white_list: Schema.optional(Schema.Array(Schema.Unknown)),
  tablet: Schema.optional(Schema.Boolean),
  spice_stream: Schema.optional(Schema.Boolean),
  start_on_boot: Schema.optional(Schema.Boolean),
  safety: Schema.optional(Schema.Boolean),
  boot_type: Schema.optional(Schema.String),
  clean_type: Schema.optional(Schema.String),
  clean_count: Schema.optional(Schema.Number),
  memory_min_guarantee: Schema.optional(Schema.Number),
  memory_shares: Schema.optional(Schema.Number),
  memory_limit: Schema.optional(Schema.Number),
  tcp_usb_devices: Schema.optional(Schema.Array(TcpUsbDevice)),
  owners: Schema.optional(Schema.Array(Schema.Unknown)),
  usb_devices: Schema.optional(Schema.Array(Schema.Unknown)),
  pci_devices: Schema.optional(Schema.Array(Schema.Unknown)),
  mdev_devices: Schema.optional(Schema.Array(Schema.Unknown)),
  cluster: Schema.optional(Schema.NullOr(RefOrId)),
  current_state: Schema.optional(Schema.NullOr(Schema.String)),
  applied_snapshot: Schema.optional(Schema.NullOr(Schema.String)),
  consoles: Schema.optional(Schema.Array(Schema.Unknown)),
  graphics_settings: Schema.optional(Schema.Unknown)
}) {}

/** `{"tcp_usb_devices": [...]}`: the synchronous answer of `attach-usb/`. */
export class UsbAttachment extends Schema.Class<UsbAttachment>("UsbAttachment")({
  tcp_usb_devices: Schema.Array(TcpUsbDevice)
}) {}

/** A SPICE or VNC connection parsed from the URL ECP answers with. */
export class RemoteConnection extends Schema.Class<RemoteConnection>("RemoteConnection")({
  /** The URL as ECP gave it (relative to the controller). */
  url: Schema.Redacted(Schema.String),
  host: Schema.optional(Schema.String),
  password: Schema.optional(Schema.Redacted(Schema.String)),
  /** `websockify?token=…` */
  path: Schema.optional(Schema.Redacted(Schema.String)),
  token: Schema.optional(Schema.Redacted(Schema.String))
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
