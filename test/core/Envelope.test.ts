import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { markerOf, nextMarker } from "../../src/core/Envelope.js"

describe("Envelope markers", () => {
  it("takes the marker from Nova's, Neutron's and Glance's next links", () => {
    expect(markerOf("http://127.0.0.1:8774/v2.1/servers/detail?limit=2&marker=4d1a")).toEqual(Option.some("4d1a"))
    expect(markerOf("/v2/images?marker=3b7c&limit=1")).toEqual(Option.some("3b7c"))
    expect(markerOf("http://evil.example/v2/images")).toEqual(Option.none())
  })

  it("reads only the link whose rel is next", () => {
    expect(nextMarker([{ rel: "previous", href: "/x?marker=a" }, { rel: "next", href: "/x?marker=b" }])).toEqual(Option.some("b"))
    expect(nextMarker([{ rel: "previous", href: "/x?marker=a" }])).toEqual(Option.none())
    expect(nextMarker(undefined)).toEqual(Option.none())
  })
})
