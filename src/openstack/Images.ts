/**
 * Glance v2 images: list (filters, sort, marker paging from the `next` link), get by id or name, delete, and
 * waiting for a status.
 *
 * @since 0.1.0
 */
import { Data, type Duration, Effect, Option, Schedule, Stream } from "effect"
import * as Body from "../core/Body.js"
import * as Callback from "../core/Callback.js"
import * as Envelope from "../core/Envelope.js"
import type * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import * as Query from "../core/Query.js"
import * as Operation from "../core/Operation.js"
import * as Resource from "../core/Resource.js"
import type * as Waiting from "../core/Waiting.js"
import type { Engine, OpenStackError } from "./Session.js"
import type { EndpointNotFound } from "./KeystoneV3.js"
import { Image, ImageList } from "./Image.js"
import { byIdOrName } from "./Lookup.js"
import { api } from "./Keystone.js"

/** Filters, sort and paging of `GET /v2/images`. */
export interface ImageQuery {
  /** Exact name. */
  readonly name?: string | undefined
  readonly status?: string | undefined
  readonly visibility?: "public" | "private" | "shared" | "community" | "all" | undefined
  readonly owner?: string | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  /** Glance's `sort`, e.g. `name:asc,created_at:desc`. */
  readonly sort?: string | undefined
  readonly limit?: number | undefined
  readonly marker?: string | undefined
}

/** What `create` takes (Glance's image fields). */
export interface CreateImage {
  readonly name: string
  readonly diskFormat?: "raw" | "qcow2" | "vmdk" | "vdi" | "vhd" | "vhdx" | "iso" | "ami" | "ari" | "aki" | "ploop" | undefined
  readonly containerFormat?: "bare" | "ovf" | "ova" | "aki" | "ari" | "ami" | "docker" | "compressed" | undefined
  readonly visibility?: "public" | "private" | "shared" | "community" | undefined
  readonly minDisk?: number | undefined
  readonly minRam?: number | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly protected?: boolean | undefined
}

/** How an upload is going: bytes sent so far, and the total when known. */
export interface UploadProgress {
  readonly sent: number
  readonly total: number | undefined
}

/** Image operations. */
export interface Images {
  /** Registers an image (status `queued`, no data yet). */
  readonly create: (options: CreateImage) => Effect.Effect<Image, OpenStackError>
  /**
   * Uploads an image's data from a stream, an async iterable or bytes (sent once, never retried), reporting progress; the image becomes
   * `active` when Glance has stored it (see `waitFor`).
   */
  readonly upload: (
    id: string,
    data: Body.ByteSource,
    options?: { readonly size?: number; readonly onProgress?: Callback.Callback<UploadProgress> }
  ) => Effect.Effect<void, OpenStackError>
  readonly list: (query?: ImageQuery) => Effect.Effect<Paging.Page<Image, string>, OpenStackError>
  readonly listAll: (query?: ImageQuery) => Stream.Stream<Image, OpenStackError>
  /** An image by id or, failing that, by exact name. */
  readonly get: (idOrName: string) => Effect.Effect<Image, OpenStackError>
  /** Deletes an image; one already gone counts as deleted. */
  readonly delete: (id: string) => Effect.Effect<void, OpenStackError>
  /** Polls until the image has `status` (default `active`); `killed` or `deleted` on the way fail. */
  readonly waitFor: (
    id: string,
    status?: string,
    options?: { readonly interval?: Duration.DurationInput; readonly timeout?: Duration.DurationInput }
  ) => Effect.Effect<Image, OpenStackError | Waiting.WaitTimeoutError | ImageGoneError>
}

/** The image was killed or deleted while being waited for. */
export class ImageGoneError extends Data.TaggedError("ImageGoneError")<{
  readonly imageId: string
  readonly status: string
}> {
  override get message(): string {
    return `image ${this.imageId} is ${this.status}`
  }
}

/** The description of Glance's images: a listing whose `next` link gives the next marker, bare image bodies. */
export const images = {
  name: "image",
  path: "images",
  list: {
    schema: ImageList,
    read: (body: ImageList) => ({ items: body.images, next: Option.getOrUndefined(Option.flatMap(Option.fromNullable(body.next), Envelope.markerOf)) })
  },
  one: Envelope.bare(Image),
  query: {
    name: Query.string("name"), status: Query.string("status"), owner: Query.string("owner"), tags: Query.list("tag"),
    visibility: Query.literal<NonNullable<ImageQuery["visibility"]>>("visibility"), sort: Query.string("sort")
  },
  paging: Resource.marker,
  // An image's status changes under the caller (queued, saving, active).
  cacheDetail: false,
  create: {
    body: (options: CreateImage) => ({
      name: options.name,
      disk_format: options.diskFormat ?? "qcow2",
      container_format: options.containerFormat ?? "bare",
      visibility: options.visibility,
      min_disk: options.minDisk,
      min_ram: options.minRam,
      tags: options.tags,
      protected: options.protected
    })
  },
  delete: { goneIsDone: true }
} as const

/** Builds the image operations of a client. */
export const make = (glance: Engine): Images => {
  const resource = Resource.direct(Resource.deferred(api, glance), images)
  return {
    create: resource.create,
    upload: (id, data, options = {}) =>
      Effect.flatMap(glance, (rest) => {
        const onProgress = options.onProgress
        let sent = 0
        const bytes = Body.byteStream(data)
        const counted = onProgress === undefined
          ? bytes
          : Stream.tap(bytes, (chunk) =>
            Effect.suspend(() => {
              sent += chunk.length
              return Callback.call(onProgress, { sent, total: options.size })
            }))
        return Effect.asVoid(rest.send({
          method: "PUT",
          path: Path.make("images/{id}/file", { id }),
          content: {
            body: counted,
            contentType: "application/octet-stream",
            ...(options.size === undefined ? {} : { contentLength: options.size })
          },
          // Uploads may take long: no per-attempt timeout beyond an hour.
          timeout: "1 hour"
        }))
      }),
    list: resource.list,
    listAll: resource.listAll,
    get: byIdOrName<Image, EndpointNotFound>("image", resource.get, (name) => Effect.map(resource.list({ name }), (page) => page.items)),
    delete: resource.delete,
    waitFor: (id, status = "active", options = {}) =>
      Operation.make({
        subject: `image ${id} reaching ${status}`,
        poll: resource.get(id),
        isFinal: (image) => image.status === status || image.status === "killed" || image.status === "deleted",
        failure: (image) => (image.status === status ? undefined : new ImageGoneError({ imageId: id, status: image.status })),
        describe: (image) => image.status
      }).waitForSuccess({ schedule: Schedule.spaced(options.interval ?? "1 second"), timeout: options.timeout })
  }
}
