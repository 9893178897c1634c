/**
 * Welcome: who the keys belong to (`GET /me`), in plain async Node code.
 *
 *   npx tsx examples/ovh-welcome.ts          # against the simulator, or the API configured by OVH_* / ovh.conf
 */
import { Me, Ovh } from "effect-cloud-clients/ovh"
import { Effect } from "effect"
import { runExample, type Target } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Greets the account holder. */
export const welcome = async (target: Target, log: (line: string) => void = console.log): Promise<void> => {
  await using ovh = await Ovh.connect(target.options)
  const me = await ovh.run(Me.get)
  log(`Welcome ${me.firstname ?? ""} ${me.name ?? ""} (${me.nichandle}, ${me.email})`.replace(/\s+/g, " "))
}

if (isMain(import.meta.url)) runExample((target) => Effect.promise(() => welcome(target)))
