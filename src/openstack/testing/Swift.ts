/**
 * The simulator's Swift under `/object-store/v1/AUTH_<project id>`: account listing (JSON with `format=json`,
 * plain text otherwise, `limit`/`marker`/`prefix`), containers (`PUT` 201/202, `GET` listing, `HEAD`, `DELETE` with
 * 409 when not empty) and objects (`PUT` with `ETag`, `GET`, `HEAD`, `DELETE`), bodies kept in memory.
 *
 * Paths are read as Swift's proxy reads them: decoded whole, then split, so `c%2Fx` names object `x` in container
 * `c`. Metadata values are kept as the bytes their header carried (one character per byte) and answered as they
 * are, as Swift does: a client that sends UTF-8 reads UTF-8 back.
 *
 * Bodies are read as text (the journal reads every body as text first), so binary objects that are not UTF-8 are
 * not kept byte for byte.
 *
 * @since 0.1.0
 */
import { HttpServerResponse } from "@effect/platform"
import { Effect, Either } from "effect"
import { createHash } from "node:crypto"
import { type SimError, simError } from "./Errors.js"
import { empty, json } from "../../core/testing/Http.js"
import { type Ctx, current, type Env, type Handler, transact } from "./Http.js"
import type { ContainerRecord, ObjectRecord, SimState } from "./State.js"

const lastModified = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, "000").replace(/\.(\d{6})\d*$/, ".$1")

const httpDate = (ms: number): string => new Date(ms).toUTCString()

const listed = <A extends { readonly name: string }>(ctx: Ctx, items: ReadonlyArray<A>): ReadonlyArray<A> => {
  const marker = ctx.query.get("marker")
  const endMarker = ctx.query.get("end_marker")
  const prefix = ctx.query.get("prefix") ?? ""
  const limit = Math.min(Number(ctx.query.get("limit") ?? "10000") || 10000, 10000)
  const sorted = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return sorted
    .filter((i) => i.name.startsWith(prefix))
    .filter((i) => marker === null || i.name > marker)
    .filter((i) => endMarker === null || i.name < endMarker)
    .slice(0, limit)
}

const answerListing = <A extends { readonly name: string }>(
  ctx: Ctx,
  rows: ReadonlyArray<A>,
  render: (row: A) => unknown,
  headers: Record<string, string>
) => {
  const format = ctx.query.get("format")
  if (format === "json") return json(rows.map(render), 200, headers)
  if (rows.length === 0) return empty(204, headers)
  return HttpServerResponse.text(rows.map((r) => `${r.name}\n`).join(""), {
    status: 200,
    contentType: "text/plain; charset=utf-8",
    headers
  })
}

const notFound = simError(404, "Not Found")

const findContainer = (state: SimState, account: string, name: string): Either.Either<ContainerRecord, SimError> => {
  const found = state.containers.find((c) => c.account === account && c.name === name)
  return found === undefined ? Either.left(notFound) : Either.right(found)
}

const bytesOf = (c: ContainerRecord): number => c.objects.reduce((sum, o) => sum + o.data.length, 0)

const containerHeaders = (c: ContainerRecord): Record<string, string> => ({
  "x-container-object-count": String(c.objects.length),
  "x-container-bytes-used": String(bytesOf(c)),
  "x-timestamp": (c.createdAt / 1000).toFixed(5)
})

const accountHeaders = (containers: ReadonlyArray<ContainerRecord>): Record<string, string> => ({
  "x-account-container-count": String(containers.length),
  "x-account-object-count": String(containers.reduce((n, c) => n + c.objects.length, 0)),
  "x-account-bytes-used": String(containers.reduce((n, c) => n + bytesOf(c), 0))
})

const objectHeaders = (o: ObjectRecord): Record<string, string> => ({
  etag: o.etag,
  "last-modified": httpDate(o.lastModified),
  "x-timestamp": (o.lastModified / 1000).toFixed(5),
  ...Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-object-meta-${k}`, v]))
})

const updateContainer = (state: SimState, container: ContainerRecord): SimState => ({
  ...state,
  containers: state.containers.map((c) => (c.account === container.account && c.name === container.name ? container : c))
})

const account = (env: Env, ctx: Ctx, name: string) =>
  Effect.gen(function*() {
    const state = yield* current(env)
    const containers = state.containers.filter((c) => c.account === name)
    const headers = accountHeaders(containers)
    if (ctx.method === "HEAD") return empty(204, headers)
    if (ctx.method !== "GET") return yield* Effect.fail(simError(405, "Method Not Allowed"))
    return answerListing(ctx, listed(ctx, containers), (c) => ({
      name: c.name,
      count: c.objects.length,
      bytes: bytesOf(c),
      last_modified: lastModified(c.createdAt)
    }), headers)
  })

const container = (env: Env, ctx: Ctx, accountName: string, name: string) =>
  Effect.gen(function*() {
    switch (ctx.method) {
      case "PUT": {
        const created = yield* transact(env, (state) =>
          Either.right(
            state.containers.some((c) => c.account === accountName && c.name === name)
              ? [false, state] as const
              : [true, {
                ...state,
                containers: [...state.containers, { account: accountName, name, createdAt: ctx.now, objects: [] }]
              }] as const
          ))
        return empty(created ? 201 : 202)
      }
      case "GET":
      case "HEAD": {
        const found = yield* findContainer(yield* current(env), accountName, name)
        if (ctx.method === "HEAD") return empty(204, containerHeaders(found))
        return answerListing(ctx, listed(ctx, found.objects), (o) => ({
          name: o.name,
          hash: o.etag,
          bytes: o.data.length,
          content_type: o.contentType,
          last_modified: lastModified(o.lastModified)
        }), containerHeaders(found))
      }
      case "DELETE": {
        yield* transact(env, (state) =>
          Either.flatMap(findContainer(state, accountName, name), (found) =>
            found.objects.length > 0
              ? Either.left(simError(409, "Conflict"))
              : Either.right([undefined, {
                ...state,
                containers: state.containers.filter((c) => !(c.account === accountName && c.name === name))
              }] as const)))
        return empty(204)
      }
    }
    return yield* Effect.fail(simError(405, "Method Not Allowed"))
  })

const object = (env: Env, ctx: Ctx, accountName: string, containerName: string, name: string) =>
  Effect.gen(function*() {
    switch (ctx.method) {
      case "PUT": {
        const data = new TextEncoder().encode(yield* ctx.text)
        const etag = createHash("md5").update(data).digest("hex")
        const metadata = Object.fromEntries(
          Object.entries(ctx.headers).flatMap(([k, v]) =>
            k.startsWith("x-object-meta-") && v !== undefined ? [[k.slice("x-object-meta-".length), v]] : []
          )
        )
        const made: ObjectRecord = {
          name,
          data,
          contentType: ctx.headers["content-type"] ?? "application/octet-stream",
          etag,
          lastModified: ctx.now,
          metadata
        }
        yield* transact(env, (state) =>
          Either.map(findContainer(state, accountName, containerName), (found) =>
            [undefined, updateContainer(state, {
              ...found,
              objects: [...found.objects.filter((o) => o.name !== name), made]
            })] as const))
        return empty(201, { etag, "last-modified": httpDate(ctx.now) })
      }
      case "GET":
      case "HEAD": {
        const found = yield* findContainer(yield* current(env), accountName, containerName)
        const item = found.objects.find((o) => o.name === name)
        if (item === undefined) return yield* Effect.fail(notFound)
        if (ctx.method === "HEAD") {
          return empty(200, { ...objectHeaders(item), "content-type": item.contentType, "content-length": String(item.data.length) })
        }
        return HttpServerResponse.uint8Array(item.data, {
          status: 200,
          contentType: item.contentType,
          headers: objectHeaders(item)
        })
      }
      case "DELETE": {
        yield* transact(env, (state) =>
          Either.flatMap(findContainer(state, accountName, containerName), (found) =>
            found.objects.some((o) => o.name === name)
              ? Either.right([undefined, updateContainer(state, {
                ...found,
                objects: found.objects.filter((o) => o.name !== name)
              })] as const)
              : Either.left(notFound)))
        return empty(204)
      }
    }
    return yield* Effect.fail(simError(405, "Method Not Allowed"))
  })

/**
 * Swift's handler (paths under `/object-store`). A token may only use its own project's account (403 otherwise).
 *
 * @since 0.1.0
 */
export const swift = (env: Env): Handler => (ctx) =>
  Effect.gen(function*() {
    const [version, accountName, containerName, objectName] = yield* splitPath(ctx)
    if (version === "info" && accountName === undefined) {
      return json({ swift: { version: "2.30.1", container_listing_limit: 10000, max_file_size: 5368709122 } })
    }
    if (version !== "v1" || accountName === undefined) return yield* Effect.fail(notFound)
    const token = yield* ctx.token
    if (accountName !== `AUTH_${token.projectId ?? ""}`) return yield* Effect.fail(simError(403, "Forbidden"))
    if (containerName === undefined) return yield* account(env, ctx, accountName)
    if (objectName === undefined) return yield* container(env, ctx, accountName, containerName)
    return yield* object(env, ctx, accountName, containerName, objectName)
  })

/**
 * Version, account, container and object name, as Swift's proxy reads them: it decodes the whole path first, then
 * splits it (`split_path(unquote(path), 1, 4, True)`), so `c%2Fx` is container `c` and object `x`, and the object name
 * is the rest, slashes included. A path that is not UTF-8 once decoded is a 412, as Swift answers.
 */
const splitPath = (ctx: Ctx): Effect.Effect<ReadonlyArray<string | undefined>, SimError> => {
  const raw = ctx.url.pathname.replace(/^\/object-store(?=\/|$)/, "")
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return Effect.fail(simError(412, "Invalid UTF8 or contains NULL"))
  }
  if (decoded.includes("\u0000")) return Effect.fail(simError(412, "Invalid UTF8 or contains NULL"))
  const [version, accountName, containerName, ...rest] = decoded.replace(/^\//, "").split("/")
  const objectName = rest.join("/")
  return Effect.succeed([version, accountName, containerName, objectName].map((part) => (part === "" ? undefined : part)))
}
