/**
 * Mock layers of any service, for tests of code that uses a client: give the operations the code under test calls,
 * group by group; every other member, nested groups included, dies when used with a defect naming it
 * (`VeilClient mock: domains.list is not mocked`).
 *
 * ```ts
 * const TestVeil = Mock.mock(VeilClient, { domains: { get: (id) => Effect.succeed(Domain.make({ id, verbose_name: "vm" })) } })
 * ```
 *
 * A member not given dies rather than fails: its error type is the service's, not the mock's to choose, and a call
 * the test did not mock is a mistake of the test, not a failure the code under test should handle. An unmocked
 * member dies however it is used: yielded as an effect, called (its answer dies when run, as an effect or as a
 * stream), or read further as a group.
 *
 * @since 0.1.0
 */
import { type Context, Effect, Layer, type Stream } from "effect"
import type { AnyFunction } from "../Promised.js"

/** The members to give, group by group: operations as the service types them, groups partly. */
export type Operations<S> = {
  readonly [K in keyof S]?: S[K] extends Effect.Effect<unknown, unknown, unknown> | Stream.Stream<unknown, unknown, unknown> | AnyFunction
    ? S[K]
    : S[K] extends object ? Operations<S[K]>
    : S[K]
}

/** A key no member has: what awaiting or inspecting a mock probes. */
const unasked = (key: string | symbol): key is symbol | "then" => typeof key === "symbol" || key === "then"

/** A group given (partly): its members are the ones given, or the unmocked members. */
const isGroup = (value: unknown): value is object =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Effect.isEffect(value)

/** A member not given: an effect that dies naming it, a function answering that effect, a group of such members. */
const unmocked = (name: string, path: ReadonlyArray<string>): unknown => {
  const dies = Effect.dieMessage(`${name} mock: ${path.join(".")} is not mocked`)
  return new Proxy(() => dies, {
    get: (_, key) => (key in dies ? Reflect.get(dies, key) : unasked(key) ? undefined : unmocked(name, [...path, key])),
    has: (_, key) => key in dies
  })
}

const given = (name: string, path: ReadonlyArray<string>, members: object): unknown =>
  new Proxy(members, {
    get: (target, key) => {
      if (!(key in target)) return unasked(key) ? undefined : unmocked(name, [...path, key])
      const member: unknown = Reflect.get(target, key)
      return typeof key === "string" && isGroup(member) ? given(name, [...path, key], member) : member
    }
  })

/** The service with the members given; `name` names it in the defects of the others. */
export function service<S>(name: string, operations: Operations<S>): S
export function service(name: string, operations: object): unknown {
  return given(name, [], operations)
}

/** The last segment of a tag's key: `VeilClient` of `effect-cloud-clients/VeilClient`. */
const tagName = (key: string): string => key.slice(key.lastIndexOf("/") + 1)

/** A layer of the service `tag` names, with the members given; every other dies when used, naming itself. */
export const mock = <I, S>(tag: Context.Tag<I, S>, operations: Operations<NoInfer<S>>): Layer.Layer<I> =>
  Layer.succeed(tag, service(tagName(tag.key), operations))
