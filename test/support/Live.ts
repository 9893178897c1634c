/**
 * When the tests against real services run: the local OpenStack of `../shared/openstack` (its openrc sets
 * `OS_AUTH_URL`) and the `openstack` CLI. One place decides, and the reason a suite is skipped is printed once per
 * run (`test/support/globalSetup.ts`), not per test.
 */
import { existsSync } from "node:fs"

/** Why the tests against the local OpenStack are skipped, or `undefined` when they run. */
export const openStackMissing: string | undefined = process.env["OS_AUTH_URL"] === undefined
  ? "OS_AUTH_URL is not set: start ../shared/openstack/start-openstack.sh and source the openrc it writes (.ci/run does both)"
  : undefined

/** Skip the tests against the local OpenStack. */
export const noCloud: boolean = openStackMissing !== undefined

/** Why the server-creating tests against the local OpenStack are skipped (they also need the image its script uploads). */
export const serverImageMissing: string | undefined = openStackMissing ??
  (process.env["OS_CI_IMAGE_ID"] === undefined ? "OS_CI_IMAGE_ID is not set (the openrc of start-openstack.sh sets it)" : undefined)

/** Where the `openstack` CLI is expected (Debian's python3-openstackclient). */
export const openStackCli = "/usr/bin/openstack"

/** Why the test of the `openstack` CLI against the simulator is skipped, or `undefined` when it runs. */
export const openStackCliMissing: string | undefined = existsSync(openStackCli)
  ? undefined
  : `${openStackCli} is not installed (Debian's python3-openstackclient; start-openstack.sh installs it)`
