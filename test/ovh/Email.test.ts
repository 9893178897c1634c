import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Email from "../../src/ovh/Email.js"
import * as OvhScripted from "../support/OvhScripted.js"

// Bodies follow the schema's `email.domain.*` models (no recorded ones with clear provenance exist).
const task = { account: "sales", action: "add", date: "2024-01-01T10:00:00+01:00", domain: "example.com", id: "123456", type: "forward" }
const redirection = { from: "sales@example.com", id: "7391", to: "contact@example.com" }

describe("OVH mail redirections", () => {
  it.effect("creates a redirection with the three fields as the JSON body, and decodes the task", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(
        () => task,
        Email.createRedirection("example.com", { from: "sales@example.com", to: "contact@example.com", localCopy: false })
      )
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({ method: "POST", url: "http://ovh.test/1.0/email/domain/example.com/redirection" })
      expect(sent[1]?.body).toBe(JSON.stringify({ from: "sales@example.com", to: "contact@example.com", localCopy: false }))
      expect(value).toMatchObject({ id: "123456", action: "add", type: "forward", account: "sales" })
      expect(value.date.toISOString()).toBe("2024-01-01T09:00:00.000Z")
    }))

  it.effect("lists redirection ids, filtered by from and to", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(() => ["7391"], Email.redirections("example.com", { from: "sales@example.com", to: "contact@example.com" }))
      expect(value).toEqual(["7391"])
      const sent = yield* http.sent
      expect(sent[1]).toMatchObject({
        method: "GET",
        url: "http://ovh.test/1.0/email/domain/example.com/redirection?from=sales%40example.com&to=contact%40example.com"
      })
    }))

  it.effect("reads one redirection, deletes it, and reads the task", () =>
    Effect.gen(function*() {
      const { value, http } = yield* OvhScripted.run(
        (path, sent) => (sent.method === "GET" && path.endsWith("/redirection/7391") ? redirection : { ...task, action: "delete" }),
        Effect.all([
          Email.redirection("example.com", "7391"),
          Email.deleteRedirection("example.com", "7391"),
          Email.redirectionTask("example.com", "123456")
        ])
      )
      const [read, deleting, followed] = value
      expect(read).toEqual(redirection)
      expect(deleting).toMatchObject({ id: "123456", action: "delete" })
      expect(followed).toEqual(deleting)
      const sent = (yield* http.sent).slice(1).map((s) => `${s.method} ${s.url}`)
      expect(sent).toEqual([
        "GET http://ovh.test/1.0/email/domain/example.com/redirection/7391",
        "DELETE http://ovh.test/1.0/email/domain/example.com/redirection/7391",
        "GET http://ovh.test/1.0/email/domain/example.com/task/redirection/123456"
      ])
    }))

  it.effect("a task without its action is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { action: _, ...withoutAction } = task
      const error = yield* Effect.flip(OvhScripted.run(() => withoutAction, Email.deleteRedirection("example.com", "7391")))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("action")
    }))
})
