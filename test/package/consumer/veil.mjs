/**
 * A plain-Node consumer of the installed package's VeiL facade: connects from `VEIL_*`, lists domains, starts one
 * and waits on its task, closes the session.
 */
import { isPowered, Veil } from "effect-cloud-clients/veil"

const veil = await Veil.fromEnv()
try {
  const page = await veil.domains.list({ ordering: "verbose_name", limit: 5 })
  console.log(`veil: ${page.count} domains, first page ${page.items.map((d) => d.verbose_name).join(", ")}`)
  const domain = page.items[0]
  if (domain === undefined) throw new Error("veil: the controller lists no domain")
  const task = await veil.domains.start(domain.id)
  const done = await task.wait({ interval: "100 millis", timeout: "30 seconds" })
  console.log(`veil: start ${domain.verbose_name} → task ${done.status} (${done.progress}%)`)
  if (!done.succeeded) throw new Error(`veil: the start task ended ${done.status}: ${done.error_message}`)
  const after = await veil.domains.get(domain.id)
  console.log(`veil: ${after.verbose_name} is ${isPowered(after) ? "powered on" : "not powered on"}`)
} finally {
  await veil.close()
}
