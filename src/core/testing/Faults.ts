/**
 * Fault injection for API simulators.
 *
 * An injector holds an ordered list of {@link FaultRule}s. The {@link middleware} consults it on every request: the
 * first armed rule whose method and path match is consumed (its `times` decremented) and its {@link Fault} replaces or
 * delays the normal answer. The middleware knows no API: each simulator passes its {@link FaultBodies} (its error
 * answer, its default messages, its malformed list body; or one per request) so that injected faults look like
 * that API's.
 *
 * @since 0.1.0
 */
import { Headers, HttpServerRequest, HttpServerResponse, type HttpApp } from "@effect/platform"
import { Array as Arr, Duration, Effect, Option, Ref } from "effect"

/**
 * Response header by which the middleware marks "drop this connection". Its value is `"drop"`.
 * `InProcess` turns such a response into a `RequestError` with reason `"Transport"`; `Serve` destroys the socket.
 *
 * @since 0.1.0
 */
export const dropMarkerHeader = "x-simulator-fault"

/**
 * What goes wrong.
 *
 * - `Status`: answer this status; without `body`, the API's own error answer (`FaultBodies.error`).
 * - `RateLimit`: 429 with a `Retry-After` header and the API's error answer.
 * - `Latency`: sleep (on the Effect `Clock`, so `TestClock` drives it in-process), then answer normally.
 * - `Drop`: no response at all; the connection is dropped.
 * - `Malformed`: status 200, `content-type: application/json`, a body that starts like the API's list and is not
 *   JSON (`FaultBodies.malformed`).
 * - `Html`: an HTML error page such as a reverse proxy gives (default status 502), `content-type: text/html`.
 * - `Truncated`: the real response with its body cut in half (content-length consistent with the cut body).
 * - `Empty`: an empty body (default status 200) with `content-type: application/json`.
 *
 * @since 0.1.0
 */
export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly body?: unknown
    readonly headers?: Record<string, string>
  }
  | { readonly _tag: "RateLimit"; readonly retryAfterSeconds: number }
  | { readonly _tag: "Latency"; readonly delay: Duration.DurationInput }
  | { readonly _tag: "Drop" }
  | { readonly _tag: "Malformed" }
  | { readonly _tag: "Html"; readonly status?: number }
  | { readonly _tag: "Truncated" }
  | { readonly _tag: "Empty"; readonly status?: number }

/**
 * When and how often a {@link Fault} applies.
 *
 * - `method`: only requests with this method (case-insensitive); any method when absent.
 * - `path`: a string is a prefix of the URL pathname; a RegExp is tested against the pathname; any path when absent.
 * - `times`: how many matching requests the rule applies to (default 1; `Infinity` allowed).
 * - `phase`: `"before"` (default) answers with the fault without processing the request; `"after"` processes the
 *   request first (state changes happen) and then replaces the response with the fault — a lost response.
 *
 * @since 0.1.0
 */
export interface FaultRule {
  readonly method?: string
  readonly path?: string | RegExp
  readonly fault: Fault
  readonly times?: number
  readonly phase?: "before" | "after"
}

/**
 * Holds the armed fault rules of one simulator.
 *
 * - `inject`: arm a rule (rules are consulted in insertion order).
 * - `clear`: disarm every rule.
 * - `pending`: the sum of the remaining `times` of all armed rules (`Infinity` when one is unlimited); 0 when none.
 * - `consume`: used by the middleware — finds the first armed rule matching the method and pathname, decrements it
 *   and returns it.
 *
 * @since 0.1.0
 */
export interface FaultInjector {
  readonly inject: (rule: FaultRule) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  readonly pending: Effect.Effect<number>
  readonly consume: (method: string, pathname: string) => Effect.Effect<Option.Option<FaultRule>>
}

interface Armed {
  readonly rule: FaultRule
  readonly remaining: number
}

const matches = (rule: FaultRule, method: string, pathname: string): boolean =>
  (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
  (rule.path === undefined ||
    (typeof rule.path === "string" ? pathname.startsWith(rule.path) : rule.path.test(pathname)))

/**
 * Creates an empty {@link FaultInjector}.
 *
 * @since 0.1.0
 */
export const makeInjector: Effect.Effect<FaultInjector> = Effect.map(
  Ref.make<ReadonlyArray<Armed>>([]),
  (rules): FaultInjector => ({
    inject: (rule) => Ref.update(rules, (armed) => [...armed, { rule, remaining: rule.times ?? 1 }]),
    clear: Ref.set(rules, []),
    pending: Effect.map(Ref.get(rules), Arr.reduce(0, (sum, armed) => sum + armed.remaining)),
    consume: (method, pathname) =>
      Ref.modify(rules, (armed) => {
        const index = armed.findIndex((a) => a.remaining > 0 && matches(a.rule, method, pathname))
        const found = armed[index]
        if (found === undefined) return [Option.none(), armed]
        const remaining = found.remaining - 1
        const rest = remaining > 0
          ? Arr.replace(armed, index, { rule: found.rule, remaining })
          : Arr.remove(armed, index)
        return [Option.some(found.rule), rest]
      })
  })
)

/**
 * What an API supplies so that injected faults answer in its own words, as data.
 *
 * - `error`: the whole answer (status, headers, body: JSON, XML, HTML…) of an injected error status with a message.
 * - `messages`: the default message per status (statuses without one get {@link defaultMessage}).
 * - `rateLimited`: the message of a `RateLimit` fault (default: {@link defaultRateLimited}).
 * - `malformed`: the body of a `Malformed` fault: the start of the API's list answer, cut off so it is not JSON.
 *
 * @since 0.1.0
 */
export interface FaultBodies {
  readonly error: (status: number, message: string) => HttpServerResponse.HttpServerResponse
  readonly messages?: Readonly<Record<number, string>>
  readonly rateLimited?: (retryAfterSeconds: number) => string
  readonly malformed: string
}

/**
 * The wording of faults for a request: one for the whole API, or one per request (an API whose services answer in
 * different shapes picks by path).
 *
 * @since 0.1.0
 */
export type FaultWording = FaultBodies | ((request: HttpServerRequest.HttpServerRequest) => FaultBodies)

/**
 * The message of an injected error status the API has no wording for.
 *
 * @since 0.1.0
 */
export const defaultMessage = (status: number): string => `Simulated fault: HTTP ${status}.`

/**
 * The message of an injected rate limit, when the API has no wording for it.
 *
 * @since 0.1.0
 */
export const defaultRateLimited = (retryAfterSeconds: number): string =>
  `Simulated fault: rate limited, retry after ${retryAfterSeconds} s.`

/**
 * The message an injected error status carries: the API's own, else {@link defaultMessage}.
 *
 * @since 0.1.0
 */
export const messageOf = (bodies: FaultBodies, status: number): string =>
  bodies.messages?.[status] ?? defaultMessage(status)

const statusText: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out"
}

const htmlPage = (status: number): string => {
  const title = `${status} ${statusText[status] ?? "Error"}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

const jsonContentType = "application/json"

/**
 * The response a request dropped by the simulator gets internally (carries {@link dropMarkerHeader}).
 *
 * @since 0.1.0
 */
export const dropResponse: HttpServerResponse.HttpServerResponse = HttpServerResponse.empty({
  status: 599,
  headers: Headers.fromInput({ [dropMarkerHeader]: "drop" })
})

/**
 * Whether a response is the internal "drop the connection" marker.
 *
 * @since 0.1.0
 */
export const isDrop = (response: HttpServerResponse.HttpServerResponse): boolean =>
  response.headers[dropMarkerHeader] === "drop"

/**
 * The real response with its body cut in half. Only byte and string bodies can be cut; others are returned as is.
 *
 * @since 0.1.0
 */
export const truncate = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  const body = response.body
  const bytes = body._tag === "Uint8Array"
    ? body.body
    : body._tag === "Raw" && typeof body.body === "string"
    ? new TextEncoder().encode(body.body)
    : undefined
  if (bytes === undefined || bytes.length === 0) return response
  const contentType = body._tag === "Uint8Array" || body._tag === "Raw" ? body.contentType : undefined
  return HttpServerResponse.uint8Array(bytes.slice(0, Math.floor(bytes.length / 2)), {
    status: response.status,
    headers: Headers.remove(response.headers, ["content-length", "content-type"]),
    ...(contentType !== undefined ? { contentType } : {})
  })
}

/**
 * The response a fault stands for. `real` is the normal response (needed for `Truncated`; for `Latency` it is
 * returned after the delay).
 */
const faultResponse = <E, R>(
  fault: Fault,
  real: HttpApp.Default<E, R>,
  bodies: FaultBodies
): HttpApp.Default<E, R> => {
  switch (fault._tag) {
    case "Status": {
      const headers = fault.headers !== undefined ? { headers: Headers.fromInput(fault.headers) } : {}
      if (fault.body !== undefined) {
        return Effect.succeed(HttpServerResponse.unsafeJson(fault.body, { status: fault.status, ...headers }))
      }
      const answer = bodies.error(fault.status, messageOf(bodies, fault.status))
      return Effect.succeed(
        fault.headers !== undefined ? HttpServerResponse.setHeaders(answer, fault.headers) : answer
      )
    }
    case "RateLimit": {
      const message = (bodies.rateLimited ?? defaultRateLimited)(fault.retryAfterSeconds)
      return Effect.succeed(
        HttpServerResponse.setHeader(bodies.error(429, message), "retry-after", String(fault.retryAfterSeconds))
      )
    }
    case "Latency":
      return Effect.zipRight(Effect.sleep(fault.delay), real)
    case "Drop":
      return Effect.succeed(dropResponse)
    case "Malformed":
      return Effect.succeed(HttpServerResponse.text(bodies.malformed, { status: 200, contentType: jsonContentType }))
    case "Html": {
      const status = fault.status ?? 502
      return Effect.succeed(HttpServerResponse.text(htmlPage(status), { status, contentType: "text/html" }))
    }
    case "Truncated":
      return Effect.map(real, truncate)
    case "Empty":
      return Effect.succeed(
        HttpServerResponse.uint8Array(new Uint8Array(0), { status: fault.status ?? 200, contentType: jsonContentType })
      )
  }
}

/**
 * Wraps an app so that armed faults apply to the requests it receives.
 *
 * @since 0.1.0
 */
export const middleware = (injector: FaultInjector, wording: FaultWording) =>
<E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.flatMap(injector.consume(request.method, pathnameOf(request.url)), (rule) => {
      if (Option.isNone(rule)) return app
      const { fault, phase } = rule.value
      const bodies = typeof wording === "function" ? wording(request) : wording
      if (phase === "after") {
        // Process the request for real (state changes happen), then lose its response.
        return Effect.flatMap(app, (response) =>
          fault._tag === "Latency"
            ? Effect.as(Effect.sleep(fault.delay), response)
            : faultResponse(fault, Effect.succeed(response), bodies))
      }
      return faultResponse(fault, app, bodies)
    }))

/**
 * The pathname of a server request URL (which may be a path with a query, or a full URL).
 *
 * @since 0.1.0
 */
export const pathnameOf = (url: string): string => {
  try {
    return new URL(url, "http://simulator.invalid").pathname
  } catch {
    return url
  }
}

const drop: Fault = { _tag: "Drop" }
const malformed: Fault = { _tag: "Malformed" }
const truncated: Fault = { _tag: "Truncated" }

/**
 * Shorthands for building {@link Fault}s.
 *
 * @since 0.1.0
 */
export const Fault = {
  status: (status: number, options?: { readonly body?: unknown; readonly headers?: Record<string, string> }): Fault => ({
    _tag: "Status",
    status,
    ...(options?.body !== undefined ? { body: options.body } : {}),
    ...(options?.headers !== undefined ? { headers: options.headers } : {})
  }),
  rateLimit: (retryAfterSeconds: number): Fault => ({ _tag: "RateLimit", retryAfterSeconds }),
  latency: (delay: Duration.DurationInput): Fault => ({ _tag: "Latency", delay }),
  drop,
  malformed,
  html: (status?: number): Fault => ({ _tag: "Html", ...(status !== undefined ? { status } : {}) }),
  truncated,
  empty: (status?: number): Fault => ({ _tag: "Empty", ...(status !== undefined ? { status } : {}) })
}
