/**
 * Swift against the local cloud: runs when `OS_AUTH_URL` is set, skips otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import * as NodeTransport from "../../src/core/NodeTransport.js"
import { make } from "../../src/openstack/Client.js"
import { fromEnv } from "../../src/openstack/Config.js"
import { noCloud } from "../support/Live.js"

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
})
