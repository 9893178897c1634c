/**
 * Version discovery documents: what `GET /` and `GET /<version>/` answer on each service's endpoint. Keystone wraps
 * its list as `{"versions": {"values": [...]}}`, Nova, Glance and Neutron as `{"versions": [...]}`; a single version
 * is `{"version": {...}}` everywhere. Also the `{href, rel}` link every OpenStack body uses.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import { optional as opt } from "../core/Fields.js"

/** A link as OpenStack writes them: `{href, rel, type?}` (`rel` is `self`, `bookmark`, `next`, `previous`, …). */
export const Link = Envelope.Link

/** A link as OpenStack writes them. */
export type Link = Envelope.Link

/** A row of a short listing (Nova's `GET /servers`, `GET /flavors`; Cinder's `GET /volumes`): `{id, name, links}`. */
export const Summary = Schema.Struct({ id: Schema.String, name: Schema.String, links: Schema.Array(Link) })

/** A row of a short listing. */
export interface Summary extends Schema.Schema.Type<typeof Summary> {}

/** A media type a version accepts: `{base, type}`. */
export const MediaType = Schema.Struct({ base: Schema.String, type: Schema.String })

/** A media type a version accepts. */
export interface MediaType extends Schema.Schema.Type<typeof MediaType> {}

/**
 * One API version. `status` is `CURRENT`/`SUPPORTED`/`DEPRECATED` (Keystone: `stable`). Nova adds its microversion
 * range as `min_version`/`version`, both `""` for a version without microversions (v2.0).
 */
export const Version = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  links: Schema.Array(Link),
  version: opt(Schema.String),
  min_version: opt(Schema.String),
  updated: opt(Schema.String),
  "media-types": opt(Schema.Array(MediaType))
})

/** One API version. */
export interface Version extends Schema.Schema.Type<typeof Version> {}

/** `{"versions": [...]}`: the version list of Nova, Glance (a 300 answer) and Neutron. */
export const VersionList = Schema.Struct({ versions: Schema.Array(Version) })

/** The version list of Nova, Glance and Neutron. */
export interface VersionList extends Schema.Schema.Type<typeof VersionList> {}

/** `{"versions": {"values": [...]}}`: Keystone's version list (a 300 answer). */
export const IdentityVersionList = Schema.Struct({ versions: Schema.Struct({ values: Schema.Array(Version) }) })

/** Keystone's version list. */
export interface IdentityVersionList extends Schema.Schema.Type<typeof IdentityVersionList> {}

/** `{"version": {...}}`: one version's document (`GET /v3`, `GET /v2.1/`). */
export const VersionDocument = Schema.Struct({ version: Version })

/** One version's document. */
export interface VersionDocument extends Schema.Schema.Type<typeof VersionDocument> {}

const isIdentity = (list: VersionList | IdentityVersionList): list is IdentityVersionList => !Array.isArray(list.versions)

/** The versions of any service's version list, Keystone's or the others' form. */
export const versionsOf = (list: VersionList | IdentityVersionList): ReadonlyArray<Version> =>
  isIdentity(list) ? list.versions.values : list.versions
