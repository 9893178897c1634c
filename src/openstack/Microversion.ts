/**
 * Microversions: a service that has them (Nova, Cinder, …) names its range in its version document, and the client
 * sends the newest version both sides know on every call (`OpenStack-API-Version: <service> <version>`).
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import * as Path from "../core/Path.js"
import type { Negotiated, ServiceSpec } from "./Session.js"

/** Compares dotted versions numerically (`2.9` < `2.10`). */
export const compareVersions = (a: string, b: string): number => {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** The microversion to use: the newest both sides know; none when the server has no microversions. */
export const negotiate = (server: { readonly version: string; readonly min_version: string }, clientMax: string): string | undefined => {
  if (server.version === "") return undefined
  const chosen = compareVersions(server.version, clientMax) < 0 ? server.version : clientMax
  return compareVersions(chosen, server.min_version === "" ? "2.1" : server.min_version) < 0 ? undefined : chosen
}

const VersionDocument = Schema.Struct({
  version: Schema.Struct({
    version: Schema.optionalWith(Schema.String, { exact: true, default: () => "" }),
    min_version: Schema.optionalWith(Schema.String, { exact: true, default: () => "" })
  })
})

/** How a service's microversion is negotiated: its name in the header, the newest version this client knows. */
export interface Negotiation {
  /** The service's name in `OpenStack-API-Version` (`compute`, `volume`). */
  readonly service: string
  /** The newest microversion the client is written against. */
  readonly max: string
  /** The service's older header, sent too (`X-OpenStack-Nova-API-Version`). */
  readonly legacyHeader?: string | undefined
}

/**
 * A service's negotiation: reads the version document at the service's URL once. A document that does not decode
 * (a proxy's page, a service without microversions) means no microversion: calls go without the header, as
 * keystoneauth does when discovery gives nothing.
 */
export const negotiation = (settings: Negotiation): NonNullable<ServiceSpec["negotiate"]> => (engine) =>
  engine.json({ method: "GET", path: Path.literal(""), cache: false }, VersionDocument).pipe(
    Effect.map((document) => negotiate(document.version, settings.max)),
    Effect.catchTag("DecodeError", (error) =>
      Effect.as(Effect.logDebug(`no ${settings.service} microversion: ${error.message}`), undefined)),
    Effect.map((microversion): Negotiated =>
      microversion === undefined
        ? { headers: {}, microversion }
        : {
          headers: {
            "openstack-api-version": `${settings.service} ${microversion}`,
            ...(settings.legacyHeader === undefined ? {} : { [settings.legacyHeader]: microversion })
          },
          microversion
        }
    )
  )
