/**
 * Authentication of the simulated ECP: one integration token, sent as `Authorization: jwt <token>` (veil.md §1.2).
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import { notAuthenticated, signatureExpired, type VeilError } from "./Errors.js"

/**
 * The token the simulator accepts unless told otherwise: a realistic-looking (but fake) HS256 JWT for user
 * `admin` (user_id 1) expiring 2030-12-31, with the `jwt ` prefix.
 *
 * @since 0.1.0
 */
export const defaultToken =
  "jwt eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxLCJ1c2VybmFtZSI6ImFkbWluIiwiZXhwIjoxOTI0OTkxOTk5LCJzc28iOmZhbHNlLCJvcmlnX2lhdCI6MTY4NjQ3NzYwMH0.9ppA6_2_3as4izZ28JRWI7_Xq5DJ1hEejpoNnpkko8s"

const split = (value: string): readonly [string, string] => {
  const trimmed = value.trim()
  const space = trimmed.search(/\s/)
  return space === -1 ? ["", trimmed] : [trimmed.slice(0, space).toLowerCase(), trimmed.slice(space).trim()]
}

/**
 * Normalises a configured token: adds the `jwt ` prefix when it is missing.
 *
 * @since 0.1.0
 */
export const normaliseToken = (token: string): string => {
  const [scheme, rest] = split(token)
  return scheme === "" ? `jwt ${rest}` : `${scheme} ${rest}`
}

/**
 * Checks an `Authorization` header against the accepted token: the scheme (`jwt`) compares case-insensitively,
 * the token itself exactly. None when accepted; the 401 error otherwise ("not provided" when the header is absent
 * or empty, "Signature has expired." for any other token).
 *
 * @since 0.1.0
 */
export const authorize = (header: string | undefined, token: string): Option.Option<VeilError> => {
  if (header === undefined || header.trim() === "") return Option.some(notAuthenticated)
  const [scheme, rest] = split(header)
  const [expectedScheme, expectedRest] = split(token)
  return scheme === expectedScheme && rest === expectedRest ? Option.none() : Option.some(signatureExpired)
}
