/**
 * Schemas of the JSON bodies the simulator accepts (veil.md §2.5, §2.6, §6). Unknown keys are ignored; booleans
 * may arrive as `0`/`1`; every decoding problem becomes a 400 naming the field.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A boolean that may also be sent as `0` or `1`.
 *
 * @since 0.1.0
 */
export const BoolLike = Schema.transform(Schema.Union(Schema.Boolean, Schema.Literal(0, 1)), Schema.Boolean, {
  strict: true,
  decode: (value) => value === true || value === 1,
  encode: (value) => value
})

/**
 * A canonical UUID string.
 *
 * @since 0.1.0
 */
export const Uuid = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: () => "Must be a valid UUID."
  })
)

const optionalBool = Schema.optional(BoolLike)
const optionalUuid = Schema.optional(Schema.NullOr(Uuid))
const idempotencyKey = Schema.optional(Schema.String)

/**
 * `{force}` of start/shutdown/reboot/suspend/resume/reset.
 *
 * @since 0.1.0
 */
export const PowerBody = Schema.Struct({ force: optionalBool, idempotency_key: idempotencyKey })

/**
 * `{full, force}` of remove.
 *
 * @since 0.1.0
 */
export const RemoveBody = Schema.Struct({ full: optionalBool, force: optionalBool, idempotency_key: idempotencyKey })

/**
 * `{remote_access}` of remote-access.
 *
 * @since 0.1.0
 */
export const RemoteAccessBody = Schema.Struct({ remote_access: BoolLike, idempotency_key: idempotencyKey })

/**
 * `{hostname}` of set-hostname.
 *
 * @since 0.1.0
 */
export const HostnameBody = Schema.Struct({
  hostname: Schema.optional(Schema.NullOr(Schema.String)),
  idempotency_key: idempotencyKey
})

/**
 * Body of vdi-prepare.
 *
 * @since 0.1.0
 */
export const PrepareBody = Schema.Struct({
  remote_access: optionalBool,
  start_on: optionalBool,
  set_hostname: optionalBool,
  add_to_ad: Schema.optional(Schema.Unknown),
  idempotency_key: idempotencyKey
})

/**
 * Body of attach-usb.
 *
 * @since 0.1.0
 */
export const AttachUsbBody = Schema.Struct({
  action_type: Schema.optional(Schema.String),
  tcp_usb: Schema.optional(Schema.Struct({ host: Schema.String, service: Schema.Int })),
  usb: Schema.optional(Schema.Unknown),
  usb_controller: Schema.optional(Schema.Unknown),
  idempotency_key: idempotencyKey
})

/**
 * Body of detach-usb.
 *
 * @since 0.1.0
 */
export const DetachUsbBody = Schema.Struct({
  action_type: Schema.optional(Schema.String),
  usb: Schema.optional(Schema.NullOr(Schema.String)),
  remove_all: optionalBool,
  controller_order: Schema.optional(Schema.Int),
  idempotency_key: idempotencyKey
})

/**
 * Body of guest-command.
 *
 * @since 0.1.0
 */
export const GuestCommandBody = Schema.Struct({
  veil_cmd: Schema.optional(Schema.String),
  qemu_cmd: Schema.optional(Schema.String),
  fargs: Schema.optional(Schema.Unknown),
  timeout: Schema.optional(Schema.Number),
  idempotency_key: idempotencyKey
})

/**
 * Body of `PUT domains/{id}/` (at least one field must be present; checked by the handler).
 *
 * @since 0.1.0
 */
export const UpdateBody = Schema.Struct({
  verbose_name: Schema.optional(Schema.String.pipe(Schema.minLength(1, { message: () => "This field may not be blank." }))),
  description: Schema.optional(Schema.String),
  os_type: Schema.optional(Schema.Literal("Windows", "Linux", "Other")),
  os_version: Schema.optional(Schema.String),
  tablet: optionalBool,
  start_on_boot: optionalBool,
  spice_stream: optionalBool
})

/**
 * The fields {@link UpdateBody} can change.
 *
 * @since 0.1.0
 */
export const updatableFields: ReadonlyArray<keyof Schema.Schema.Type<typeof UpdateBody>> = [
  "verbose_name",
  "description",
  "os_type",
  "os_version",
  "tablet",
  "start_on_boot",
  "spice_stream"
]

/**
 * `{template}` of `PUT domains/{id}/template/`.
 *
 * @since 0.1.0
 */
export const TemplateBody = Schema.Struct({ template: BoolLike })

const placement = {
  node: optionalUuid,
  datapool: optionalUuid,
  resource_pool: optionalUuid,
  count: Schema.optional(
    Schema.Int.pipe(Schema.between(1, 1000, { message: () => "Must be between 1 and 1000." }))
  ),
  domains_ids: Schema.optional(Schema.Array(Uuid)),
  template: optionalBool,
  remote_access: optionalBool,
  start_on: optionalBool,
  set_hostname: optionalBool,
  add_to_ad: Schema.optional(Schema.Unknown),
  idempotency_key: idempotencyKey
}

/**
 * Body of `POST domains/multi-create-domain/` (§6.1).
 *
 * @since 0.1.0
 */
export const MultiCreateBody = Schema.Struct({
  verbose_name: Schema.String.pipe(Schema.minLength(1, { message: () => "This field may not be blank." })),
  parent: Uuid,
  thin: optionalBool,
  ...placement
})

/**
 * Body of `POST domains/{id}/clone/` (§6.2).
 *
 * @since 0.1.0
 */
export const CloneBody = Schema.Struct({
  verbose_name: Schema.String.pipe(Schema.minLength(1, { message: () => "This field may not be blank." })),
  snapshot: optionalUuid,
  ...placement
})

/**
 * Body of `POST domains/multi-manager/` (2.2.15+ `options` wrapper; the older flat `full`/`force` also accepted).
 *
 * @since 0.1.0
 */
export const MultiManagerBody = Schema.Struct({
  entity_ids: Schema.NonEmptyArray(Uuid),
  action: Schema.Literal("start", "shutdown", "suspend", "reboot", "resume", "delete", "migrate"),
  options: Schema.optional(
    Schema.Struct({ full: optionalBool, force: optionalBool, node: optionalUuid })
  ),
  full: optionalBool,
  force: optionalBool,
  idempotency_key: idempotencyKey
})

/**
 * Body of `POST domains/backup/` (§6.4).
 *
 * @since 0.1.0
 */
export const BackupBody = Schema.Struct({
  domain: Uuid,
  datapool: optionalUuid,
  backup: optionalUuid,
  can_be_incremental: optionalBool,
  increment: optionalBool,
  exclude_iso: optionalBool,
  idempotency_key: idempotencyKey
})

/**
 * Body of `POST domains/show-backup/`.
 *
 * @since 0.1.0
 */
export const ShowBackupBody = Schema.Struct({ file: Uuid, idempotency_key: idempotencyKey })

/**
 * Body of `POST domains/automated-restore/`.
 *
 * @since 0.1.0
 */
export const RestoreBody = Schema.Struct({
  file: Uuid,
  node: Uuid,
  datapool: optionalUuid,
  idempotency_key: idempotencyKey
})

/**
 * Body of `POST tags/`.
 *
 * @since 0.1.0
 */
export const TagCreateBody = Schema.Struct({
  verbose_name: Schema.String.pipe(Schema.minLength(1, { message: () => "This field may not be blank." })),
  colour: Schema.optional(Schema.NullOr(Schema.String)),
  idempotency_key: idempotencyKey
})

/**
 * Body of `PUT tags/{id}/`.
 *
 * @since 0.1.0
 */
export const TagUpdateBody = Schema.Struct({
  verbose_name: Schema.optional(Schema.String.pipe(Schema.minLength(1, { message: () => "This field may not be blank." }))),
  colour: Schema.optional(Schema.String)
})

/**
 * Body of `POST tags/{id}/add-entity/` and `remove-entity/`.
 *
 * @since 0.1.0
 */
export const TagEntityBody = Schema.Struct({
  entity_uuid: Uuid,
  entity_class: Schema.String,
  idempotency_key: idempotencyKey
})

/**
 * Body of `POST tags/{id}/add-entities/` and `remove-entities/`.
 *
 * @since 0.1.0
 */
export const TagEntitiesBody = Schema.Struct({
  entity_class: Schema.String,
  entity_uuids: Schema.Array(Uuid),
  idempotency_key: idempotencyKey
})

/**
 * Body of `PUT tasks/{id}/cancel/`.
 *
 * @since 0.1.0
 */
export const CancelBody = Schema.Struct({ force: optionalBool })
