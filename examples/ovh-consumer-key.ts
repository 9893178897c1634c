/**
 * The consumer-key flow: ask OVH for a key with access rules, send the user to its validation URL, wait until they
 * have validated it, then call with it. Against the simulator, the example plays the user and validates the key on the
 * simulator's validation page; against the real API, open the printed URL in a browser.
 *
 *   npx tsx examples/ovh-consumer-key.ts
 */
import { ConsumerKey, Me, Ovh } from "effect-cloud-clients/ovh"
import { Effect } from "effect"
import { runExample, type Target } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Requests a key (read access to `/me` and everything under it, read-write-safe on mail domains) and waits for it. */
export const consumerKey = async (target: Target, log: (line: string) => void = console.log): Promise<void> => {
  await using ovh = await Ovh.connect(target.options)
  const asked = await ovh.requestConsumerKey({
    accessRules: [
      ...ConsumerKey.recursiveRules(ConsumerKey.readOnly, "/me"),
      ...ConsumerKey.rules(ConsumerKey.readWriteSafe, "/email/domain/*")
    ]
  })
  log(`Please visit ${asked.validationUrl} to authenticate`)
  if (target.simulator !== undefined) {
    // The simulator's validation page stands in for OVH's login form: accept, as the user would.
    const url = new URL(asked.validationUrl)
    const form = new URLSearchParams({ credentialToken: url.searchParams.get("credentialToken") ?? "", action: "validate" })
    await fetch(`${url.origin}/auth/`, { method: "POST", body: form })
  }
  await using user = await Ovh.connect({ ...target.options, consumerKey: asked.consumerKey })
  const credential = await user.run(ConsumerKey.awaitValidation(user.service, { interval: "2 seconds", timeout: "10 minutes" }))
  const me = await user.run(Me.get)
  log(`Welcome ${me.firstname ?? me.nichandle}: key #${credential.credentialId} is ${credential.status} (${credential.rules.length} rules)`)
  // `asked.consumerKey` is Redacted: store it as OVH_CONSUMER_KEY or consumer_key= in ovh.conf, never in a log.
  log(`Store the new consumer key with your application secret (it is ${String(asked.consumerKey)} here on purpose)`)
}

if (isMain(import.meta.url)) runExample((target) => Effect.promise(() => consumerKey(target)))
