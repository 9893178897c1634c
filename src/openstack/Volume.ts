/**
 * Cinder v3 volumes and snapshots, as the block-storage api-ref documents their bodies ("Show a volume's details",
 * "Show a snapshot's details"; fields added by microversions are optional). Extension fields keep their wire names
 * (`"os-vol-tenant-attr:tenant_id"`, `"os-extended-snapshot-attributes:progress"`, …); `bootable` is the string
 * `"true"` or `"false"`, as Cinder writes it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt } from "../core/Fields.js"
import { Link } from "./Version.js"

/** Text that Cinder writes as `null` when unset. */
const text = opt(Schema.NullOr(Schema.String))

/** Key/value metadata. */
const Metadata = Schema.Record({ key: Schema.String, value: Schema.String })

/** Where a volume is attached: the server, the device on it, the host. */
export const VolumeAttachment = Schema.Struct({
  id: opt(Schema.String),
  attachment_id: opt(Schema.String),
  volume_id: opt(Schema.String),
  server_id: opt(Schema.String),
  host_name: text,
  device: opt(Schema.String),
  attached_at: text
})

/** An attachment of a volume. */
export interface VolumeAttachment extends Schema.Schema.Type<typeof VolumeAttachment> {}

/**
 * A volume. `status` is `creating`, `available`, `reserved`, `attaching`, `detaching`, `in-use`, `maintenance`,
 * `deleting`, `awaiting-transfer`, `error`, `error_deleting`, `backing-up`, `restoring-backup`, `error_backing-up`,
 * `error_restoring`, `error_extending`, `downloading`, `uploading`, `retyping` or `extending`; `size` is in GiB.
 */
export const Volume = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  size: Schema.Number,
  name: text,
  description: text,
  created_at: opt(Schema.String),
  updated_at: text,
  availability_zone: opt(Schema.String),
  bootable: opt(Schema.String),
  encrypted: opt(Schema.Boolean),
  multiattach: opt(Schema.Boolean),
  metadata: opt(Metadata),
  attachments: opt(Schema.Array(VolumeAttachment)),
  links: opt(Schema.Array(Link)),
  user_id: opt(Schema.String),
  volume_type: text,
  /** Microversion 3.63. */
  volume_type_id: opt(Schema.String),
  snapshot_id: text,
  source_volid: text,
  consistencygroup_id: text,
  /** Microversion 3.13. */
  group_id: text,
  /** Microversion 3.21. */
  provider_id: text,
  /** Microversion 3.48. */
  service_uuid: text,
  /** Microversion 3.48. */
  shared_targets: opt(Schema.Boolean),
  /** Microversion 3.61 (admin). */
  cluster_name: text,
  /** Microversion 3.65. */
  consumes_quota: opt(Schema.Boolean),
  migration_status: text,
  replication_status: text,
  volume_image_metadata: opt(Metadata),
  "os-vol-tenant-attr:tenant_id": opt(Schema.String),
  "os-vol-host-attr:host": text,
  "os-vol-mig-status-attr:migstat": text,
  "os-vol-mig-status-attr:name_id": text
})

/** A volume. */
export interface Volume extends Schema.Schema.Type<typeof Volume> {}

/** A snapshot of a volume. `status` is `creating`, `available`, `backing-up`, `deleting`, `error`, `deleted`, `unmanaging`, `restoring` or `error_deleting`. */
export const Snapshot = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  size: Schema.Number,
  volume_id: Schema.String,
  name: text,
  description: text,
  created_at: opt(Schema.String),
  updated_at: text,
  metadata: opt(Metadata),
  /** Microversion 3.14. */
  group_snapshot_id: text,
  /** Microversion 3.41. */
  user_id: opt(Schema.String),
  /** Microversion 3.65. */
  consumes_quota: opt(Schema.Boolean),
  "os-extended-snapshot-attributes:progress": opt(Schema.String),
  "os-extended-snapshot-attributes:project_id": opt(Schema.String)
})

/** A snapshot. */
export interface Snapshot extends Schema.Schema.Type<typeof Snapshot> {}
