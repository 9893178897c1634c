/**
 * Swift object storage: containers and objects — list (marker paging, prefix, pseudo-directories), put (bytes, or
 * a stream sent once), get (as a stream, or whole), delete.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Option, Stream } from "effect"
import * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import type { Download, Query } from "../core/RestClient.js"
import type { ServiceAccess } from "./Client.js"
import { AccountListing, type AccountEntry, type ContainerEntry, ContainerListing } from "./ObjectStore.js"
import type { ServerError } from "./Servers.js"

/** Listing options: Swift's `prefix`, `delimiter` (pseudo-directories), `limit`, `marker`. */
export interface ListingQuery {
  readonly prefix?: string | undefined
  readonly delimiter?: string | undefined
  readonly limit?: number | undefined
  readonly marker?: string | undefined
}

/** What `put` takes besides the body. */
export interface PutOptions {
  readonly contentType?: string | undefined
  /** Length of a streamed body, when known. */
  readonly contentLength?: number | undefined
  /** Custom metadata, sent as `X-Object-Meta-<name>`. */
  readonly metadata?: Readonly<Record<string, string>> | undefined
}

/** Object storage operations. */
export interface Objects {
  readonly containers: (query?: ListingQuery) => Effect.Effect<Paging.Page<AccountEntry, string>, ServerError>
  readonly createContainer: (container: string) => Effect.Effect<void, ServerError>
  /** Deletes an empty container (a non-empty one is a `ConflictError`); one already gone counts as deleted. */
  readonly deleteContainer: (container: string) => Effect.Effect<void, ServerError>
  readonly list: (container: string, query?: ListingQuery) => Effect.Effect<Paging.Page<ContainerEntry, string>, ServerError>
  readonly listAll: (container: string, query?: ListingQuery) => Stream.Stream<ContainerEntry, ServerError>
  /** Stores an object; answers its ETag. A streamed body is sent once and never retried. */
  readonly put: (
    container: string,
    name: string,
    body: Uint8Array | Stream.Stream<Uint8Array, unknown>,
    options?: PutOptions
  ) => Effect.Effect<string | undefined, ServerError>
  /** An object, its body read as it arrives. */
  readonly get: (container: string, name: string) => Effect.Effect<Download, ServerError>
  /** An object's whole body. */
  readonly getBytes: (container: string, name: string) => Effect.Effect<Uint8Array, ServerError>
  /** Deletes an object; one already gone counts as deleted. */
  readonly delete: (container: string, name: string) => Effect.Effect<void, ServerError>
}

const listingQuery = (q: ListingQuery): Query => ({
  format: "json",
  ...(q.prefix === undefined ? {} : { prefix: q.prefix }),
  ...(q.delimiter === undefined ? {} : { delimiter: q.delimiter }),
  ...(q.limit === undefined ? {} : { limit: String(q.limit) }),
  ...(q.marker === undefined ? {} : { marker: q.marker })
})

/** Swift pages end when a page is shorter than asked (or empty); the next marker is the last row's name. */
const nextOf = (rows: ReadonlyArray<AccountEntry | ContainerEntry>, limit: number | undefined): Option.Option<string> => {
  const last = rows[rows.length - 1]
  if (last === undefined || (limit !== undefined && rows.length < limit)) return Option.none()
  return Option.some("subdir" in last ? last.subdir : last.name)
}

const concat = (chunks: Chunk.Chunk<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(Chunk.reduce(chunks, 0, (n, c) => n + c.length))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

/** Builds the object storage operations of a client. */
export const make = (client: ServiceAccess): Objects => {
  const swift = Effect.map(client.service("object-store"), (service) => service.rest)
  const gone = <A>(effect: Effect.Effect<A, ServerError>) =>
    Effect.catchIf(Effect.asVoid(effect), (error) => error._tag === "NotFoundError", () => Effect.void)

  const list = (container: string, q: ListingQuery = {}) =>
    Effect.flatMap(swift, (rest) =>
      Effect.map(
        rest.json({ method: "GET", path: Path.make("{container}", { container }), query: listingQuery(q), cache: false }, ContainerListing),
        (rows) => Paging.page(rows, nextOf(rows, q.limit))
      ))

  const get = (container: string, name: string) =>
    Effect.flatMap(swift, (rest) => rest.download({ method: "GET", path: Path.make("{container}/{+name}", { container, name }) }))

  return {
    containers: (q = {}) =>
      Effect.flatMap(swift, (rest) =>
        Effect.map(
          rest.json({ method: "GET", path: Path.literal(""), query: listingQuery(q), cache: false }, AccountListing),
          (rows) => Paging.page(rows, nextOf(rows, q.limit))
        )),
    createContainer: (container) =>
      Effect.flatMap(swift, (rest) => Effect.asVoid(rest.send({ method: "PUT", path: Path.make("{container}", { container }) }))),
    deleteContainer: (container) =>
      Effect.flatMap(swift, (rest) => gone(rest.send({ method: "DELETE", path: Path.make("{container}", { container }) }))),
    list,
    listAll: (container, q = {}) =>
      Paging.stream<ContainerEntry, string | undefined, ServerError, never>(q.marker, (marker) =>
        list(container, { ...q, ...(marker === undefined ? {} : { marker }) })),
    put: (container, name, body, options = {}) =>
      Effect.flatMap(swift, (rest) =>
        Effect.map(
          rest.send({
            method: "PUT",
            path: Path.make("{container}/{+name}", { container, name }),
            headers: Object.fromEntries(
              Object.entries(options.metadata ?? {}).map(([key, value]) => [`x-object-meta-${key}`, value])
            ),
            content: {
              body,
              ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
              ...(options.contentLength === undefined ? {} : { contentLength: options.contentLength })
            }
          }),
          (response) => response.headers["etag"]
        )),
    get,
    getBytes: (container, name) =>
      Effect.flatMap(get(container, name), (download) => Effect.map(Stream.runCollect(download.body), concat)),
    delete: (container, name) =>
      Effect.flatMap(swift, (rest) => gone(rest.send({ method: "DELETE", path: Path.make("{container}/{+name}", { container, name }) })))
  }
}
