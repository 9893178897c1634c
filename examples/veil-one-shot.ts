/**
 * The "one-shot" scenario of the VeiL client's README, in plain async Node code:
 * list 10 domains ordered by name, start each, wait for the tasks (showing progress), report failures with the
 * controller's own words.
 *
 *   npx tsx examples/veil-one-shot.ts                       # against a simulator on 127.0.0.1
 *   VEIL_ADDRESS=… VEIL_TOKEN='jwt …' npx tsx examples/veil-one-shot.ts   # against a real ECP
 */
import { isApiError } from "effect-cloud-clients/core"
import { Veil, type VeilTask } from "effect-cloud-clients/veil"
import { Effect } from "effect"
import { type Controller, controllers } from "./veil-target.js"
import { isMain } from "./script.js"

/** Runs the scenario against one controller; returns how many domains ended up started. */
export const oneShot = async (controller: Controller, log: (line: string) => void = console.log): Promise<number> => {
  await using veil = await Veil.connect(controller)

  const page = await veil.domains.list({ ordering: "verbose_name", limit: 10 })
  log(`${page.count} domains on ${controller.address}; starting the first ${page.items.length} by name:`)

  const started: Array<{ readonly name: string; readonly task: VeilTask }> = []
  for (const domain of page.items) {
    const name = domain.verbose_name ?? domain.id
    try {
      started.push({ name, task: await veil.domains.start(domain.id) })
    } catch (error) {
      // Errors are the client's tagged errors, with the controller's code and detail.
      if (!isApiError(error)) throw error
      log(`  ✗ ${name}: not started — ${error._tag}: ${"detail" in error && error.detail ? error.detail : error.message}`)
    }
  }

  const seen = new Map<string, number>()
  const finished = await Promise.all(started.map(({ name, task }) =>
    task.wait({
      onProgress: (t) => {
        if (seen.get(t.id) === t.progress) return
        seen.set(t.id, t.progress)
        log(`  … ${name.padEnd(18)} ${t.status.padEnd(11)} ${String(t.progress).padStart(3)}%`)
      }
    }).then((task) => ({ name, task }))
  ))

  let ok = 0
  for (const { name, task } of finished) {
    if (task.succeeded) {
      ok++
      log(`  ✓ ${name} started`)
    } else {
      log(`  ✗ ${name}: task ${task.status} — ${task.error_message ?? "no detail given"}`)
    }
  }
  log(`${ok} of ${page.items.length} domains started.`)
  return ok
}

if (isMain(import.meta.url)) {
  await Effect.runPromise(Effect.scoped(Effect.flatMap(controllers(1), ([controller]) =>
    controller === undefined ? Effect.void : Effect.promise(() => oneShot(controller)))))
}
