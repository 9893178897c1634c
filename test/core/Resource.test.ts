import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Option, Schema, Stream } from "effect"
import * as Envelope from "../../src/core/Envelope.js"
import { NotFoundError } from "../../src/core/Errors.js"
import * as Path from "../../src/core/Path.js"
import * as Query from "../../src/core/Query.js"
import * as Resource from "../../src/core/Resource.js"
import * as ResponseCache from "../../src/core/ResponseCache.js"
import { engine } from "../support/RestEngine.js"

const Port = Schema.Struct({ id: Schema.String, name: Schema.String })

const ports = {
  name: "port",
  path: "ports",
  list: Envelope.keyed("ports", Port),
  one: Envelope.wrapped("port", Port),
  query: { name: Query.string("name"), up: Query.boolean("admin_state_up"), ids: Query.list("id"), since: Query.date("changes.since") },
  paging: Resource.marker,
  create: { body: (input: { readonly name: string }) => ({ port: input }), accept: [201] },
  update: { body: (input: { readonly name: string }) => ({ port: input }) },
  delete: { goneIsDone: true }
} as const

const path = (url: string) => new URL(url).pathname + new URL(url).search

describe("Resource", () => {
  it.effect("lists one page with the declared query, and the next marker from the body's links", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{
        status: 200,
        body: { ports: [{ id: "p1", name: "a" }], ports_links: [{ rel: "next", href: "http://x/v2.0/ports?marker=p1&limit=1" }] }
      }])
      const r = yield* Resource.make(Resource.engine(rest), ports)
      const page = yield* r.list({ name: "a", up: true, ids: ["p1", "p2"], since: new Date(0), limit: 1 })
      expect(page.items).toEqual([{ id: "p1", name: "a" }])
      expect(page.next).toEqual(Option.some("p1"))
      expect((yield* sent).map((s) => path(s.url))).toEqual([
        "/v1/ports?admin_state_up=true&changes.since=1970-01-01T00%3A00%3A00.000Z&id=p1&id=p2&limit=1&name=a"
      ])
    }))

  it.effect("streams every page by marker, and fails a listing whose next marker repeats", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine((s) =>
        s.url.includes("marker=p2")
          ? { status: 200, body: { ports: [{ id: "p3", name: "c" }] } }
          : s.url.includes("marker=p1")
          ? { status: 200, body: { ports: [{ id: "p2", name: "b" }], ports_links: [{ rel: "next", href: "/ports?marker=p2" }] } }
          : { status: 200, body: { ports: [{ id: "p1", name: "a" }], ports_links: [{ rel: "next", href: "/ports?marker=p1" }] } }
      )
      const r = yield* Resource.make(Resource.engine(rest), ports)
      const all = yield* Stream.runCollect(r.listAll())
      expect(Chunk.toReadonlyArray(all).map((p) => p.id)).toEqual(["p1", "p2", "p3"])
      expect((yield* sent).length).toBe(3)

      const stuck = yield* engine([{ status: 200, body: { ports: [{ id: "p1", name: "a" }], ports_links: [{ rel: "next", href: "/ports?marker=p1" }] } }])
      const again = yield* Resource.make(Resource.engine(stuck.rest), ports)
      const error = yield* Effect.flip(Stream.runDrain(again.listAll()))
      expect(error).toMatchObject({ _tag: "DecodeError", api: "test", method: "GET", url: "ports" })
      expect((yield* stuck.sent).length).toBe(2)
    }))

  it.effect("pages a bare array after its last row's key, with the listing's fixed query; a short or empty page is the last", () =>
    Effect.gen(function*() {
      const names = ["a", "b", "c", "d", "e"]
      const { rest, sent } = yield* engine((s) => {
        const q = new URL(s.url).searchParams
        const after = q.get("marker")
        const rows = names.filter((n) => after === null || n > after).slice(0, Number(q.get("limit") ?? 100))
        return { status: 200, body: rows.map((name) => ({ id: name, name })) }
      })
      const objects = {
        name: "object",
        path: "",
        list: Envelope.array(Port, (row) => row.name),
        one: Envelope.bare(Port),
        query: { prefix: Query.string("prefix") },
        listQuery: { format: "json" },
        paging: Resource.afterLast
      } as const
      const r = yield* Resource.make(Resource.engine(rest), objects)
      const page = yield* r.list({ limit: 2, prefix: "" })
      expect(page.items.map((p) => p.name)).toEqual(["a", "b"])
      expect(page.next).toEqual(Option.some("b"))
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(r.listAll({ limit: 2 }))).map((p) => p.name)).toEqual(names)
      // Pages of 2, 2 and 1: the short third page ends the listing without a fourth request.
      expect((yield* sent).slice(1).map((s) => path(s.url))).toEqual(["/v1/?format=json&limit=2", "/v1/?format=json&limit=2&marker=b", "/v1/?format=json&limit=2&marker=d"])
      expect(path((yield* sent)[0]?.url ?? "")).toBe("/v1/?format=json&limit=2&prefix=")
      expect((yield* r.list({ marker: "e" })).next).toEqual(Option.none())
    }))

  it.effect("gets, creates, updates and deletes through the item path; a delete of a gone item counts as done", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine((s) =>
        s.method === "DELETE" ? { status: 404, body: { error: "gone" } } : { status: s.method === "POST" ? 201 : 200, body: { port: { id: "p1", name: "a" } } }
      )
      const r = yield* Resource.make(Resource.engine(rest), ports)
      expect(yield* r.get("p1")).toEqual({ id: "p1", name: "a" })
      expect(yield* r.create({ name: "a" })).toEqual({ id: "p1", name: "a" })
      expect(yield* r.update("p1", { name: "a" })).toEqual({ id: "p1", name: "a" })
      yield* r.delete("p1")
      const requests = yield* sent
      expect(requests.map((s) => `${s.method} ${path(s.url)}`)).toEqual(["GET /v1/ports/p1", "POST /v1/ports", "PUT /v1/ports/p1", "DELETE /v1/ports/p1"])
      expect(requests[1]?.body).toBe(JSON.stringify({ port: { name: "a" } }))
      const refused = yield* Effect.flip(r.get(".."))
      expect(refused).toMatchObject({ _tag: "InvalidInputError", parameter: "id" })
    }))

  it.effect("lists at its own listing path when it has one, and creates and reads at the collection", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine((s) =>
        s.method === "GET" && s.url.includes("/detail")
          ? { status: 200, body: { ports: [{ id: "p1", name: "a" }], ports_links: [{ rel: "next", href: "/ports/detail?marker=p1" }] } }
          : { status: s.method === "POST" ? 202 : 200, body: { port: { id: "p1", name: "a" } } }
      )
      const r = yield* Resource.make(Resource.engine(rest), { ...ports, listing: "ports/detail", item: "ports/{id}" })
      expect((yield* r.list({ limit: 1 })).next).toEqual(Option.some("p1"))
      yield* r.create({ name: "a" })
      yield* r.get("p1")
      expect((yield* sent).map((s) => `${s.method} ${path(s.url)}`)).toEqual(["GET /v1/ports/detail?limit=1", "POST /v1/ports", "GET /v1/ports/p1"])
      const error = yield* Effect.flip(Stream.runDrain(r.listAll()))
      expect(error).toMatchObject({ _tag: "DecodeError", method: "GET", url: "ports/detail" })
    }))

  it.effect("fails a delete of a gone item unless the description says it counts as done", () =>
    Effect.gen(function*() {
      const { rest } = yield* engine([{ status: 404, body: { error: "gone" } }])
      const r = yield* Resource.make(Resource.engine(rest), { ...ports, delete: {} })
      expect(yield* Effect.flip(r.delete("p1"))).toMatchObject({ _tag: "NotFoundError" })
    }))

  it.effect("serves a repeated get from the cache", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 200, body: { port: { id: "p1", name: "a" } } }], {}, ResponseCache.layerMemory({ timeToLive: "1 minute" }))
      const r = yield* Resource.make(Resource.engine(rest), ports)
      yield* r.get("p1")
      yield* r.get("p1")
      expect((yield* sent).length).toBe(1)
    }))

  it.effect("reads listings and details past the cache where the description says so", () =>
    Effect.gen(function*() {
      const listing = { status: 200, body: { ports: [{ id: "p1", name: "a" }] } }
      const detail = { status: 200, body: { port: { id: "p1", name: "a" } } }
      const { rest, sent } = yield* engine([listing, listing, detail, detail, listing], {}, ResponseCache.layerMemory({ timeToLive: "1 minute" }))
      const cached = yield* Resource.make(Resource.engine(rest), ports)
      const live = yield* Resource.make(Resource.engine(rest), { ...ports, name: "live port", cacheList: false, cacheDetail: false })
      yield* live.list()
      yield* live.list()
      yield* live.get("p1")
      yield* live.get("p1")
      expect((yield* sent).length).toBe(4)
      yield* cached.list()
      yield* cached.list()
      expect((yield* sent).length).toBe(5)
    }))

  it.effect("pages by offset within the body's total, with an API's id rule and bare bodies", () =>
    Effect.gen(function*() {
      const rows = Array.from({ length: 5 }, (_, i) => ({ id: `d${i}`, name: `n${i}` }))
      const { rest, sent } = yield* engine((s) => {
        const offset = Number(new URL(s.url).searchParams.get("offset") ?? "0")
        return { status: 200, body: { count: 5, next: offset + 2 < 5 ? "more" : null, results: rows.slice(offset, offset + 2) } }
      })
      const r = yield* Resource.make(Resource.engine(rest), {
        name: "domain",
        path: "domains/",
        id: (v) => (v.startsWith("d") ? undefined : "id must start with d"),
        list: Envelope.results(Port),
        one: Envelope.bare(Port),
        query: { fields: Query.list("fields", "comma"), on: Query.boolean("on", "digit") },
        paging: Resource.offset(2)
      })
      const page = yield* r.list({ fields: ["id", "name"], on: false, limit: 2 })
      expect(page.total).toEqual(Option.some(5))
      expect(page.next).toEqual(Option.some(2))
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(r.listAll()))).toEqual(rows)
      const urls = (yield* sent).map((s) => path(s.url))
      expect(urls[0]).toBe("/v1/domains/?fields=id%2Cname&limit=2&on=0")
      expect(urls.slice(1)).toEqual(["/v1/domains/?limit=2&offset=0", "/v1/domains/?limit=2&offset=2", "/v1/domains/?limit=2&offset=4"])
      expect(yield* Effect.flip(r.get("x1"))).toMatchObject({ _tag: "InvalidInputError", message: expect.stringContaining("id must start with d") })
    }))

  it.effect("lives under a parent item as a child resource, the template kept for spans", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine([{ status: 200, body: ["r1"] }])
      const r = yield* Resource.make(Resource.engine(rest), {
        name: "redirection",
        path: "redirection",
        list: Envelope.array(Schema.String),
        one: Envelope.bare(Port),
        query: { from: Query.string("from") },
        paging: Resource.single
      })
      const child = r.under(Path.make("email/domain/{domain}", { domain: "a b.fr" }))
      const page = yield* child.list({ from: "x@a.fr" })
      expect(page.items).toEqual(["r1"])
      expect(page.next).toEqual(Option.none())
      expect((yield* sent).map((s) => path(s.url))).toEqual(["/v1/email/domain/a%20b.fr/redirection?from=x%40a.fr"])
      expect(child.item("r1").template).toBe("email/domain/{domain}/redirection/{id}")
      expect(child.item("r1").rendered).toEqual(Either.right("email/domain/a%20b.fr/redirection/r1"))
    }))

  it.effect("follows a next link's query on its own path, never the link's host; pages by number", () =>
    Effect.gen(function*() {
      const { rest, sent } = yield* engine((s) =>
        s.url.includes("page=3")
          ? { status: 200, body: { ports: [] } }
          : s.url.includes("page=2") || s.url.includes("cursor=")
          ? { status: 200, body: { ports: [{ id: "p2", name: "b" }] } }
          : { status: 200, body: { ports: [{ id: "p1", name: "a" }], next: "http://elsewhere.test/ports?cursor=c1&limit=1" } }
      )
      const linked = yield* Resource.make(Resource.engine(rest), {
        ...ports,
        list: {
          schema: Schema.Struct({ ports: Schema.Array(Port), next: Schema.optional(Schema.String) }),
          read: (body: { readonly ports: ReadonlyArray<typeof Port.Type>; readonly next?: string | undefined }) => ({ items: body.ports, next: body.next })
        },
        paging: Resource.link
      })
      expect(Chunk.size(yield* Stream.runCollect(linked.listAll({ limit: 1 })))).toBe(2)
      const numbered = yield* Resource.make(Resource.engine(rest), { ...ports, list: Envelope.keyed("ports", Port), paging: Resource.page(1) })
      expect(Chunk.size(yield* Stream.runCollect(numbered.listAll()))).toBe(2)
      expect((yield* sent).map((s) => path(s.url))).toEqual([
        "/v1/ports?limit=1",
        "/v1/ports?cursor=c1&limit=1",
        "/v1/ports?page=1&per_page=1",
        "/v1/ports?page=2&per_page=1",
        "/v1/ports?page=3&per_page=1"
      ])
    }))

  it.effect("looks an item up by id, then by its one exact name", () =>
    Effect.gen(function*() {
      const find = Resource.byIdOrName<{ readonly id: string; readonly name: string }>(
        "test",
        "port",
        (id) => Effect.fail(new NotFoundError({ api: "test", method: "GET", url: `ports/${id}`, message: "no such port" })),
        () => Effect.succeed([{ id: "p1", name: "a" }, { id: "p2", name: "b" }, { id: "p3", name: "b" }])
      )
      expect(yield* find("a")).toEqual({ id: "p1", name: "a" })
      expect(yield* Effect.flip(find("b"))).toMatchObject({ _tag: "InvalidInputError", message: expect.stringContaining("p2, p3") })
      expect(yield* Effect.flip(find("c"))).toMatchObject({ _tag: "NotFoundError", message: 'no port has the id or name "c"' })
    }))
})
