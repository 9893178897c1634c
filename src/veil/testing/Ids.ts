/**
 * Deterministic UUIDs: the same name always gives the same id, so seeded ids are stable across runs and
 * simulator-generated ids are reproducible in tests.
 *
 * @since 0.1.0
 */

const fmix = (input: number): number => {
  const a = Math.imul(input ^ (input >>> 16), 0x85ebca6b)
  const b = Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
  return (b ^ (b >>> 16)) >>> 0
}

const lane = (text: string, seed: number): string =>
  fmix(
    Array.from(text).reduce(
      (hash, char) => Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0,
      (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0
    )
  ).toString(16).padStart(8, "0")

/**
 * A version-4-shaped UUID derived from `name` (not random: a hash).
 *
 * @since 0.1.0
 */
export const uuidFrom = (name: string): string => {
  const hex = [1, 2, 3, 4].map((seed) => lane(name, seed)).join("")
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32)
  ].join("-")
}

/**
 * Whether a string is a UUID in its canonical textual form.
 *
 * @since 0.1.0
 */
export const isUuid = (text: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
