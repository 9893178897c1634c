/**
 * What `npx effect-cloud-clients --help` and `npx effect-cloud-clients simulate --help` print.
 *
 * @since 0.1.0
 */

/**
 * The name users run the command by, from an installed package.
 *
 * @since 0.1.0
 */
export const command = "npx effect-cloud-clients"

/**
 * The APIs `simulate` serves, in the order usage lists them.
 *
 * @since 0.1.0
 */
export const apis = ["veil", "openstack", "ovh"] as const

/**
 * One of {@link apis}.
 *
 * @since 0.1.0
 */
export type Api = (typeof apis)[number]

/**
 * Whether `name` is one of {@link apis}.
 *
 * @since 0.1.0
 */
export const isApi = (name: string): name is Api => apis.some((api) => api === name)

/**
 * Usage of the command as a whole.
 *
 * @since 0.1.0
 */
export const main = [
  `usage: ${command} <command> [options]`,
  ``,
  `commands:`,
  `  simulate <api>   serve a simulator of an API on 127.0.0.1 until stopped (api: ${apis.join(", ")})`,
  `  help [command]   print this help, or the help of a command`,
  ``,
  `options:`,
  `  -h, --help       print this help`,
  `  --version        print the version of effect-cloud-clients`,
  ``,
  `${command} simulate --help   lists the options of simulate.`
].join("\n")

/**
 * Usage of `simulate`.
 *
 * @since 0.1.0
 */
export const simulate = [
  `usage: ${command} simulate veil [--port N] [--task-duration "3 seconds"] [--domains 12]`,
  `       ${command} simulate openstack [--port N] [--task-duration "3 seconds"] [--max-instances 10]`,
  `       ${command} simulate ovh [--port N] [--task-duration "3 seconds"] [--tls]`,
  ``,
  `Serves a simulator of the API on 127.0.0.1 until stopped (Ctrl+C, or kill with the pid it prints) and prints`,
  `the environment variables with which a client reaches it.`,
  ``,
  `options:`,
  `  --port N                  port on 127.0.0.1 (default 0: any free port)`,
  `  --task-duration DURATION  how long asynchronous work takes: VeiL tasks, OpenStack server builds,`,
  `                            OVH IPMI accesses (default "3 seconds")`,
  `  --domains N               veil: how many domains the simulator starts with (default 12)`,
  `  --max-instances N         openstack: the instance quota of each project (default 10)`,
  `  --tls                     ovh: serve HTTPS with a throwaway self-signed certificate for 127.0.0.1`,
  `  -h, --help                print this help`
].join("\n")
