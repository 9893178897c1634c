/**
 * OpenStack's error bodies on the core taxonomy. Each service has its shape — Keystone `{"error":{code,message,
 * title}}`, Nova `{"<faultName>":{code,message}}`, Neutron `{"NeutronError":{type,message,detail}}`, Glance HTML or
 * `{"message","code","title"}` JSON, Swift short text — and the kind always comes from the HTTP status, never from
 * the body. The fault name, Neutron type or Keystone title is kept as `code`.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"
import type { ErrorBody, ErrorResponse } from "../core/RestClient.js"

const text = (u: unknown): string | undefined => (typeof u === "string" && u.trim() !== "" ? u.trim() : undefined)

/** The readable text of an HTML or plain-text error page: tags dropped, whitespace folded, at most 500 characters. */
const plain = (body: string): string | undefined => {
  const titled = /<h1>([^<]*)<\/h1>\s*([^<]*)/i.exec(body)
  const raw = titled === null ? body.replace(/<[^>]*>/g, " ") : `${titled[1]}: ${titled[2]}`
  const folded = raw.replace(/\s+/g, " ").trim()
  return folded === "" ? undefined : folded.slice(0, 500)
}

/** Messages OpenStack services use when a quota is exhausted (Nova, Neutron, Glance, Cinder). */
const quotaMessage = /quota exceeded|over quota|overquota|exceeded .*quota/i

/** Reads any OpenStack service's error response; a quota message makes it a `QuotaExceededError`. */
export const errorBody = (response: ErrorResponse): ErrorBody => {
  const body = parse(response)
  const said = `${body.message ?? ""} ${body.code ?? ""}`
  return response.status >= 400 && response.status < 500 && quotaMessage.test(said) ? { ...body, kind: "QuotaExceededError" } : body
}

const parse = (response: ErrorResponse): ErrorBody => {
  if (!response.isJson) {
    const message = plain(response.text)
    return message === undefined ? {} : { message }
  }
  const json = response.json
  if (!Predicate.isRecord(json)) return {}
  // Keystone (and keystonemiddleware in front of every service): {"error": {"code", "message", "title"}}
  const keystone = json["error"]
  if (Predicate.isRecord(keystone)) {
    return { message: text(keystone["message"]), code: text(keystone["title"]), details: json }
  }
  // Neutron: {"NeutronError": {"type", "message", "detail"}}
  const neutron = json["NeutronError"]
  if (Predicate.isRecord(neutron)) {
    return { message: text(neutron["message"]), code: text(neutron["type"]), detail: text(neutron["detail"]) ?? text(neutron["message"]), details: json }
  }
  // Glance's JSON form: {"message", "code": "404 Not Found", "title"}
  if (text(json["message"]) !== undefined) return { message: text(json["message"]), code: text(json["title"]), details: json }
  // Nova: one top-level key naming the fault: {"itemNotFound": {"code": 404, "message": "..."}}
  const keys = Object.keys(json)
  const fault = keys.length === 1 && keys[0] !== undefined ? json[keys[0]] : undefined
  if (keys[0] !== undefined && Predicate.isRecord(fault)) return { message: text(fault["message"]), code: keys[0], details: json }
  return { details: json }
}

/** Response headers holding the request id, most specific first. */
export const requestIdHeaders: ReadonlyArray<string> = ["x-openstack-request-id", "x-compute-request-id", "x-trans-id"]

/** Headers whose values are secrets. */
export const secretHeaders: ReadonlyArray<string> = ["x-auth-token", "x-subject-token", "x-service-token"]
