/**
 * The devstack gateway's HTTP API: images, flavors, networks and servers of an OpenStack cloud over REST, as the
 * seed's Flask application exposes them, described with `HttpApi` (so the OpenAPI page and the request validation
 * come from one definition).
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Flavor, Image, Network, Server } from "effect-cloud-clients/openstack"
import { Schema } from "effect"

/** 403: the gateway's OpenStack credentials are missing or refused. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", { message: Schema.String }, HttpApiSchema.annotations({ status: 403 })) {}

/** 404: no such resource. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { message: Schema.String }, HttpApiSchema.annotations({ status: 404 })) {}

/** 400: the cloud refused the request (a quota exceeded, an unknown flavor…), with its message. */
export class Refused extends Schema.TaggedError<Refused>()("Refused", { message: Schema.String, quotaExceeded: Schema.Boolean }, HttpApiSchema.annotations({ status: 400 })) {}

/** 502: the cloud failed or could not be reached. */
export class Upstream extends Schema.TaggedError<Upstream>()("Upstream", { message: Schema.String }, HttpApiSchema.annotations({ status: 502 })) {}

const name = Schema.Struct({ name: Schema.String })
const id = Schema.Struct({ id: Schema.String })

const lookup = <const G extends string, A extends Schema.Schema.Any>(group: G, item: A) =>
  HttpApiGroup.make(group)
    .add(HttpApiEndpoint.get("list", `/${group}`).addSuccess(Schema.Array(item)))
    .add(HttpApiEndpoint.get("get", `/${group}/:name`).setPath(name).addSuccess(item))
    .addError(Forbidden)
    .addError(NotFound)
    .addError(Refused)
    .addError(Upstream)

/** The body of `POST /api/v1/server/`. */
export const CreateServer = Schema.Struct({
  image_id: Schema.NonEmptyTrimmedString,
  flavor_id: Schema.NonEmptyTrimmedString,
  network_id: Schema.NonEmptyTrimmedString,
  name: Schema.NonEmptyTrimmedString
})

const servers = HttpApiGroup.make("server")
  .add(HttpApiEndpoint.get("list", "/server").addSuccess(Schema.Array(Server)))
  .add(HttpApiEndpoint.get("get", "/server/:id").setPath(id).addSuccess(Server))
  .add(HttpApiEndpoint.post("create", "/server/").setPayload(CreateServer).addSuccess(Server, { status: 201 }))
  .add(HttpApiEndpoint.del("delete", "/server/:id").setPath(id).addSuccess(Schema.Void, { status: 204 }))
  .addError(Forbidden)
  .addError(NotFound)
  .addError(Refused)
  .addError(Upstream)

/** The gateway API, under `/api/v1`. */
export class GatewayApi extends HttpApi.make("devstack-gateway")
  .add(lookup("image", Image))
  .add(lookup("flavor", Flavor))
  .add(lookup("network", Network))
  .add(servers)
  .prefix("/api/v1")
  .annotate(OpenApi.Title, "Devstack gateway")
  .annotate(OpenApi.Description, "Images, flavors, networks and servers of an OpenStack cloud (by id or by name).") {}
