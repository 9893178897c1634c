/**
 * Bills fetched concurrently, at most five at a time (the seed's `asyncio.gather` over bills, bounded), as an Effect
 * program: the total spent per year.
 *
 *   npx tsx examples/ovh-bills.ts
 */
import { Bills } from "effect-cloud-clients/ovh"
import { Console, Effect } from "effect"
import { clientLayer, runExample } from "./ovh-target.js"
import { isMain } from "./script.js"

/** Every bill, five requests at a time; prints the latest and the totals per year. */
export const bills = Effect.gen(function*() {
  const ids = yield* Bills.list()
  const all = yield* Effect.forEach(ids, Bills.get, { concurrency: 5 })
  const latest = [...all].sort((a, b) => b.date.getTime() - a.date.getTime()).slice(0, 3)
  for (const bill of latest) {
    yield* Console.log(`  ${bill.billId}  ${bill.date.toISOString().slice(0, 10)}  ${bill.category.padEnd(16)} ${bill.priceWithTax.text}`)
  }
  const perYear = new Map<string, number>()
  for (const bill of all) {
    const key = `${bill.date.getUTCFullYear()} ${bill.priceWithTax.currencyCode}`
    perYear.set(key, (perYear.get(key) ?? 0) + bill.priceWithTax.value)
  }
  yield* Console.log(`${all.length} bills; ${[...perYear].map(([year, sum]) => `${year} ${sum.toFixed(2)}`).join(", ")}`)
})

if (isMain(import.meta.url)) runExample((target) => Effect.provide(bills, clientLayer(target)))
