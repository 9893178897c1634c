/**
 * Swift object storage: containers and objects — list (marker paging, prefix, pseudo-directories), put (bytes, or
 * a stream sent once, with custom metadata), head (properties and metadata), get (as a stream, or whole), delete.
 *
 * A container name is one path segment: Swift decodes the path before splitting it, so a `/` in it — even sent as
 * `%2F` — would name an object in another container. Such a name is refused before anything is sent, as gophercloud
 * does. Object names may hold `/` (pseudo-directories).
 *
 * Metadata values travel as python-swiftclient sends them: the header carries the value's UTF-8 bytes, which Swift
 * stores and returns as they are; reading decodes them again, so any Unicode text round-trips.
 *
 * @since 0.1.0
 */
import type { Headers } from "@effect/platform"
import { Chunk, Effect, Either, type Schema, Stream } from "effect"
import * as Envelope from "../core/Envelope.js"
import { InvalidInputError } from "../core/Errors.js"
import type * as Paging from "../core/Paging.js"
import * as Path from "../core/Path.js"
import * as Query from "../core/Query.js"
import * as Resource from "../core/Resource.js"
import type { Download } from "../core/RestClient.js"
import type { Engine, OpenStackError } from "./Session.js"
import { api } from "./Keystone.js"
import { AccountEntry, ContainerEntry } from "./ObjectStore.js"

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
  /**
   * Custom metadata, sent as `X-Object-Meta-<name>`: names are header tokens (case does not survive: Swift answers
   * them in its own case, read back in lower case), values any text without CR, LF or NUL.
   */
  readonly metadata?: Readonly<Record<string, string>> | undefined
}

/** An object's properties, as `HEAD` (or `GET`) answers them. */
export interface ObjectHead {
  readonly contentType: string | undefined
  readonly contentLength: number | undefined
  readonly etag: string | undefined
  /** The `Last-Modified` header, as sent. */
  readonly lastModified: string | undefined
  /** `X-Object-Meta-*` by lower-case name (without the prefix), values decoded from UTF-8. */
  readonly metadata: Readonly<Record<string, string>>
}

/** An object being read: its body as it arrives, and its metadata decoded. */
export interface ObjectDownload extends Download {
  /** `X-Object-Meta-*` by lower-case name (without the prefix), values decoded from UTF-8. */
  readonly metadata: Readonly<Record<string, string>>
}

/** Object storage operations. */
export interface Objects {
  readonly containers: (query?: ListingQuery) => Effect.Effect<Paging.Page<AccountEntry, string>, OpenStackError>
  readonly createContainer: (container: string) => Effect.Effect<void, OpenStackError>
  /** Deletes an empty container (a non-empty one is a `ConflictError`); one already gone counts as deleted. */
  readonly deleteContainer: (container: string) => Effect.Effect<void, OpenStackError>
  readonly list: (container: string, query?: ListingQuery) => Effect.Effect<Paging.Page<ContainerEntry, string>, OpenStackError>
  readonly listAll: (container: string, query?: ListingQuery) => Stream.Stream<ContainerEntry, OpenStackError>
  /** Stores an object; answers its ETag. A streamed body is sent once and never retried. */
  readonly put: (
    container: string,
    name: string,
    body: Uint8Array | Stream.Stream<Uint8Array, unknown>,
    options?: PutOptions
  ) => Effect.Effect<string | undefined, OpenStackError>
  /** An object's properties and metadata, without its body. */
  readonly head: (container: string, name: string) => Effect.Effect<ObjectHead, OpenStackError>
  /** An object, its body read as it arrives. */
  readonly get: (container: string, name: string) => Effect.Effect<ObjectDownload, OpenStackError>
  /** An object's whole body. */
  readonly getBytes: (container: string, name: string) => Effect.Effect<Uint8Array, OpenStackError>
  /** Deletes an object; one already gone counts as deleted. */
  readonly delete: (container: string, name: string) => Effect.Effect<void, OpenStackError>
}

/** Swift's longest container name, in bytes of UTF-8 (`MAX_CONTAINER_NAME_LENGTH` of swift/common/constraints.py). */
export const maxContainerNameLength = 256

/** Why Swift cannot take `container` as a container name, or `undefined`. */
export const containerNameProblem = (container: string): string | undefined => {
  if (container.includes("/")) {
    return `container must not contain "/" (Swift would read "${container}" as a container and an object in it)`
  }
  const length = new TextEncoder().encode(container).length
  return length > maxContainerNameLength
    ? `container must be at most ${maxContainerNameLength} bytes of UTF-8, got ${length}`
    : undefined
}

const containerRule = { container: containerNameProblem } as const

const metaPrefix = "x-object-meta-"

/** An HTTP token (RFC 9110 §5.6.2): what a header name is made of. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** A header value as python-swiftclient sends it: the value's UTF-8 bytes, one character per byte. */
const toWire = (value: string): string => Array.from(new TextEncoder().encode(value), (byte) => String.fromCharCode(byte)).join("")

/** A header value read back: its bytes decoded as UTF-8 (as they are when they are not UTF-8). */
const fromWire = (value: string): string => {
  if (/[^\u0000-\u00ff]/.test(value)) return value
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(value, (char) => char.charCodeAt(0)))
  } catch {
    return value
  }
}

/** The `X-Object-Meta-*` headers of `metadata`, or the typed error naming the first name or value Swift cannot take. */
const metadataHeaders = (metadata: Readonly<Record<string, string>>): Either.Either<Record<string, string>, InvalidInputError> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(metadata)) {
    const header = `X-Object-Meta-${name}`
    const refuse = (message: string) => Either.left(new InvalidInputError({ api, parameter: `metadata.${name}`, message }))
    if (!token.test(name)) {
      return refuse(`metadata name ${JSON.stringify(name)} cannot be part of a header name (${header}): use letters, digits, "-" or "_"`)
    }
    if (/[\r\n\0]/.test(value)) return refuse(`metadata ${name} (${header}) must not contain CR, LF or NUL`)
    const unicode = Path.unicodeProblem(`metadata ${name} (${header})`, value)
    if (unicode !== undefined) return refuse(unicode.message)
    headers[header.toLowerCase()] = toWire(value)
  }
  return Either.right(headers)
}

/** The `X-Object-Meta-*` of a response, by lower-case name, decoded. */
export const metadataOf = (headers: Headers.Headers): Readonly<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      name.toLowerCase().startsWith(metaPrefix) ? [[name.toLowerCase().slice(metaPrefix.length), fromWire(value)]] : []
    )
  )

const numberOf = (value: string | undefined): number | undefined =>
  value === undefined || !/^\d+$/.test(value) ? undefined : Number(value)

/** The name a listing's next page starts after: the last row's name, or its pseudo-directory. */
const keyOf = (row: AccountEntry | ContainerEntry): string => ("subdir" in row ? row.subdir : row.name)

/** Swift's listings: bare JSON arrays, paged after the last row's name; read past the cache. */
const listing = <Row, I>(name: string, row: Schema.Schema<Row, I>, lastKey: (row: Row) => string) => ({
  name,
  path: "",
  list: Envelope.array(row, lastKey),
  one: Envelope.bare(row),
  query: { prefix: Query.string("prefix"), delimiter: Query.string("delimiter") },
  listQuery: { format: "json" },
  paging: Resource.afterLast,
  cacheList: false
})

/** The description of an account's container listing. */
export const containers = listing("container", AccountEntry, keyOf)

/** The description of a container's object listing (under the container's path). */
export const objects = listing("object", ContainerEntry, keyOf)

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
export const make = (swift: Engine): Objects => {
  const gone = <A>(effect: Effect.Effect<A, OpenStackError>) =>
    Resource.goneIsDone(Effect.asVoid(effect))

  const sender = Resource.deferred(api, swift)
  const account = Resource.direct(sender, containers)
  const inContainer = Resource.direct(sender, objects)
  const container = (name: string) => inContainer.under(Path.make("{container}", { container: name }, containerRule))

  const objectPath = (container: string, name: string) => Path.make("{container}/{+name}", { container, name }, containerRule)

  const get = (container: string, name: string): Effect.Effect<ObjectDownload, OpenStackError> =>
    Effect.flatMap(swift, (rest) =>
      Effect.map(rest.download({ method: "GET", path: objectPath(container, name) }), (download) => ({
        ...download,
        metadata: metadataOf(download.headers)
      })))

  return {
    containers: account.list,
    createContainer: (container) =>
      Effect.flatMap(swift, (rest) => Effect.asVoid(rest.send({ method: "PUT", path: Path.make("{container}", { container }, containerRule) }))),
    deleteContainer: (container) =>
      Effect.flatMap(swift, (rest) => gone(rest.send({ method: "DELETE", path: Path.make("{container}", { container }, containerRule) }))),
    list: (name, q) => container(name).list(q),
    listAll: (name, q) => container(name).listAll(q),
    put: (container, name, body, options = {}) =>
      Effect.flatMap(Effect.zip(metadataHeaders(options.metadata ?? {}), swift), ([headers, rest]) =>
        Effect.map(
          rest.send({
            method: "PUT",
            path: objectPath(container, name),
            headers,
            content: {
              body,
              ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
              ...(options.contentLength === undefined ? {} : { contentLength: options.contentLength })
            }
          }),
          (response) => response.headers["etag"]
        )),
    head: (container, name) =>
      Effect.flatMap(swift, (rest) =>
        Effect.map(rest.send({ method: "HEAD", path: objectPath(container, name), cache: false }), ({ headers }): ObjectHead => ({
          contentType: headers["content-type"],
          contentLength: numberOf(headers["content-length"]),
          etag: headers["etag"],
          lastModified: headers["last-modified"],
          metadata: metadataOf(headers)
        }))),
    get,
    getBytes: (container, name) =>
      Effect.flatMap(get(container, name), (download) => Effect.map(Stream.runCollect(download.body), concat)),
    delete: (container, name) =>
      Effect.flatMap(swift, (rest) => gone(rest.send({ method: "DELETE", path: objectPath(container, name) })))
  }
}
