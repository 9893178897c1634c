/** Reads the shared fixtures that sit beside the project (`../shared/fixtures`). */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** The fixtures folder of an API. */
export const folder = (api: string): string =>
  fileURLToPath(new URL(`../../../shared/fixtures/${api}/`, import.meta.url))

/** File names of an API's JSON fixtures. */
export const jsonFiles = (api: string): ReadonlyArray<string> =>
  readdirSync(folder(api)).filter((name) => name.endsWith(".json")).sort()

/** A fixture parsed as JSON. */
export const json = (api: string, name: string): unknown => JSON.parse(readFileSync(`${folder(api)}${name}`, "utf8"))
