/**
 * A plain-Node consumer of the installed package's OVH facade: connects from `OVH_*`, reads `/me` raw and typed,
 * lists the account's bills with a typed operation, closes the session.
 */
import { Bills, Me, Ovh } from "effect-cloud-clients/ovh"

const ovh = await Ovh.connect()
try {
  const raw = await ovh.get("/me")
  const nichandle = typeof raw === "object" && raw !== null && "nichandle" in raw ? raw.nichandle : undefined
  console.log(`ovh: GET /me → ${String(nichandle)}`)
  const me = await ovh.run(Me.get)
  console.log(`ovh: Me.get → ${me.nichandle} <${me.email}> (${me.currency.code})`)
  const bills = await ovh.run(Bills.list())
  console.log(`ovh: Bills.list → ${bills.length} bills${bills.length > 0 ? `, first ${bills[0]}` : ""}`)
  const first = bills[0]
  if (first !== undefined) {
    const bill = await ovh.run(Bills.get(first))
    console.log(`ovh: Bills.get(${first}) → ${bill.priceWithTax.text}`)
  }
} finally {
  await ovh.close()
}
