/**
 * Where the VeiL examples run: against a real ECP when `VEIL_ADDRESS` and `VEIL_TOKEN` are set (a second
 * controller from `VEIL_ADDRESS_2` / `VEIL_TOKEN_2`), otherwise against simulators served on 127.0.0.1.
 */
import * as VeilTesting from "effect-cloud-clients/veil/testing"
import { Effect, type Scope } from "effect"

/** One controller to talk to. */
export interface Controller {
  readonly address: string
  readonly token: string
  readonly scheme?: "http" | "https"
  readonly verifyTls?: boolean
  /** Set when the controller is a simulator this process serves. */
  readonly simulator?: VeilTesting.VeilSimulator
}

const fromEnv = (suffix: string): Controller | undefined => {
  const address = process.env[`VEIL_ADDRESS${suffix}`]
  const token = process.env[`VEIL_TOKEN${suffix}`]
  if (address === undefined || token === undefined) return undefined
  const scheme = process.env["VEIL_SCHEME"]
  return {
    address,
    token,
    ...(scheme === "http" || scheme === "https" ? { scheme } : {}),
    ...(process.env["VEIL_VERIFY_TLS"] === "false" ? { verifyTls: false } : {})
  }
}

/** `count` controllers: from the environment, or simulators served for as long as the scope is open. */
export const controllers = (count: number): Effect.Effect<ReadonlyArray<Controller>, unknown, Scope.Scope> => {
  const first = fromEnv("")
  if (first !== undefined) {
    return Effect.succeed(Array.from({ length: count }, (_, i) => (i === 0 ? first : fromEnv(`_${i + 1}`) ?? first)))
  }
  return Effect.forEach(Array.from({ length: count }, (_, i) => i), () =>
    Effect.map(VeilTesting.serve(), (served): Controller => ({
      address: served.address,
      token: served.token,
      scheme: "http",
      simulator: served.simulator
    })))
}
