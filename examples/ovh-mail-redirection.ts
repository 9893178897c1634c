/**
 * A mail redirection (`POST /email/domain/{domain}/redirection`), in plain async Node code: `from` is just a field.
 *
 *   npx tsx examples/ovh-mail-redirection.ts [domain] [from] [to]
 */
import { Email, Ovh } from "effect-cloud-clients/ovh"
import { Effect } from "effect"
import { runExample, type Target } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Redirects `from` to `to` on `domain` without a local copy, and shows the task OVH answers. */
export const mailRedirection = async (
  target: Target,
  redirection: { readonly domain: string; readonly from: string; readonly to: string },
  log: (line: string) => void = console.log
): Promise<void> => {
  await using ovh = await Ovh.connect(target.options)
  const { domain, from, to } = redirection
  const task = await ovh.run(Email.createRedirection(domain, { from, to, localCopy: false }))
  log(`Redirection ${from} → ${to}: task ${task.id} (${task.action} ${task.type}, ${task.date.toISOString()})`)
  const ids = await ovh.run(Email.redirections(domain, { from }))
  log(`${domain} now redirects ${from} with ${ids.length} redirection(s)`)
}

if (isMain(import.meta.url)) {
  const [domain = "example.com", from = "sales@example.com", to = "contact@example.com"] = process.argv.slice(2)
  runExample((target) => Effect.promise(() => mailRedirection(target, { domain, from, to })))
}
