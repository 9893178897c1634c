/**
 * Swift through the real client against the simulator (which reads paths and metadata bytes as Swift does).
 */
import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as InProcess from "../../src/core/testing/InProcess.js"
import { make } from "../../src/openstack/Client.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"

const authUrl = "http://openstack.simulator/identity/v3"

const setup = Effect.gen(function*() {
  const sim = yield* OpenStackTesting.make()
  const client = yield* make(OpenStackTesting.clientOptions(sim.credentials, authUrl)).pipe(Effect.provide(InProcess.layer(sim.app)))
  const swiftCalls = Effect.map(sim.journal.entries, (entries) => entries.filter((e) => e.path.startsWith("/object-store/")))
  return { sim, objects: client.objects, swiftCalls }
})

const text = (value: string) => new TextEncoder().encode(value)

describe("Swift container names", () => {
  it.scoped("the simulator reads c%2Fvictim as Swift does: object victim in container c", () =>
    Effect.gen(function*() {
      const { objects, sim } = yield* setup
      yield* objects.createContainer("c")
      yield* objects.put("c", "victim", text("keep me"))
      const [token] = yield* sim.state.tokens
      const response = yield* InProcess.make(sim.app).execute(
        HttpClientRequest.del(`http://openstack.simulator/object-store/v1/AUTH_${sim.credentials.projectId}/c%2Fvictim`).pipe(
          HttpClientRequest.setHeader("x-auth-token", token?.value ?? "")
        )
      )
      expect(response.status).toBe(204)
      expect((yield* sim.state.containers).map((c) => [c.name, c.objects.length])).toEqual([["c", 0]])
    }))

  it.scoped.each([
    ["c/victim", "c/victim"],
    ["c/", "c/"],
    ["/victim", "/victim"],
    ["of 257 bytes", "a".repeat(257)],
    ["of 258 bytes of UTF-8 (129 × é)", "é".repeat(129)]
  ] as const)(
    "refuses the container name %s before sending, with an InvalidInputError naming container",
    ([, name]) =>
      Effect.gen(function*() {
        const { objects, sim, swiftCalls } = yield* setup
        yield* objects.createContainer("c")
        yield* objects.put("c", "victim", text("keep me"))
        const before = (yield* swiftCalls).length
        const refusals = [
          yield* Effect.flip(objects.deleteContainer(name)),
          yield* Effect.flip(objects.createContainer(name)),
          yield* Effect.flip(objects.list(name)),
          yield* Effect.flip(objects.put(name, "x", text("x"))),
          yield* Effect.flip(objects.head(name, "x")),
          yield* Effect.flip(objects.get(name, "x")),
          yield* Effect.flip(objects.delete(name, "x"))
        ]
        for (const error of refusals) expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: "container" })
        expect((yield* swiftCalls).length).toBe(before)
        const [c] = yield* sim.state.containers
        expect(c?.objects.map((o) => o.name)).toEqual(["victim"])
      }))

  it.scoped("takes a container name of 256 bytes, and object names with slashes", () =>
    Effect.gen(function*() {
      const { objects } = yield* setup
      const longest = "é".repeat(128)
      yield* objects.createContainer(longest)
      yield* objects.put(longest, "a/b/c.txt", text("deep"))
      expect(new TextDecoder().decode(yield* objects.getBytes(longest, "a/b/c.txt"))).toBe("deep")
      yield* objects.delete(longest, "a/b/c.txt")
      yield* objects.deleteContainer(longest)
    }))
})

describe("Swift metadata", () => {
  it.scoped("sends values as UTF-8 bytes, as python-swiftclient does, and reads them back decoded", () =>
    Effect.gen(function*() {
      const { objects, sim, swiftCalls } = yield* setup
      yield* objects.createContainer("c")
      yield* objects.put("c", "note.txt", text("hi"), { metadata: { Name: "Zoë ✓", Plain: "ascii", Emoji: "😀" } })
      const put = (yield* swiftCalls).find((e) => e.method === "PUT" && e.path.endsWith("/note.txt"))
      expect(put?.headers["x-object-meta-name"]).toBe("Zo\u00c3\u00ab \u00e2\u009c\u0093")
      const [stored] = (yield* sim.state.containers)[0]?.objects ?? []
      expect(stored?.metadata["name"]).toBe("Zo\u00c3\u00ab \u00e2\u009c\u0093")
      const head = yield* objects.head("c", "note.txt")
      expect(head.metadata).toEqual({ name: "Zoë ✓", plain: "ascii", emoji: "😀" })
      expect(head).toMatchObject({ contentLength: 2, etag: stored?.etag })
      expect((yield* objects.get("c", "note.txt")).metadata).toEqual({ name: "Zoë ✓", plain: "ascii", emoji: "😀" })
    }))

  it.scoped.each([
    ["Name", "a\r\nX-Evil: 1"],
    ["Name", "a\nb"],
    ["Name", "a\u0000b"],
    ["Name", "a\ud800b"],
    ["Bad Name", "v"],
    ["Bad:Name", "v"],
    ["", "v"]
  ] as const)("refuses metadata %j before sending, naming the metadata", ([name, value]) =>
    Effect.gen(function*() {
      const { objects, swiftCalls } = yield* setup
      yield* objects.createContainer("c")
      const before = (yield* swiftCalls).length
      const error = yield* Effect.flip(objects.put("c", "x", text("x"), { metadata: { Ok: "fine", [name]: value } }))
      expect(error).toMatchObject({ _tag: "InvalidInputError", parameter: `metadata.${name}` })
      expect(error.message).toContain(`X-Object-Meta-${name}`)
      expect((yield* swiftCalls).length).toBe(before)
    }))
})
