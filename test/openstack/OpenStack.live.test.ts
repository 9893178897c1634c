/**
 * The Promise facade against the local cloud, as plain Node code uses it: runs when `OS_AUTH_URL` is set.
 */
import { describe, expect, it } from "@effect/vitest"
import { Redacted } from "effect"
import { NotFoundError } from "../../src/core/Errors.js"
import { OpenStack } from "../../src/openstack/OpenStack.js"
import { noCloud } from "../support/Live.js"
import { rejection } from "../support/Rejection.js"

describe("OpenStack (Promise facade) against the local cloud", () => {
  it.skipIf(noCloud)("connects from OS_*, reads, iterates, and rejects with tagged errors", async () => {
    await using os = await OpenStack.fromEnv()
    const flavors = await os.flavors.list()
    expect(flavors.items.length).toBeGreaterThan(0)
    const names: Array<string> = []
    for await (const image of os.images.listAll({ limit: 1 })) names.push(image.name ?? image.id)
    expect(names.length).toBeGreaterThan(0)
    const missing = await rejection(os.images.get("no-such-image-anywhere"))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing).toMatchObject({ _tag: "NotFoundError" })
  })

  it.skipIf(noCloud)("refuses a wrong password at connect, typed, without the password", async () => {
    const os = await OpenStack.fromEnv()
    const options = os.service.options
    await os.close()
    const auth = options.auth.type === "password" ? { ...options.auth, password: Redacted.make("not-the-password") } : options.auth
    const refused = await rejection(OpenStack.connect({ ...options, auth }))
    expect(refused).toMatchObject({ _tag: "AuthenticationError", status: 401 })
    expect(String(refused)).not.toContain("not-the-password")
  })
})
