/**
 * Decoding benchmark, in process and without a network: what decoding a response body costs next to `JSON.parse`
 * of the same text.
 *
 *   npx tsx bench/decode.bench.ts
 *
 * Bodies: (a) a VeiL `GET domains/` page of 100 rows, answered by the in-process simulator seeded with 100 domains;
 * (b) the same page with `all_content=1` (full bodies, the graphics password among them); (c) an OpenStack
 * `GET /servers/detail` of 1,000 servers, the 2.90 API reference record repeated with fresh ids; (d) the 24 bills of
 * the OVH simulator's seed, one body per bill, as `Bills.get` reads them.
 *
 * For each body: `JSON.parse` alone, then parse + decode with Schema as before (the list envelope with defaults),
 * with Schema over this project's schemas, with Schema stopping at the first error (`errors: "first"`), and with
 * `Decoding.decoder`; one failing body shows what an answer of the wrong shape costs. Variants run interleaved,
 * round by round, each batch lasting some 50 ms of CPU; each figure is the median of the rounds, and each ratio
 * divides by `JSON.parse` in the same round.
 */
import { Effect, Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { Decoding } from "effect-cloud-clients/core"
import { Servers } from "effect-cloud-clients/openstack"
import { Bills } from "effect-cloud-clients/ovh"
import { DomainRow, ListEnvelope } from "effect-cloud-clients/veil"
import * as VeilTesting from "effect-cloud-clients/veil/testing"
import { seed as ovhSeed } from "../src/ovh/testing/Seed.js"

/** The list envelope as it was: `next` and `previous` defaulted to `null`, which made Schema go over every row twice. */
const DefaultedEnvelope = <A, I>(row: Schema.Schema<A, I>) =>
  Schema.Struct({
    count: Schema.Number,
    next: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null, exact: true }),
    previous: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null, exact: true }),
    results: Schema.Array(row)
  })

/** Each way of reading a body: from its text to a decoded value. */
type Reader = (text: string) => unknown

interface Body {
  readonly name: string
  /** The texts read in one call (one page, or every bill). */
  readonly texts: ReadonlyArray<string>
  readonly readers: ReadonlyArray<readonly [string, Reader]>
}

const expectRight = <A, E>(result: Either.Either<A, E>): A => {
  if (Either.isLeft(result)) throw new Error(`a benchmark body does not decode: ${String(result.left)}`)
  return result.right
}

/** The readers of a body whose schema is `schema` (`before`: the schema as it was, when it changed). */
const readers = <A, I, B, J>(
  schema: Schema.Schema<A, I>,
  before?: Schema.Schema<B, J>
): ReadonlyArray<readonly [string, Reader]> => {
  const old: (u: unknown) => Either.Either<unknown, unknown> = before === undefined
    ? Schema.decodeUnknownEither(schema, { errors: "all" })
    : Schema.decodeUnknownEither(before, { errors: "all" })
  const all = Schema.decodeUnknownEither(schema, { errors: "all" })
  const first = Schema.decodeUnknownEither(schema)
  const decode = Decoding.decoder(schema)
  return [
    ["JSON.parse", (text) => JSON.parse(text)],
    ["Schema decode, before", (text) => expectRight(old(JSON.parse(text)))],
    ...(before === undefined ? [] : [["Schema decode, envelope without defaults", (text: string) => expectRight(all(JSON.parse(text)))] as const]),
    ["Schema decode, errors: first", (text) => expectRight(first(JSON.parse(text)))],
    ["Decoding.decoder", (text) => expectRight(decode(JSON.parse(text)))]
  ]
}

const veilPage = (query: Readonly<Record<string, string | number>>): Promise<string> =>
  Effect.runPromise(
    VeilTesting.rawRequest("GET", "/api/domains/", { query }).pipe(
      Effect.map((response) => JSON.stringify(response.body)),
      Effect.provide(VeilTesting.layer({ domains: 100 }))
    )
  )

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../shared/fixtures/${path}`, import.meta.url), "utf8"))

/** 1,000 server records: the 2.90 reference record, each with its own id and name. */
const serversPage = (): string => {
  const sample = fixture("openstack/apiref/nova-server-get-v2.90.json")
  const text = JSON.stringify(sample)
  const servers = Array.from({ length: 1000 }, (_, i) => {
    const id = `${String(i).padStart(8, "0")}-0000-4000-8000-000000000000`
    return JSON.parse(text.replace(/"id":\s*"[0-9a-f-]{36}"/, `"id":"${id}"`)).server
  })
  return JSON.stringify({ servers })
}

const ovhBills = (): ReadonlyArray<string> =>
  ovhSeed({ now: Date.parse("2026-01-01T00:00:00Z"), settings: { timeWindowSeconds: 180, clockSkewSeconds: 0, ipmiDelayMs: 0, tokenLifetimeSeconds: 3600 } })
    .bills.map(({ details: _, ...bill }) => JSON.stringify(bill))

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : sorted[mid] ?? 0
}

/**
 * Microseconds of this process's CPU (user + system) per call of `read` over every text of the body, `calls` calls
 * in a row: CPU time, not wall time, since other processes share the machine's two cores.
 */
const time = (calls: number, texts: ReadonlyArray<string>, read: Reader): number => {
  let sink = 0
  const start = process.cpuUsage()
  for (let i = 0; i < calls; i++) for (const text of texts) if (read(text) !== undefined) sink++
  const used = process.cpuUsage(start)
  if (sink !== calls * texts.length) throw new Error("a reader answered nothing")
  return (used.user + used.system) / calls
}

const measure = (body: Body, rounds: number, calls: number): void => {
  for (const [, read] of body.readers) time(Math.max(1, calls >> 1), body.texts, read)
  const micros = new Map<string, Array<number>>(body.readers.map(([name]) => [name, []]))
  const ratios = new Map<string, Array<number>>(body.readers.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const inRound = new Map<string, number>()
    for (let i = 0; i < body.readers.length; i++) {
      const reader = body.readers[(round + i) % body.readers.length]
      if (reader === undefined) continue
      inRound.set(reader[0], time(calls, body.texts, reader[1]))
    }
    const parse = inRound.get("JSON.parse") ?? Number.NaN
    for (const [name, us] of inRound) {
      micros.get(name)?.push(us)
      ratios.get(name)?.push(us / parse)
    }
  }
  const size = body.texts.reduce((sum, text) => sum + text.length, 0)
  console.log(`\n${body.name} (${(size / 1024).toFixed(0)} KiB of JSON)`)
  for (const [name] of body.readers) {
    const us = median(micros.get(name) ?? [])
    const ratio = median(ratios.get(name) ?? [])
    console.log(`  ${name.padEnd(42)} ${us.toFixed(0).padStart(7)} µs  ${ratio.toFixed(2)}× JSON.parse`)
  }
}

/** A page whose last row has a field of the wrong type: Schema's error is what the caller gets. */
const failing = (text: string): string => text.replace(/"memory_count":\s*\d+(?![\s\S]*"memory_count")/, "\"memory_count\":\"4096\"")

const rounds = 25

/** Calls per batch: about 50 ms of `JSON.parse` (some 150 MB/s). */
const callsFor = (body: Pick<Body, "texts">): number =>
  Math.max(3, Math.round(7.5e6 / body.texts.reduce((sum, text) => sum + text.length, 0)))

const main = async () => {
  const short = await veilPage({ limit: 100 })
  const full = await veilPage({ limit: 100, all_content: 1 })
  const page = ListEnvelope(DomainRow)
  const before = DefaultedEnvelope(DomainRow)
  const bodies: ReadonlyArray<Body> = [
    { name: "(a) VeiL domains, one page of 100 rows", texts: [short], readers: readers(page, before) },
    { name: "(b) VeiL domains, 100 rows with all_content=1", texts: [full], readers: readers(page, before) },
    { name: "(c) OpenStack servers/detail, 1,000 servers", texts: [serversPage()], readers: readers(Servers.servers.list.schema) },
    { name: "(d) OVH bills, 24 bodies (Bills.get)", texts: ovhBills(), readers: readers(Bills.Bill) }
  ]
  console.log(`Node ${process.version}; medians of ${rounds} rounds, each variant run in turn; µs of CPU per page; ratios to JSON.parse in the same round.`)
  for (const body of bodies) measure(body, rounds, callsFor(body))
  const bad = failing(short)
  const decode = Decoding.decoder(page)
  const firstThenAll = Schema.decodeUnknownEither(page)
  const all = Schema.decodeUnknownEither(page, { errors: "all" })
  measure({
    name: "(e) the page of (a) with a wrong field in its last row (decode fails)",
    texts: [bad],
    readers: [
      ["JSON.parse", (text) => JSON.parse(text)],
      ["Schema decode, errors: all", (text) => Either.isLeft(all(JSON.parse(text)))],
      ["Schema decode, first then all", (text) => {
        const json: unknown = JSON.parse(text)
        return Either.isLeft(firstThenAll(json)) && Either.isLeft(all(json))
      }],
      ["Decoding.decoder", (text) => Either.isLeft(decode(JSON.parse(text)))]
    ]
  }, rounds, callsFor({ texts: [bad] }))
}

void main()
