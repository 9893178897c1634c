/**
 * After `close()`, each facade's calls reject with an `Error` that carries a `_tag`, the way every other failure
 * of the package does.
 */
import { OpenStack } from "effect-cloud-clients/openstack"
import { Ovh } from "effect-cloud-clients/ovh"
import { Veil } from "effect-cloud-clients/veil"

const env = process.env
const need = (name) => {
  const value = env[name]
  if (value === undefined) throw new Error(`closed: ${name} is not set`)
  return value
}

const describe = (value) => {
  if (value instanceof Error) return `${value.constructor.name}${"_tag" in value ? ` _tag=${String(value._tag)}` : " (no _tag)"}: ${value.message}`
  if (typeof value === "object" && value !== null) {
    const proto = Object.getPrototypeOf(value)
    return `a non-Error ${proto?.constructor?.name ?? "object"} ${JSON.stringify(value)}`
  }
  return `a ${typeof value} ${String(value)}`
}

/** Closes the client, then expects `call` to reject with a tagged Error; returns what went wrong, if anything. */
const afterClose = async (name, client, call) => {
  await client.close()
  try {
    await call()
    return `${name}: a call after close() resolved`
  } catch (error) {
    console.log(`closed: ${name} rejects with ${describe(error)}`)
    if (!(error instanceof Error)) return `${name}: rejected with ${describe(error)}, not an Error`
    if (!("_tag" in error) || typeof error._tag !== "string") return `${name}: rejected with an Error without a _tag (${describe(error)})`
    return undefined
  }
}

const veil = await Veil.connect({ address: need("VEIL_ADDRESS"), token: need("VEIL_TOKEN"), scheme: env.VEIL_SCHEME === "http" ? "http" : "https" })
const os = await OpenStack.fromEnv()
const ovh = await Ovh.connect()
const problems = [
  await afterClose("Veil", veil, () => veil.domains.list()),
  await afterClose("OpenStack", os, () => os.flavors.list()),
  await afterClose("Ovh", ovh, () => ovh.get("/me"))
].filter((problem) => problem !== undefined)
for (const problem of problems) console.error(`closed: ${problem}`)
if (problems.length > 0) process.exitCode = 1
