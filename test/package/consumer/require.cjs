/**
 * A CommonJS consumer: `require()` of the installed package's ESM entry points (Node ≥ 20.19 loads ES modules
 * without top-level await from `require`).
 */
const veilEntry = require("effect-cloud-clients/veil")
const root = require("effect-cloud-clients")

console.log(`require: typeof Veil ${typeof veilEntry.Veil}, typeof VeilClient ${typeof veilEntry.VeilClient}`)
console.log(`require: root exports ${Object.keys(root).length} names, typeof OpenStack ${typeof root.OpenStack}, typeof Ovh ${typeof root.Ovh}`)
const problems = []
if (typeof veilEntry.Veil !== "function") problems.push("effect-cloud-clients/veil has no Veil class")
if (typeof veilEntry.Veil?.connect !== "function") problems.push("Veil.connect is not a function")
if (root.Veil !== veilEntry.Veil) problems.push("the root entry's Veil is not the Veil of effect-cloud-clients/veil")
if (typeof root.veil !== "object" || root.veil.Veil !== veilEntry.Veil) problems.push("the root entry's veil namespace is not effect-cloud-clients/veil")
if (typeof root.isApiError !== "function") problems.push("the root entry has no isApiError")
if (problems.length > 0) {
  for (const problem of problems) console.error(`require: ${problem}`)
  process.exitCode = 1
}
