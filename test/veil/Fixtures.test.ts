import { describe, expect, it } from "@effect/vitest"
import { Domain, DomainRow, firstIpv4, isPowered, UsbAttachment } from "../../src/veil/Domain.js"
import { Headers } from "@effect/platform"
import { Redacted, Schema } from "effect"
import { ListEnvelope } from "../../src/veil/Entity.js"
import { errorBody } from "../../src/veil/ErrorBody.js"
import {
  BaseVersion,
  Cluster,
  ClusterRow,
  DataPool,
  DataPoolRow,
  Node,
  NodeRow,
  ResourcePool,
  ResourcePoolRow
} from "../../src/veil/Infrastructure.js"
import { Event } from "../../src/veil/Records.js"
import { Tag } from "../../src/veil/Tag.js"
import { Accepted, Task } from "../../src/veil/Task.js"
import * as Fixtures from "../support/Fixtures.js"

/** Every fixture and the schema that decodes it; a new fixture without an entry fails the coverage test. */
const schemas: Readonly<Record<string, Schema.Schema.AnyNoContext>> = {
  "cluster-info.json": Cluster,
  "cluster-list.json": ListEnvelope(ClusterRow),
  "controller-base-version.json": BaseVersion,
  "controller-check.json": Schema.Struct({}),
  "data-pool-info.json": DataPool,
  "data-pool-list.json": ListEnvelope(DataPoolRow),
  "domain-action-200-sync.json": Domain,
  "domain-action-202-task.json": Accepted,
  "domain-attach-usb-200.json": UsbAttachment,
  "domain-detach-usb-202.json": Schema.Struct({}),
  "domain-guest-command-200.json": Schema.Struct({ "guest-exec": Schema.Struct({ "out-data": Schema.String }) }),
  "domain-info.json": Domain,
  "domain-list.json": ListEnvelope(DomainRow),
  "domain-multi-create-202.json": Accepted,
  "domain-remote-access-202.json": Accepted,
  "error-401-signature-expired.json": Schema.Struct({ errors: Schema.Array(Schema.Struct({ code: Schema.String, detail: Schema.String })) }),
  "error-500-url-not-found.json": Schema.Struct({ errors: Schema.Array(Schema.Struct({ code: Schema.String, detail: Schema.String })) }),
  "event-list.json": ListEnvelope(Event),
  "node-info.json": Node,
  "node-list.json": ListEnvelope(NodeRow),
  "resource-pool-info.json": ResourcePool,
  "resource-pool-list.json": ListEnvelope(ResourcePoolRow),
  "tag-list.json": ListEnvelope(Tag),
  "task-info.json": Task
}

const decode = <A, I>(schema: Schema.Schema<A, I>, name: string): A =>
  Schema.decodeUnknownSync(schema, { errors: "all" })(Fixtures.json("veil", name))

describe("VeiL fixtures", () => {
  it("has a schema for every fixture file", () => {
    expect(Fixtures.jsonFiles("veil")).toEqual(Object.keys(schemas).sort())
  })

  it.each(Object.entries(schemas))("decodes %s", (name, schema) => {
    expect(() => Schema.decodeUnknownSync(schema, { errors: "all" })(Fixtures.json("veil", name))).not.toThrow()
  })

  it("reads the shape-shifting fields the same way", () => {
    const info = decode(Domain, "domain-info.json")
    const sync = decode(Domain, "domain-action-200-sync.json")
    // permissions: an object {name: bool} in detail bodies, a list of names in the synchronous action's body
    expect(info.permissions).toContain("start")
    expect(sync.permissions).toContain("start")
    // cluster: a bare uuid string in domain detail bodies
    expect(info.cluster?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(sync.cluster?.id).toMatch(/^[0-9a-f-]{36}$/)
    // the graphics password is a secret
    expect(Redacted.isRedacted(info.graphics_password)).toBe(true)
    expect(JSON.parse(JSON.stringify(info)).graphics_password).toBe("<redacted>")
    expect(isPowered(info)).toBe(info.user_power_state === 3)
    expect(firstIpv4(info)).toBe(info.guest_utils?.ipv4?.[0])
  })

  it("reads task fields: executed as number or string, entities in order", () => {
    const finished = decode(Task, "task-info.json")
    expect(finished.executed).toBeCloseTo(2.492376)
    expect(finished.succeeded).toBe(true)
    expect(finished.finished).toBe(true)
    const created = decode(Accepted, "domain-multi-create-202.json")
    expect(created._task.executed).toBe(0)
    expect(created._task.inProgress).toBe(true)
    expect(created.entity).toBe("3f6c1d52-6b1e-4e0a-9a57-1c2f0e5d7a01")
    expect(created._task.firstEntity).toBe("cdf10fc6-57f8-436c-a031-78ba3ba1ae40")
    expect(created._task.entitiesOf("domain")).toEqual(["e1e1324d-993d-408e-a0aa-7259d18df3ff"])
  })

  it("reads references given as objects or bare ids", () => {
    const row = decode(ListEnvelope(NodeRow), "node-list.json").results[0]
    const info = decode(Node, "node-info.json")
    expect(row?.cluster?.verbose_name).toBe("111_cluster")
    expect(typeof info.cluster?.id).toBe("string")
  })

  it("maps the error fixtures: code and detail kept, 50004 is a missing URL", () => {
    const response = (status: number, name: string) => ({
      status,
      headers: Headers.fromInput({ "content-type": "application/json" }),
      text: JSON.stringify(Fixtures.json("veil", name)),
      isJson: true,
      json: Fixtures.json("veil", name)
    })
    expect(errorBody(response(401, "error-401-signature-expired.json"))).toMatchObject({
      code: "invalid",
      detail: "Signature has expired."
    })
    expect(errorBody(response(500, "error-500-url-not-found.json"))).toMatchObject({
      kind: "NotFoundError",
      code: "50004",
      detail: "URL is not found."
    })
  })
})
