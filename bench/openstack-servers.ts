/**
 * The OpenStack simulator that the OpenStack benchmarks list from: started in its own process, with `count`
 * servers created through the client (builds take no time), and the `OS_*` variables to reach it or a proxy or
 * replay in front of it.
 */
import { OpenStack } from "effect-cloud-clients/openstack"
import { type StartedSimulator, startSimulator } from "../bin/child.js"

/** A simulator holding `count` ACTIVE servers, and where it listens. */
export interface OpenStackServers {
  readonly simulator: StartedSimulator
  /** The simulator's origin, `http://127.0.0.1:PORT`. */
  readonly origin: string
  /** The `OS_*` variables of its `demo` user, the auth URL moved to `origin` when given (a proxy, a replay). */
  readonly env: (origin?: string) => Record<string, string>
}

/** Starts the simulator and creates `count` servers in it, 16 at a time. */
export const startWithServers = async (count: number): Promise<OpenStackServers> => {
  const simulator = await startSimulator(["openstack", "--max-instances", String(count * 2), "--task-duration", "0 seconds"])
  const exported = Object.fromEntries([...simulator.out.matchAll(/export (OS_\w+)='([^']*)'/g)].map((m) => [m[1] ?? "", m[2] ?? ""]))
  const authUrl = new URL(exported["OS_AUTH_URL"] ?? "")
  const env = (origin?: string) => (origin === undefined ? exported : { ...exported, OS_AUTH_URL: `${origin}${authUrl.pathname}` })
  await using os = await OpenStack.fromEnv(exported)
  let next = 0
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      const i = next++
      await os.servers.create({
        name: `bench-${String(i).padStart(6, "0")}`,
        imageRef: "0b3c6f0a-8e7b-4b5c-9a2d-1c3e5f7a9b0d",
        flavorRef: "1",
        networks: "none"
      })
    }
  }))
  return { simulator, origin: authUrl.origin, env }
}
