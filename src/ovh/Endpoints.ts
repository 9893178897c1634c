/**
 * OVH API endpoints by name, or a URL (a proxy, the simulator), and the URL a call goes to.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { userinfoProblem } from "../core/Configuration.js"
import { withoutUserinfo } from "../core/Wire.js"

/** The endpoints OVH runs. */
export const endpoints = {
  "ovh-eu": { api: "https://eu.api.ovh.com/1.0", oauth2: "https://www.ovh.com/auth/oauth2/token" },
  "ovh-ca": { api: "https://ca.api.ovh.com/1.0", oauth2: "https://ca.ovh.com/auth/oauth2/token" },
  "ovh-us": { api: "https://api.us.ovhcloud.com/1.0", oauth2: "https://us.ovhcloud.com/auth/oauth2/token" },
  "kimsufi-eu": { api: "https://eu.api.kimsufi.com/1.0", oauth2: undefined },
  "kimsufi-ca": { api: "https://ca.api.kimsufi.com/1.0", oauth2: undefined },
  "soyoustart-eu": { api: "https://eu.api.soyoustart.com/1.0", oauth2: undefined },
  "soyoustart-ca": { api: "https://ca.api.soyoustart.com/1.0", oauth2: undefined }
} as const

/** An endpoint name. */
export type EndpointName = keyof typeof endpoints

/** Whether `name` is an endpoint name. */
export const isEndpointName = (name: string): name is EndpointName => Object.hasOwn(endpoints, name)

/** A resolved endpoint: the API base (`…/1.0`, no trailing slash) and, where OVH offers it, the OAuth2 token URL (`/auth/oauth2/token` on a URL's host). */
export interface Endpoint {
  readonly name: string
  readonly api: string
  readonly oauth2: string | undefined
}

/**
 * An endpoint from its name or a URL (`https://eu.api.ovh.com/1.0`, `http://127.0.0.1:8080/1.0`). A URL is kept in
 * the form a URL parser gives it (host in lower case, no default port), since calls are signed over the URL sent; one
 * with user information (`https://user:password@host`) is refused: OVH never authenticates that way.
 */
export const resolve = (endpoint: string): Either.Either<Endpoint, string> => {
  const trimmed = endpoint.trim()
  if (isEndpointName(trimmed)) return Either.right({ name: trimmed, ...endpoints[trimmed] })
  if (/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(trimmed) && URL.canParse(trimmed)) {
    const held = userinfoProblem("endpoint", trimmed)
    if (held !== undefined) return Either.left(held)
    const url = new URL(trimmed)
    if (url.search === "" && url.hash === "" && !trimmed.includes("?") && !trimmed.includes("#")) {
      // A server of one's own (a simulator, a proxy) is asked for tokens where OVH's own hosts answer them.
      return Either.right({ name: trimmed, api: `${url.origin}${url.pathname.replace(/\/+$/, "")}`, oauth2: `${url.origin}/auth/oauth2/token` })
    }
  }
  return Either.left(
    `endpoint must be one of ${Object.keys(endpoints).join(", ")} or an http(s) URL without query, got "${withoutUserinfo(endpoint)}"`
  )
}

/**
 * The absolute URL of a call: the API base and the path — except that a path starting with `/v1/` or `/v2/` replaces
 * the base's version (`https://eu.api.ovh.com/v2/…`), as the official clients do.
 */
export const target = (api: string, path: string): string =>
  /^\/v[12](\/|$)/.test(path) ? `${api.replace(/\/(1\.0|v1|v2)$/, "")}${path}` : `${api}${path}`
