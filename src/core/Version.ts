/**
 * The library's version, as `User-Agent` names it (`effect-cloud-clients/0.1.0 (veil)`); a test holds it equal to
 * the `version` of `package.json`.
 *
 * @since 0.1.0
 * @packageDocumentation
 */

/** The library's version. */
export const version = "0.1.0"

/** The `User-Agent` of a request to `api`: the caller's product tokens first, when given, then the library's. */
export const userAgent = (api: string, caller?: string | undefined): string =>
  `${caller === undefined || caller.trim() === "" ? "" : `${caller.trim()} `}effect-cloud-clients/${version} (${api})`
