/** The OpenStack Promise facade from plain Node code: configuration from `OS_*`, and the errors it rejects with. */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ConfigurationError, SessionClosedError } from "../../src/core/Errors.js"
import { OpenStack } from "../../src/openstack/OpenStack.js"
import * as OpenStackTesting from "../../src/openstack/testing/index.js"
import { rejection } from "../support/Rejection.js"

describe("OpenStack (Promise facade)", () => {
  it("with nothing set, rejects with one ConfigurationError naming every missing variable", async () => {
    const error = await rejection(OpenStack.fromEnv({}))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      _tag: "ConfigurationError",
      api: "openstack",
      settings: ["OS_AUTH_URL", "OS_PASSWORD", "OS_USERNAME"],
      sources: ["OS_* environment"]
    })
    expect(error instanceof Error && error.stack).toContain("ConfigurationError")
  })

  it.live("opens from the variables the simulator prints, and refuses work once closed with a SessionClosedError", () =>
    Effect.scoped(Effect.flatMap(OpenStackTesting.serve(), (served) =>
      Effect.promise(async () => {
        const os = await OpenStack.fromEnv(served.env)
        try {
          const image = await os.images.get("cirros-0.6.2-x86_64-disk")
          expect(image.name).toBe("cirros-0.6.2-x86_64-disk")
        } finally {
          await os.close()
        }
        const closed = await rejection(os.flavors.list())
        expect(closed).toBeInstanceOf(SessionClosedError)
        expect(closed).toMatchObject({ api: "openstack" })
      }))))
})
