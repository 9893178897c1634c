/**
 * The table of applications authorised on the account (`/me/api/credential?status=validated`, then each credential
 * and its application), as an Effect program.
 *
 *   npx tsx examples/ovh-applications.ts
 */
import { ApiCredentials } from "effect-cloud-clients/ovh"
import { Console, Effect } from "effect"
import { clientLayer, runExample } from "./ovh-target.js"
import { isMain } from "./script.js"

const day = (date: Date | null): string => (date === null ? "—" : date.toISOString().slice(0, 10))

/** Prints one row per validated credential: its id, application, status, rules, last use and expiry. */
export const applications = Effect.gen(function*() {
  const ids = yield* ApiCredentials.list({ status: "validated" })
  const rows = yield* Effect.forEach(ids, (id) =>
    Effect.all({ credential: ApiCredentials.get(id), application: ApiCredentials.application(id) }), { concurrency: 5 })
  yield* Console.log(["ID".padEnd(10), "APPLICATION".padEnd(24), "STATUS".padEnd(8), "RULES", "LAST USE  ", "EXPIRES"].join(" "))
  for (const { application, credential } of rows) {
    yield* Console.log([
      String(credential.credentialId).padEnd(10),
      `${application.name} (${application.applicationKey.slice(0, 6)}…)`.padEnd(24),
      application.status.padEnd(8),
      String(credential.rules.length).padStart(5),
      day(credential.lastUse),
      day(credential.expiration)
    ].join(" "))
  }
})

if (isMain(import.meta.url)) runExample((target) => Effect.provide(applications, clientLayer(target)))
