/**
 * A resource described once, its operations written once: an API declares where a resource lives (a path template),
 * how its bodies are wrapped ({@link Envelope}), the Schemas of its rows and of its detail, its query parameters
 * ({@link Query}), how its listing pages ({@link offset}, {@link marker}, {@link afterLast}, {@link link}, {@link page}, {@link single}),
 * and how it is created, updated and deleted (method, accepted statuses, whether a delete of something already gone
 * counts as done); {@link make} gives `list`, `listAll`, `get`, `create`, `update` and `delete`. An odd call stays
 * hand-written beside them, with the same engine.
 *
 * Every read goes through the engine's reader, so every `GET` is served from the `ResponseCache` when one is
 * provided; decoding a page is the envelope's Schema and nothing per row. A child resource lives {@link Resource.under}
 * its parent's item path, which keeps the template (`email/domain/{domain}/redirection/{id}`) for spans.
 *
 * @since 0.1.0
 */
import type { HttpMethod } from "@effect/platform"
import { Effect, Option, type Schema, type Stream } from "effect"
import type * as Envelope from "./Envelope.js"
import { type ApiError, InvalidInputError, isApiError, NotFoundError } from "./Errors.js"
import { present } from "./Fields.js"
import * as Paging from "./Paging.js"
import * as Path from "./Path.js"
import * as Query from "./Query.js"
import type { RestClient, RestRequest } from "./RestClient.js"

/** What sends a resource's requests: an API's engine, maybe reached through an effect (`E`, `R`). */
export interface Sender<E = never, R = never> {
  /** The API name in errors. */
  readonly api: string
  /** A decoder of answers of `schema`, made once; `GET`s are served from the cache. */
  readonly reader: <A, I>(
    name: string,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<(request: RestRequest) => Effect.Effect<A, ApiError | E, R>>
  /** Sends a request whose answer is not read. */
  readonly send: (request: RestRequest) => Effect.Effect<unknown, ApiError | E, R>
}

/** The sender of one engine (its cached readers made once). */
export const engine = (rest: RestClient): Sender => ({ api: rest.options.api, reader: rest.reader, send: rest.send })

/** What sends a resource's requests without readers made beforehand: every `GET` goes through the cached `json`. */
export interface Direct<E = never, R = never> {
  /** The API name in errors. */
  readonly api: string
  /** Sends a request and decodes its answer with `schema`; a `GET` is served from the cache. */
  readonly json: <A, I>(request: RestRequest, schema: Schema.Schema<A, I>) => Effect.Effect<A, ApiError | E, R>
  /** Sends a request whose answer is not read. */
  readonly send: (request: RestRequest) => Effect.Effect<unknown, ApiError | E, R>
}

/** An engine reached through an effect (built on first use, say). */
export const deferred = <E, R>(api: string, rest: Effect.Effect<RestClient, E, R>): Direct<E, R> => ({
  api,
  json: (request, schema) => Effect.flatMap(rest, (engine) => engine.json(request, schema)),
  send: (request) => Effect.flatMap(rest, (engine) => engine.send(request))
})

/** How a listing pages: where a caller's query starts, what a page asks for, where the next page starts. */
export interface Strategy<Cursor, P> {
  /** The cursor of the first page a caller asks for. */
  readonly start: (query: Partial<P>) => Cursor
  /** The wire parameters of the page at `cursor`. */
  readonly query: (query: Partial<P>, cursor: Cursor) => Readonly<Record<string, Query.WireValue>>
  /** The next page's cursor, from what this page listed. */
  readonly next: (cursor: Cursor, listed: Envelope.Listed<unknown>, query: Partial<P>) => Option.Option<NonNullable<Cursor>>
  /** The query of `listAll` (a page size when the caller gives none). */
  readonly all: (query: Partial<P>) => Partial<P>
}

/** `offset`/`limit` paging: the next offset follows the rows received, within the total when the body gives one. */
export interface OffsetQuery {
  readonly offset?: number | undefined
  readonly limit?: number | undefined
}

/**
 * Offset paging (`offset`, `limit`): one page sends the offset the caller gives; `listAll` sends every page's offset
 * (`0` first) and asks for `size` rows a page unless the caller says.
 */
export const offset = (size = 100): Strategy<number, OffsetQuery> => ({
  start: (q) => q.offset ?? 0,
  query: (q, at) => ({
    ...(q.limit === undefined ? {} : { limit: String(q.limit) }),
    ...(at === 0 && q.offset === undefined ? {} : { offset: String(at) })
  }),
  next: (at, listed) => Paging.nextOffset(at, listed.items.length, { total: listed.total, hasNext: listed.more }),
  all: (q) => ({ ...q, offset: q.offset ?? 0, limit: q.limit ?? size })
})

/** Marker paging (`limit`, `marker`: the id of the last row seen), the next marker named by the body. */
export interface MarkerQuery {
  readonly marker?: string | undefined
  readonly limit?: number | undefined
}

/** Marker paging: the body's `next` is the next page's marker. */
export const marker: Strategy<string | undefined, MarkerQuery> = {
  start: (q) => q.marker,
  query: (q, at) => ({
    ...(q.limit === undefined ? {} : { limit: String(q.limit) }),
    ...(at === undefined ? {} : { marker: at })
  }),
  next: (_at, listed) => Option.fromNullable(listed.next),
  all: (q) => q
}

/**
 * Marker paging where the marker is the key of the last row received (Swift): the body's `next` is that key, and a
 * page shorter than asked, or empty, is the last.
 */
export const afterLast: Strategy<string | undefined, MarkerQuery> = {
  ...marker,
  next: (_at, listed, q) =>
    listed.items.length === 0 || (q.limit !== undefined && listed.items.length < q.limit) ? Option.none() : Option.fromNullable(listed.next)
}

/**
 * Next-link paging: the body's `next` is a link whose query asks for the next page. Only its query is taken, on the
 * resource's own path: the link itself is never followed, so credentials never go to a host the server names.
 */
export const link: Strategy<string | undefined, { readonly limit?: number | undefined }> = {
  start: () => undefined,
  query: (q, at) => {
    if (at === undefined) return q.limit === undefined ? {} : { limit: String(q.limit) }
    const out: Record<string, Query.WireValue> = {}
    const search = new URLSearchParams(at.includes("?") ? at.slice(at.indexOf("?") + 1) : "")
    for (const name of new Set(search.keys())) {
      const values = search.getAll(name)
      out[name] = values.length === 1 ? values[0] ?? "" : values
    }
    return out
  },
  next: (_at, listed) => Option.fromNullable(listed.next),
  all: (q) => q
}

/** Page-number paging: pages count from 1, and a short or empty page is the last. */
export interface PageQuery {
  readonly page?: number | undefined
  readonly limit?: number | undefined
}

/** Page-number paging (`page`, and the page size under `sizeName`). */
export const page = (size = 100, sizeName = "per_page"): Strategy<number, PageQuery> => ({
  start: (q) => q.page ?? 1,
  query: (q, at) => ({ page: String(at), [sizeName]: String(q.limit ?? size) }),
  next: (at, listed, q) =>
    listed.more === false || listed.items.length < (q.limit ?? size) ? Option.none() : Option.some(at + 1),
  all: (q) => q
})

/** A listing of one page (OVH's lists of ids). */
export const single: Strategy<undefined, {}> = {
  start: () => undefined,
  query: () => ({}),
  next: () => Option.none(),
  all: (q) => q
}

/** How a resource is created or updated: the request body of an input, its method, and statuses besides 2xx. */
export interface Write<In> {
  readonly method?: HttpMethod.HttpMethod | undefined
  /** A path under the collection (create) or under the item (update), e.g. `remove/`; default none. */
  readonly path?: string | undefined
  readonly body: (input: In) => unknown
  readonly query?: Readonly<Record<string, string>> | undefined
  readonly accept?: ReadonlyArray<number> | undefined
  /** Sending it twice is harmless (e.g. the body carries an idempotency key): the engine may retry it. */
  readonly replaySafe?: boolean | undefined
}

/** How a resource is deleted. */
export interface Delete {
  /** Default `DELETE`; some APIs delete with `POST {item}remove/`. */
  readonly method?: HttpMethod.HttpMethod | undefined
  /** A path under the item, e.g. `remove/`. */
  readonly path?: string | undefined
  readonly accept?: ReadonlyArray<number> | undefined
  /** A delete of something already gone (404) counts as done. */
  readonly goneIsDone?: boolean | undefined
}

/** The description of a resource. */
export interface Spec<Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q extends Query.Spec, Cursor, P, C, U> {
  /** Singular name, e.g. `port`: names the cache regions and the resource in lookups. */
  readonly name: string
  /** Template of the collection, relative to the engine's base URL: `ports`, `domains/`, `/me/api/application`. */
  readonly path: string
  /**
   * Template of the listing when it is not the collection (Nova's and Cinder's `servers/detail`, `volumes/detail`:
   * rows in full there, while items are created at the collection); relative like `path`.
   */
  readonly listing?: string | undefined
  /**
   * Template of one item, whose one placeholder is its id (`{id}`, `{serviceName}`). Default: the collection, `/`,
   * `{id}` (or `{id}/` after a `/`).
   */
  readonly item?: string | undefined
  /** An API's own rule for ids (VeiL: a UUID), applied before anything is sent. */
  readonly id?: Path.Check | undefined
  readonly list: Envelope.Many<Row, RowBody, RowBodyI>
  readonly one: Envelope.One<Detail, OneBody, OneBodyI>
  /** The listing's filters, declared once. */
  readonly query: Q
  /** Parameters every listing sends (Swift's `format=json`). */
  readonly listQuery?: Readonly<Record<string, string>> | undefined
  readonly paging: Strategy<Cursor, P>
  /** `false` reads the detail past the cache (a state that changes under the caller). */
  readonly cacheDetail?: boolean | undefined
  /** `false` reads the listings past the cache. */
  readonly cacheList?: boolean | undefined
  readonly create?: Write<C> | undefined
  readonly update?: Write<U> | undefined
  readonly delete?: Delete | undefined
}

/** The operations of a resource. */
export interface Resource<Row, Detail, V, Cursor, C, U, E = never, R = never> {
  /** One page. */
  readonly list: (query?: V) => Effect.Effect<Paging.Page<Row, NonNullable<Cursor>>, ApiError | E, R>
  /** Every row of every page, fetched lazily page by page; a next page already read fails the stream. */
  readonly listAll: (query?: V) => Stream.Stream<Row, ApiError | E, R>
  /** One item by id. */
  readonly get: (id: string) => Effect.Effect<Detail, ApiError | E, R>
  /** Creates an item; answers it as the server does. */
  readonly create: (input: C) => Effect.Effect<Detail, ApiError | E, R>
  /** Updates an item; answers it as the server does. */
  readonly update: (id: string, input: U) => Effect.Effect<Detail, ApiError | E, R>
  /** Deletes an item (one already gone counts as deleted where the description says so). */
  readonly delete: (id: string) => Effect.Effect<void, ApiError | E, R>
  /** The path of one item (for a hand-written call on it). */
  readonly item: (id: string) => Path.Path
  /** The same resource as the child of a parent item: every path is under `parent`. */
  readonly under: (parent: Path.Path) => Resource<Row, Detail, V, Cursor, C, U, E, R>
}

/** Where the item template is, by default. */
const itemTemplate = (path: string): string => (path.endsWith("/") ? `${path}{id}/` : `${path}/{id}`)

/** The readers a resource's operations use. */
interface Readers<RowBody, OneBody, E, R> {
  readonly api: string
  readonly page: (request: RestRequest) => Effect.Effect<RowBody, ApiError | E, R>
  readonly one: (request: RestRequest) => Effect.Effect<OneBody, ApiError | E, R>
  readonly send: (request: RestRequest) => Effect.Effect<unknown, ApiError | E, R>
}

/**
 * Builds a resource's operations over `sender` (its cached readers made once, here). `create`/`update` take `never`
 * where the description has none.
 */
export const make = <Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q extends Query.Spec, Cursor, P, C = never, U = never, E = never, R = never>(
  sender: Sender<E, R>,
  spec: Spec<Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q, Cursor, P, C, U>
): Effect.Effect<Resource<Row, Detail, Query.Values<Q> & P, Cursor, C, U, E, R>> =>
  Effect.gen(function*() {
    const page = yield* sender.reader(`${spec.name}:page`, spec.list.schema)
    const one = yield* sender.reader(`${spec.name}:detail`, spec.one.schema)
    return operations({ api: sender.api, page, one, send: sender.send }, spec)
  })

/** Builds a resource's operations over a {@link Direct} sender, at once. */
export const direct = <Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q extends Query.Spec, Cursor, P, C = never, U = never, E = never, R = never>(
  sender: Direct<E, R>,
  spec: Spec<Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q, Cursor, P, C, U>
): Resource<Row, Detail, Query.Values<Q> & P, Cursor, C, U, E, R> =>
  operations({
    api: sender.api,
    page: (request) => sender.json(request, spec.list.schema),
    one: (request) => sender.json(request, spec.one.schema),
    send: sender.send
  }, spec)

const operations = <Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q extends Query.Spec, Cursor, P, C, U, E, R>(
  readers: Readers<RowBody, OneBody, E, R>,
  spec: Spec<Row, RowBody, RowBodyI, Detail, OneBody, OneBodyI, Q, Cursor, P, C, U>
): Resource<Row, Detail, Query.Values<Q> & P, Cursor, C, U, E, R> => {
  const readPage = readers.page
  const readOne = readers.one
  const sender = readers
  const item = spec.item ?? itemTemplate(spec.path)
  // The one placeholder of the item template is the id (`{id}`, `{serviceName}`, …).
  const idName = /\{([^{}]+)\}/.exec(item)?.[1] ?? "id"
  const build = (parent: Path.Path | undefined): Resource<Row, Detail, Query.Values<Q> & P, Cursor, C, U, E, R> => {
    const at = (path: Path.Path) => (parent === undefined ? path : Path.child(parent, path))
    const collection = at(Path.literal(spec.path))
    const listing = spec.listing === undefined ? collection : at(Path.literal(spec.listing))
    const itemPath = (id: string, tail = ""): Path.Path => {
      const params: Readonly<Record<string, string>> = { [idName]: id }
      const checks: Readonly<Record<string, Path.Check>> = spec.id === undefined ? {} : { [idName]: spec.id }
      const path = Path.make(`${item}${tail}`, params, checks)
      return at(path)
    }
    /** The page at `cursor` of a listing of `q`. */
    const pageAt = (q: Partial<Query.Values<Q> & P>, cursor: Cursor) =>
      Effect.map(
        readPage({
          method: "GET",
          path: listing,
          query: { ...spec.listQuery, ...Query.encode(spec.query, q), ...spec.paging.query(q, cursor) },
          ...(spec.cacheList === false ? { cache: false } : {})
        }),
        (body) => {
          const listed = spec.list.read(body)
          const total = listed.total === undefined ? Option.none() : Option.some(listed.total)
          return Paging.page(listed.items, spec.paging.next(cursor, listed, q), total)
        }
      )
    const list = (given?: Query.Values<Q> & P) => {
      const q: Partial<Query.Values<Q> & P> = given ?? {}
      return pageAt(q, spec.paging.start(q))
    }
    const listAll = (given?: Query.Values<Q> & P) => {
      const q: Partial<Query.Values<Q> & P> = given ?? {}
      const all = { ...q, ...spec.paging.all(q) }
      return Paging.stream(spec.paging.start(all), (at: Cursor) => pageAt(all, at), Paging.stalled(sender.api, "GET", listing.template))
    }
    const write = <In>(how: Write<In> | undefined, method: HttpMethod.HttpMethod, path: (tail: string) => Path.Path, input: In) =>
      how === undefined
        ? Effect.fail(new InvalidInputError({ api: sender.api, parameter: spec.name, message: `a ${spec.name} cannot be written here` }))
        : Effect.map(
          readOne({
            method: how.method ?? method,
            path: path(how.path ?? ""),
            body: how.body(input),
            ...present("query", how.query),
            ...present("accept", how.accept),
            ...present("replaySafe", how.replaySafe)
          }),
          spec.one.read
        )
    return {
      list,
      listAll,
      get: (id) =>
        Effect.map(
          readOne({ method: "GET", path: itemPath(id), ...(spec.cacheDetail === false ? { cache: false } : {}) }),
          spec.one.read
        ),
      create: (input) =>
        write(spec.create, "POST", (tail) => (tail === "" ? collection : Path.child(collection, Path.literal(tail))), input),
      update: (id, input) => write(spec.update, "PUT", (tail) => itemPath(id, tail), input),
      delete: (id) => {
        const how = spec.delete ?? {}
        const sent = Effect.asVoid(sender.send({
          method: how.method ?? "DELETE",
          path: itemPath(id, how.path ?? ""),
          ...present("accept", how.accept)
        }))
        return how.goneIsDone === true ? goneIsDone(sent) : sent
      },
      item: (id) => itemPath(id),
      under: (next) => build(parent === undefined ? next : Path.child(parent, next))
    }
  }
  return build(undefined)
}

/** A request whose target is already gone (404) counts as done. */
export const goneIsDone = <E, R>(effect: Effect.Effect<void, E, R>): Effect.Effect<void, E, R> =>
  Effect.catchIf(effect, (error) => isApiError(error) && error._tag === "NotFoundError", () => Effect.void)

/** A resource that has an id and maybe a name. */
export interface Named {
  readonly id: string
  readonly name?: string | null | undefined
}

/**
 * Looks `idOrName` up: by id; when nothing has that id (or it is no valid id), the one resource of that exact name
 * among what `byName` lists. Several of that name is an error listing their ids, never a guess.
 */
export const byIdOrName = <A extends Named, E = never, R = never>(
  api: string,
  what: string,
  byId: (id: string) => Effect.Effect<A, E | ApiError, R>,
  byName: (name: string) => Effect.Effect<ReadonlyArray<A>, E | ApiError, R>
) =>
(idOrName: string): Effect.Effect<A, E | ApiError, R> =>
  Effect.catchIf(
    byId(idOrName),
    (error): error is NotFoundError | InvalidInputError =>
      isApiError(error) && (error._tag === "NotFoundError" || error._tag === "InvalidInputError"),
    (error) =>
      Effect.flatMap(byName(idOrName), (found): Effect.Effect<A, E | ApiError> => {
        const exact = found.filter((item) => item.name === idOrName)
        const [only] = exact
        if (only !== undefined && exact.length === 1) return Effect.succeed(only)
        if (exact.length > 1) {
          return Effect.fail(
            new InvalidInputError({
              api,
              parameter: what,
              message: `${exact.length} ${what}s are named "${idOrName}" (${exact.map((i) => i.id).join(", ")}): use an id`
            })
          )
        }
        return Effect.fail(
          error._tag === "NotFoundError"
            ? new NotFoundError({
              api: error.api,
              method: error.method,
              url: error.url,
              message: `no ${what} has the id or name "${idOrName}"`,
              ...present("status", error.status),
              ...present("requestId", error.requestId)
            })
            : error
        )
      })
  )
