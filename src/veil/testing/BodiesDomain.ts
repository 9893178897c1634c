/**
 * Domain bodies, shaped like the fixtures: list rows like `domain-list.json`, details like `domain-info.json`,
 * synchronous action answers like `domain-action-200-sync.json` (`permissions` as a list of names).
 *
 * @since 0.1.0
 */
import { allowAll, nameRef, type RenderContext, tagsOf } from "./BodiesCommon.js"
import type { JsonObject } from "../../core/testing/Json.js"
import { findById, isoAt, type DomainRecord, type SimState } from "./State.js"

const domainPermissionNames: ReadonlyArray<string> = [
  "update", "remove", "spice", "update_controllers", "update_video_device", "update_sound_device", "update_boot",
  "update_ha_options", "migrate", "recover", "update_disastery_options", "safety", "start", "shutdown", "suspend",
  "reboot", "resume", "attach_vdisk", "detach_vdisk", "attach_iso", "detach_iso", "remote_access", "snapshots_tree",
  "snapshots_info", "attach_usb", "detach_usb", "attach_pci", "detach_pci", "prepare", "attach_mdev", "detach_mdev",
  "rm_from_ad", "attach_lun", "detach_lun", "set_hostname", "set_owners", "multi_create_domain", "add_to_ad", "clone",
  "template", "free_domain_name", "update_graphics_settings", "cloud_init", "backup", "show_backup",
  "attach_veil_utils_iso", "automated_restore", "convert_backup", "config_restore", "guest_command", "consoles"
]

const clusterIdOf = (state: SimState, domain: DomainRecord): string =>
  findById(state.nodes, domain.nodeId)?.clusterId ?? ""

const windowsDefaults: JsonObject = {
  controllers: { vdisk: { target_bus: "sata" }, vmachineinf: { nic_driver: "e1000" } },
  video: { type: "cirrus" },
  sound: { model: "ich6", codec: "micro" },
  os_version: { windowsun: "Unknown Windows" }
}

const linuxDefaults: JsonObject = {
  controllers: { vdisk: { target_bus: "virtio" }, vmachineinf: { nic_driver: "virtio" } },
  video: { type: "virtio" },
  sound: { model: "ich6", codec: "micro" },
  os_version: { linux32: "Other Linux (32-bit)" }
}

/**
 * The `guest_utils` object: filled while the domain runs (the guest agent reports), `{}` otherwise.
 *
 * @since 0.1.0
 */
export const guestUtils = (domain: DomainRecord): JsonObject =>
  domain.user_power_state === 3
    ? {
      veil_state: true,
      version: "101.1.0",
      hostname: domain.hostname,
      ipv4: domain.ipv4,
      interfaces: [domain.os_type === "Windows" ? "Ethernet" : "eth0"],
      qemu_state: true
    }
    : {}

const uptimeSeconds = (domain: DomainRecord, now: number): number =>
  domain.startedAt === null ? 0 : Math.max(0, Math.floor((now - domain.startedAt) / 1000))

/**
 * The full domain body (`GET domains/{id}/`, `all_content=1`). With `permissions: "list"` the permissions are a
 * list of names, as in the body of a synchronous action.
 *
 * @since 0.1.0
 */
export const domainDetail = (
  ctx: RenderContext,
  domain: DomainRecord,
  options?: { readonly permissions?: "object" | "list" }
): JsonObject => {
  const { now, state } = ctx
  const windows = domain.os_type === "Windows"
  const uptime = uptimeSeconds(domain, now)
  return {
    id: domain.id,
    verbose_name: domain.verbose_name,
    description: domain.description,
    locked_by: domain.locked_by,
    permissions: options?.permissions === "list" ? domainPermissionNames : allowAll(domainPermissionNames),
    status: domain.status,
    created: domain.created,
    modified: domain.modified,
    migrated: null,
    user_power_state: domain.user_power_state,
    cpu_topology: {
      cpu_map: {},
      cpu_mode: "default",
      cpu_cores: 1,
      cpu_count: domain.cpu_count,
      cpu_model: "default",
      cpu_shares: 1024,
      cpu_sockets: domain.cpu_count,
      cpu_threads: 1,
      cpu_priority: 10,
      cpu_count_max: domain.cpu_count,
      cpu_min_guarantee: 0
    },
    cpu_type: "Other",
    memory_count: domain.memory_count,
    memory_pool: null,
    template: domain.template,
    os_type: domain.os_type,
    os_version: domain.os_version,
    node: nameRef(findById(state.nodes, domain.nodeId)),
    thin: domain.thin,
    cloud_init: false,
    cloud_init_config: {},
    uptime_on_current_node: {
      start_time: domain.startedAt === null ? 0 : Math.floor(domain.startedAt / 1000),
      uptime,
      system_time: isoAt(now)
    },
    uptime_total: uptime,
    parent: domain.parentId === null ? null : nameRef(findById(state.domains, domain.parentId)),
    resource_pool: nameRef(findById(state.resourcePools, domain.resourcePoolId)),
    ha_enabled: false,
    ha_autoselect: false,
    ha_nodepolicy: [],
    ha_boot_order: 1,
    ha_retrycount: 5,
    ha_timeout: 60,
    ha_options_cluster_sync: true,
    video: { type: windows ? "cirrus" : "virtio", vram: 16384, heads: 1 },
    sound: { codec: "micro", model: "ich6" },
    graphics_password: domain.graphics_password,
    features: [],
    machine: "pc",
    qemu_args: [],
    remote_access_port: domain.remote_access_port,
    remote_access_allow_all: true,
    tablet: domain.tablet,
    remote_access: domain.remote_access,
    remote_access_white_list: [],
    spice_stream: domain.spice_stream,
    clean_count: 1,
    clean_type: "zero",
    safety: false,
    disastery_enabled: false,
    bootmenu: false,
    bootmenu_timeout: 3,
    boot_type: "LegacyMBR",
    memory_min_guarantee: 0,
    memory_shares: 1024,
    memory_limit: 0,
    tcp_usb_devices: domain.tcp_usb_devices.map((d) => ({ host: d.host, service: d.service, uuid: d.uuid })),
    owners: [],
    usb_devices: [],
    pci_devices: [],
    mdev_devices: [],
    os_defaults: windows ? windowsDefaults : linuxDefaults,
    cluster: clusterIdOf(state, domain),
    controllers: {
      ide: [{}],
      pci: [{ model: "pci-root", order: 0 }, { model: "pci-bridge", order: 1 }],
      usb: [{ model: "nec-xhci", order: 0 }],
      sata: [{}],
      scsi: []
    },
    free_slots: { pci: 53, ide: 2, scsi: 0, sata: 14, usb: 4 },
    current_state: null,
    applied_snapshot: null,
    hints: 0,
    tags: tagsOf(state, domain.id),
    spice_usb_channels: [],
    start_on_boot: domain.start_on_boot,
    guest_utils: guestUtils(domain),
    graphics_settings: {
      mouse_mode: "client",
      streaming_mode: "filter",
      jpeg_compression: "auto",
      zlib_compression: "auto",
      image_compression: "auto_glz",
      clipboard_copypaste: "yes",
      filetransfer_enable: "yes",
      playback_compression: "on"
    },
    entity_type: "domain",
    real_remote_access_port: domain.real_remote_access_port,
    consoles: []
  }
}

/**
 * A short domain list row (`GET domains/`).
 *
 * @since 0.1.0
 */
export const domainRow = (ctx: RenderContext, domain: DomainRecord): JsonObject => {
  const { state } = ctx
  return {
    id: domain.id,
    memory_count: domain.memory_count,
    verbose_name: domain.verbose_name,
    status: domain.status,
    cpu_count: domain.cpu_count,
    vmachine_infs_count: domain.template ? 0 : 1,
    vdisks_count: state.vdisks.filter((v) => v.domainId === domain.id).length,
    vfunctions_count: 0,
    luns_count: 0,
    user_power_state: domain.user_power_state,
    memory_pool: null,
    node: nameRef(findById(state.nodes, domain.nodeId)),
    template: domain.template,
    tags: tagsOf(state, domain.id),
    hints: 0,
    resource_pool: nameRef(findById(state.resourcePools, domain.resourcePoolId)),
    parent: domain.parentId === null ? null : nameRef(findById(state.domains, domain.parentId))
  }
}
