/**
 * Swift against the local cloud: runs when `OS_AUTH_URL` is set, skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import * as NodeTransport from "../../src/node/NodeTransport.js"
import { make } from "../../src/openstack/Client.js"
import { fromEnv } from "../../src/openstack/Config.js"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { noCloud } from "../support/Live.js"

/** python-swiftclient's CLI (Debian's python3-swiftclient), when installed. */
const swiftCli = "/usr/bin/swift"

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe("Swift against the local cloud", () => {
  it.live.skipIf(noCloud)("stores bytes and streams, lists pseudo-directories, reads back, and cleans up", () =>
    Effect.gen(function*() {
      const { objects } = yield* Effect.flatMap(fromEnv, make)
      const container = `live-${Date.now()}`
      yield* objects.createContainer(container)
      const etag = yield* objects.put(container, "notes/hello.txt", new TextEncoder().encode("hello, swift"), { contentType: "text/plain" })
      expect(etag).toMatch(/^[0-9a-f]{32}$/)
      const parts = Stream.fromIterable(["streamed ", "in ", "three parts"]).pipe(Stream.map((s) => new TextEncoder().encode(s)))
      yield* objects.put(container, "notes/2024/big file.txt", parts, { contentType: "text/plain" })
      expect(text(yield* objects.getBytes(container, "notes/hello.txt"))).toBe("hello, swift")
      const download = yield* objects.get(container, "notes/2024/big file.txt")
      expect(download.headers["content-type"]).toContain("text/plain")
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(download.body)).map(text).join("")).toBe("streamed in three parts")
      const top = yield* objects.list(container, { prefix: "notes/", delimiter: "/" })
      expect(top.items.map((row) => ("subdir" in row ? `dir:${row.subdir}` : row.name))).toEqual(["dir:notes/2024/", "notes/hello.txt"])
      const every = Chunk.toReadonlyArray(yield* Stream.runCollect(objects.listAll(container, { limit: 1 })))
      expect(every.length).toBe(2)
      expect((yield* Effect.flip(objects.deleteContainer(container)))._tag).toBe("ConflictError")
      yield* objects.delete(container, "notes/hello.txt")
      yield* objects.delete(container, "notes/2024/big file.txt")
      yield* objects.delete(container, "notes/2024/big file.txt")
      yield* objects.deleteContainer(container)
      expect((yield* Effect.flip(objects.get(container, "notes/hello.txt")))._tag).toBe("NotFoundError")
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("refuses a container name with / before sending: the object it would have named stays", () =>
    Effect.gen(function*() {
      const { objects } = yield* Effect.flatMap(fromEnv, make)
      const container = `live-slash-${Date.now()}`
      yield* objects.createContainer(container)
      yield* objects.put(container, "victim", new TextEncoder().encode("keep me"))
      expect(yield* Effect.flip(objects.deleteContainer(`${container}/victim`))).toMatchObject({ _tag: "InvalidInputError", parameter: "container" })
      expect(yield* Effect.flip(objects.list(`${container}/victim`))).toMatchObject({ _tag: "InvalidInputError", parameter: "container" })
      expect(text(yield* objects.getBytes(container, "victim"))).toBe("keep me")
      yield* objects.delete(container, "victim")
      yield* objects.deleteContainer(container)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())))

  it.live.skipIf(noCloud)("round-trips metadata beyond Latin-1, stored as the UTF-8 bytes python-swiftclient sends", () =>
    Effect.gen(function*() {
      const { objects } = yield* Effect.flatMap(fromEnv, make)
      const container = `live-meta-${Date.now()}`
      yield* objects.createContainer(container)
      const metadata = { Name: "Zoë ✓", Emoji: "😀 ok", Plain: "ascii" }
      yield* objects.put(container, "note.txt", new TextEncoder().encode("hi"), { contentType: "text/plain", metadata })
      const head = yield* objects.head(container, "note.txt")
      expect(head.metadata).toEqual({ name: "Zoë ✓", emoji: "😀 ok", plain: "ascii" })
      expect(head).toMatchObject({ contentLength: 2, contentType: expect.stringContaining("text/plain") })
      const download = yield* objects.get(container, "note.txt")
      expect(download.metadata).toEqual(head.metadata)
      // On the wire, and as Swift keeps it: the UTF-8 bytes, one character per byte.
      expect(download.headers["x-object-meta-name"]).toBe("Zo\u00c3\u00ab \u00e2\u009c\u0093")
      yield* Stream.runDrain(download.body)
      // python-swiftclient (the `swift` CLI) reads what this client wrote, and writes what it reads.
      if (existsSync(swiftCli)) {
        const stat = execFileSync(swiftCli, ["stat", container, "note.txt"], { encoding: "utf8" })
        expect(stat).toMatch(/Meta Name: Zoë ✓/)
        execFileSync(swiftCli, ["post", container, "note.txt", "-m", "Name:Ünïcødé ✓"], { encoding: "utf8" })
        expect((yield* objects.head(container, "note.txt")).metadata).toEqual({ name: "Ünïcødé ✓" })
      }
      yield* objects.delete(container, "note.txt")
      yield* objects.deleteContainer(container)
    }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer())), 120_000)
})
