/**
 * The controllers of the platform, and the health and version of the one this session talks to.
 *
 * @since 0.1.0
 */
import { Effect, Schema, type Scope } from "effect"
import type { ApiError } from "../core/Errors.js"
import * as Path from "../core/Path.js"
import * as RetryPolicy from "../core/RetryPolicy.js"
import * as Collection from "./Collection.js"
import { BaseVersion, Controller } from "./Infrastructure.js"
import type * as Rest from "./Rest.js"

/** Controller operations. */
export interface Controllers extends Collection.Collection<Controller, Controller, {}> {
  /** `GET controllers/check/`: succeeds when the controller is up (never cached, never retried). */
  readonly check: Effect.Effect<void, ApiError>
  /** The platform version (`controllers/base-version/`). */
  readonly baseVersion: Effect.Effect<BaseVersion, ApiError>
  /** The controller's clock. */
  readonly systemTime: Effect.Effect<unknown, ApiError>
}

/** Builds the controller operations of a session. */
export const make = (veil: Rest.VeilRest): Effect.Effect<Controllers, never, Scope.Scope> =>
  Effect.gen(function*() {
    const collection = yield* Collection.make(veil, {
      prefix: "controllers/",
      entityClass: "controller",
      row: Controller,
      detail: Controller,
      filters: {}
    })
    const readVersion = yield* veil.rest.reader("controller:version", BaseVersion)
    return {
      ...collection,
      check: Effect.asVoid(
        veil.rest.send({ method: "GET", path: Path.literal("controllers/check/"), cache: false, retry: RetryPolicy.none })
      ),
      baseVersion: readVersion({ method: "GET", path: Path.literal("controllers/base-version/") }),
      systemTime: veil.rest.json({ method: "GET", path: Path.literal("controllers/system-time/"), cache: false }, Schema.Unknown)
    }
  })
