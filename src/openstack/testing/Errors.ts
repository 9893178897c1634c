/**
 * Error answers of the OpenStack simulator, in each service's own shape (reference §6.2): Keystone
 * `{"error":{code,message,title}}` (also keystonemiddleware's 401 in front of Nova and Neutron), Nova
 * `{"<faultName>":{code,message}}`, Glance HTML (or `{"message","code","title"}` with `Accept: application/json`),
 * Neutron `{"NeutronError":{type,message,detail}}`, Swift tiny HTML; Cinder's are Nova's (`{"itemNotFound":{code,message}}`,
 * `{"badRequest":…}`: both come from the same `openstack.common` fault middleware).
 *
 * @since 0.1.0
 */
import { Headers, type HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Data } from "effect"
import { type FaultBodies, pathnameOf } from "../../core/testing/Faults.js"

/**
 * The services the simulator serves, named by their path prefix.
 *
 * @since 0.1.0
 */
export type ServiceName = "identity" | "compute" | "image" | "network" | "object-store" | "block-storage"

/**
 * Every service, each under `/<service>`.
 *
 * @since 0.1.0
 */
export const serviceNames: ReadonlyArray<ServiceName> = ["identity", "compute", "image", "network", "object-store", "block-storage"]

/**
 * The service a path is under (`/<service>` or below it); Keystone answers every other path.
 *
 * @since 0.1.0
 */
export const serviceAt = (pathname: string): ServiceName =>
  serviceNames.find((service) => pathname === `/${service}` || pathname.startsWith(`/${service}/`)) ?? "identity"

/**
 * A handler failure, answered in the shape of the service that raised it. `neutronType` names the Neutron error
 * type (default from the status); `keystoneShape` forces Keystone's shape (keystonemiddleware's 401).
 *
 * @since 0.1.0
 */
export class SimError extends Data.TaggedError("SimError")<{
  readonly status: number
  readonly message: string
  readonly neutronType?: string
  readonly keystoneShape?: boolean
}> {}

/**
 * A {@link SimError} with a status and a message.
 *
 * @since 0.1.0
 */
export const simError = (status: number, message: string, neutronType?: string): SimError =>
  new SimError({ status, message, ...(neutronType === undefined ? {} : { neutronType }) })

/**
 * Keystone's (and keystonemiddleware's) 401 message.
 *
 * @since 0.1.0
 */
export const unauthorizedMessage = "The request you have made requires authentication."

/**
 * The 401 every service answers to a missing, unknown, expired or revoked token.
 *
 * @since 0.1.0
 */
export const unauthorized: SimError = new SimError({ status: 401, message: unauthorizedMessage, keystoneShape: true })

const titles: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The reason phrase of a status (`"Error"` when unknown).
 *
 * @since 0.1.0
 */
export const titleOf = (status: number): string => titles[status] ?? "Error"

const novaFaults: Readonly<Record<number, string>> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  429: "overLimit",
  501: "notImplemented",
  503: "serviceUnavailable"
}

const neutronTypes: Readonly<Record<number, string>> = {
  400: "HTTPBadRequest",
  401: "HTTPUnauthorized",
  403: "HTTPForbidden",
  404: "HTTPNotFound",
  409: "HTTPConflict",
  500: "HTTPInternalServerError",
  503: "HTTPServiceUnavailable"
}

/**
 * Keystone's error body.
 *
 * @since 0.1.0
 */
export const keystoneBody = (status: number, message: string) => ({
  error: { code: status, message, title: titleOf(status) }
})

/**
 * Nova's error body: one key naming the fault (`computeFault` for statuses without a name).
 *
 * @since 0.1.0
 */
export const novaBody = (status: number, message: string) => ({
  [novaFaults[status] ?? "computeFault"]: { code: status, message }
})

/**
 * Neutron's error body.
 *
 * @since 0.1.0
 */
export const neutronBody = (status: number, message: string, type?: string) => ({
  NeutronError: { type: type ?? neutronTypes[status] ?? "HTTPError", message, detail: "" }
})

/**
 * Glance's JSON error body (the form it answers to `Accept: application/json`).
 *
 * @since 0.1.0
 */
export const glanceJsonBody = (status: number, message: string) => ({
  message: `${message}<br /><br />\n\n\n`,
  code: `${status} ${titleOf(status)}`,
  title: titleOf(status)
})

/**
 * Glance's default HTML error page.
 *
 * @since 0.1.0
 */
export const glanceHtml = (status: number, message: string): string =>
  `<html>\n <head>\n  <title>${status} ${titleOf(status)}</title>\n </head>\n <body>\n  <h1>${status} ${
    titleOf(status)
  }</h1>\n  ${message}<br /><br />\n\n\n\n </body>\n</html>`

const swiftTexts: Readonly<Record<number, string>> = {
  401: "This server could not verify that you are authorized to access the document you requested.",
  403: "Access was denied to this resource.",
  404: "The resource could not be found.",
  409: "There was a conflict when trying to complete your request."
}

/**
 * Swift's tiny HTML error page.
 *
 * @since 0.1.0
 */
export const swiftHtml = (status: number, message?: string): string =>
  `<html><h1>${titleOf(status)}</h1><p>${swiftTexts[status] ?? message ?? ""}</p></html>`

/**
 * The error body the fault middleware puts in injected error statuses, per service (it is sent as JSON, so
 * Glance gets its JSON form and Swift the text of its page as a JSON string).
 *
 * @since 0.1.0
 */
export const renderErrorFor = (service: ServiceName) => (status: number, message: string): unknown => {
  switch (service) {
    case "identity":
      return keystoneBody(status, message)
    case "compute":
    case "block-storage":
      return novaBody(status, message)
    case "image":
      return glanceJsonBody(status, message)
    case "network":
      return neutronBody(status, message)
    case "object-store":
      return swiftHtml(status, message)
  }
}

const malformedLists: Readonly<Record<ServiceName, string>> = {
  identity: "{\"projects\": [{\"id\": <<simulator: malformed body>>",
  compute: "{\"servers\": [{\"id\": <<simulator: malformed body>>",
  image: "{\"images\": [{\"id\": <<simulator: malformed body>>",
  network: "{\"networks\": [{\"id\": <<simulator: malformed body>>",
  "object-store": "[{\"name\": <<simulator: malformed body>>",
  "block-storage": "{\"volumes\": [{\"id\": <<simulator: malformed body>>"
}

/**
 * How injected faults answer on a service: its error body for the status (sent as JSON, so Glance gets its JSON
 * form and Swift the text of its page as a JSON string), the reason phrase as message, and its list cut off.
 *
 * @since 0.1.0
 */
export const faultBodiesFor = (service: ServiceName): FaultBodies => ({
  error: (status, message) => HttpServerResponse.unsafeJson(renderErrorFor(service)(status, message), { status }),
  messages: titles,
  malformed: malformedLists[service]
})

/**
 * How injected faults answer a request: in the shape of the service its path names.
 *
 * @since 0.1.0
 */
export const faultWording = (request: HttpServerRequest.HttpServerRequest): FaultBodies =>
  faultBodiesFor(serviceAt(pathnameOf(request.url)))

/**
 * The answer to an unexpected failure outside every service (Keystone's shape).
 *
 * @since 0.1.0
 */
export const unexpectedError: HttpServerResponse.HttpServerResponse = HttpServerResponse.unsafeJson(
  keystoneBody(500, "Unexpected API Error."),
  { status: 500 }
)

/**
 * What rendering an error needs to know of the request: its `Accept` header (Glance), the identity URL (Keystone's
 * `WWW-Authenticate`) and the Swift account.
 *
 * @since 0.1.0
 */
export interface ErrorContext {
  readonly accept: string
  readonly identityUrl: string
  readonly account: string
}

const html = (text: string, status: number, headers: Record<string, string> = {}) =>
  HttpServerResponse.text(text, { status, contentType: "text/html; charset=UTF-8", headers: Headers.fromInput(headers) })

const jsonError = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers: Headers.fromInput(headers) })

/**
 * The response for a {@link SimError} raised by a service.
 *
 * @since 0.1.0
 */
export const toResponse = (
  service: ServiceName,
  error: SimError,
  context: ErrorContext
): HttpServerResponse.HttpServerResponse => {
  const keystoneAuth = error.status === 401 ? { "www-authenticate": `Keystone uri="${context.identityUrl}"` } : {}
  switch (service) {
    case "identity":
      return jsonError(keystoneBody(error.status, error.message), error.status, keystoneAuth)
    case "compute":
    case "block-storage":
      return error.keystoneShape === true
        ? jsonError(keystoneBody(error.status, error.message), error.status, keystoneAuth)
        : jsonError(novaBody(error.status, error.message), error.status)
    case "network":
      return error.keystoneShape === true
        ? jsonError(keystoneBody(error.status, error.message), error.status, keystoneAuth)
        : jsonError(neutronBody(error.status, error.message, error.neutronType), error.status)
    case "image":
      return context.accept.includes("application/json")
        ? jsonError(glanceJsonBody(error.status, error.message), error.status, keystoneAuth)
        : html(glanceHtml(error.status, error.message), error.status, keystoneAuth)
    case "object-store":
      return html(
        swiftHtml(error.status, error.message),
        error.status,
        error.status === 401 ? { "www-authenticate": `Swift realm="${context.account}"` } : {}
      )
  }
}
