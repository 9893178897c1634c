/**
 * ISO images (`iso/`), declared with core's `Resource`: list (name and datapool filters, offset paging), get,
 * create (`PUT iso/` with a datapool and a file name: the answer carries the `upload_url` to send the file to) and
 * delete (`POST iso/{id}/remove/`, ECP having no `DELETE`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Envelope from "../core/Envelope.js"
import { optional as opt, optionalOrNull as optNull } from "../core/Fields.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import { uuid } from "./Collection.js"
import { RefOrId } from "./Entity.js"
import type * as Rest from "./Rest.js"

/** An ISO image. */
export const Iso = Schema.Struct({
  id: Schema.String,
  verbose_name: optNull(Schema.String),
  filename: optNull(Schema.String),
  status: opt(Schema.String),
  size: optNull(Schema.Number),
  datapool: optNull(RefOrId),
  upload_url: optNull(Schema.String),
  created: optNull(Schema.String)
})

/** An ISO image. */
export interface Iso extends Schema.Schema.Type<typeof Iso> {}

/** The description of ECP's ISO images. */
export const isos = {
  name: "iso",
  path: "iso/",
  id: uuid,
  list: Envelope.results(Iso),
  one: Envelope.bare(Iso),
  query: { name: Query.string("name"), datapool: Query.string("datapool") },
  paging: Resource.offset(100),
  create: { method: "PUT", body: (input: { readonly datapool: string; readonly filename: string }) => input },
  delete: { method: "POST", path: "remove/" }
} as const

/** Builds the ISO operations of a session. */
export const make = (veil: Rest.VeilRest) => Resource.make(Resource.engine(veil.rest), isos)
