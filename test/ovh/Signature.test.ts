import { describe, expect, it } from "@effect/vitest"
import ovh from "ovh"
import { Redacted } from "effect"
import { target } from "../../src/ovh/Endpoints.js"
import { sign } from "../../src/ovh/Signature.js"

const AS = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
const CK = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
const AK = "TDPKJdwZwAQPwKX2"
const at = 1457018875
const base = "https://eu.api.ovh.com/1.0"

const vectors = [
  ["GET", "/auth", "", "$1$e9556054b6309771395efa467c22e627407461ad"],
  ["POST", "/auth", '{"a":"b","c":"d"}', "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"],
  ["PUT", "/auth", '{"a":"b","c":"d"}', "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"],
  ["DELETE", "/auth", "", "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"],
  ["GET", "/authTO", "", "$1$1f0958be70f095ddaba525778a9ac1dcffac89f3"],
  ["GET", "/call", "", "$1$7f2db49253edfc41891023fcd1a54cf61db05fbb"],
  ["GET", "/v1/call", "", "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad"],
  ["GET", "/v2/call", "", "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285"]
] as const

describe("OVH signature", () => {
  it.each(vectors)("%s %s matches the reference vector", (method, path, body, expected) => {
    const url = target(base, path)
    expect(sign({ applicationSecret: Redacted.make(AS), consumerKey: Redacted.make(CK), method, url, body, timestamp: at })).toBe(expected)
  })

  it("matches the documentation's example", () => {
    expect(sign({
      applicationSecret: Redacted.make("EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF"),
      consumerKey: Redacted.make("MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1"),
      method: "GET",
      url: "https://eu.api.ovh.com/1.0/domain/",
      body: "",
      timestamp: 1366560945
    })).toBe("$1$6a77f43f2871db97a029f1d1d81c4dcd3c6f7265")
  })

  it("equals the official ovh client's for the same call, query strings and non-ASCII bodies included", () => {
    const official = ovh({ appKey: AK, appSecret: AS, consumerKey: CK })
    const calls = [
      ["GET", `${base}/me/bill?date.from=2024-01-01&date.to=2024-02-01`, ""],
      ["POST", `${base}/email/domain/example.com/redirection`, JSON.stringify({ from: "a@example.com", to: "b@example.org", localCopy: false })],
      ["PUT", `${base}/dedicated/server/ns1.example.net/burst`, JSON.stringify({ status: "active" })],
      ["POST", `${base}/me/contact`, JSON.stringify({ firstName: "Zoë", city: "Zürich" })],
      ["DELETE", `${base}/ip/1.2.3.0%2F29`, ""]
    ] as const
    for (const [method, url, body] of calls) {
      expect(sign({ applicationSecret: Redacted.make(AS), consumerKey: Redacted.make(CK), method, url, body, timestamp: at }))
        .toBe(official.signRequest(method, url, body, at))
    }
  })

  it("puts v1 and v2 paths on the version they name", () => {
    expect(target(base, "/me")).toBe("https://eu.api.ovh.com/1.0/me")
    expect(target(base, "/v2/iam/policy")).toBe("https://eu.api.ovh.com/v2/iam/policy")
    expect(target("http://127.0.0.1:8080/1.0", "/v1/me")).toBe("http://127.0.0.1:8080/v1/me")
  })
})
