/**
 * ISO image routes: `GET iso/` (name and datapool filters, paged), `GET iso/{id}/`, `PUT iso/` (a datapool and a
 * file name: the image, `CREATING`, with the URL to upload it to) and `POST iso/{id}/remove/`.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import { datapoolRef, type RenderContext } from "./BodiesCommon.js"
import { badRequest } from "./Errors.js"
import { json } from "../../core/testing/Http.js"
import { jsonBody, param, renderContext, route, transact, type SimEnv } from "./Http.js"
import { isUuid } from "./Ids.js"
import type { JsonObject } from "../../core/testing/Json.js"
import { findOr404, itemHandler, listHandler, type Listing } from "./Listing.js"
import { findById, type IsoRecord, nextId } from "./State.js"

const isoBody = (ctx: RenderContext, iso: IsoRecord): JsonObject => ({
  id: iso.id,
  verbose_name: iso.filename,
  filename: iso.filename,
  status: "ACTIVE",
  size: 0,
  datapool: datapoolRef(ctx.state, iso.datapoolId),
  upload_url: `/upload/iso/${iso.id}/`,
  created: iso.created
})

const isos: Listing<IsoRecord> = {
  items: (s) => s.isos ?? [],
  filters: { datapool: { uuid: true, test: (iso, value) => iso.datapoolId === value } },
  name: (iso) => iso.filename,
  row: isoBody,
  detail: isoBody
}

const field = (body: unknown, key: string): string => {
  const value: unknown = typeof body === "object" && body !== null ? Object.getOwnPropertyDescriptor(body, key)?.value : undefined
  return typeof value === "string" ? value : ""
}

/**
 * Every ISO route.
 *
 * @since 0.1.0
 */
export const isoRoutes = (env: SimEnv) => [
  route(env, "GET", "/api/iso/", listHandler(env, isos)),
  route(env, "GET", "/api/iso/:id/", itemHandler(env, "Iso", (s) => s.isos ?? [], isoBody)),
  route(env, "PUT", "/api/iso/", (req) =>
    Effect.gen(function*() {
      const body = yield* jsonBody
      const datapoolId = field(body, "datapool")
      const filename = field(body, "filename")
      const made = yield* transact(env, (state) => {
        if (!isUuid(datapoolId) || findById(state.datapools, datapoolId) === undefined) return Either.left(badRequest(`datapool ${datapoolId} not found.`))
        if (filename === "") return Either.left(badRequest("filename: This field is required."))
        const [id, next] = nextId(state, "iso")
        const iso: IsoRecord = { id, filename, datapoolId, created: new Date(req.now).toISOString() }
        return Either.right([iso, { ...next, isos: [...(next.isos ?? []), iso] }] as const)
      })
      return json(isoBody(yield* renderContext(env, req), made))
    })),
  route(env, "POST", "/api/iso/:id/remove/", (req) =>
    Effect.as(
      transact(env, (state) =>
        Either.map(findOr404(state.isos ?? [], "Iso", param(req, "id")), (iso) =>
          [undefined, { ...state, isos: (state.isos ?? []).filter((i) => i.id !== iso.id) }] as const)),
      json({})
    ))
]
