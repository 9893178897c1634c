/** Runs once before the tests: says which suites against real services are skipped, and why — once per run. */
import { openStackCliMissing, openStackMissing, serverImageMissing } from "./Live.js"

export default function setup(): void {
  const skipped = [
    openStackMissing === undefined ? undefined : `OpenStack live tests (test/**/*.live.test.ts): ${openStackMissing}`,
    openStackMissing === undefined && serverImageMissing !== undefined ? `OpenStack server tests: ${serverImageMissing}` : undefined,
    openStackCliMissing === undefined ? undefined : `openstack CLI against the simulator: ${openStackCliMissing}`
  ].filter((line) => line !== undefined)
  for (const line of skipped) console.log(`skipped — ${line}`)
}
