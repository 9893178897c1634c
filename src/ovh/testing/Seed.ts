/**
 * The simulator's seed: one application with a full-access consumer key and an OAuth2 service account, and the
 * resources the seed's examples use — the nichandle, two years of monthly bills with their details, dedicated servers
 * (two in `sbg1`), a mail domain with a redirection, and the domain list of the documentation's signature example.
 *
 * @since 0.1.0
 */
import type { AccessRule } from "../ConsumerKey.js"
import type { BillDetailRecord, BillRecord, PriceBody, ServerRecord, Settings, SimState } from "./State.js"

/**
 * The seeded keys and ids, fixed so that a simulator started anywhere accepts the same values.
 *
 * @since 0.1.0
 */
export const SeedKeys = {
  applicationId: 105668,
  applicationKey: "simulatorAppKey0",
  applicationSecret: "simulatorApplicationSecret000000",
  consumerKey: "simulatorConsumerKeyFullAccess00",
  credentialId: 498601349,
  oauth2ClientId: "EU.simulator-service-account",
  oauth2ClientSecret: "simulatorOAuth2ClientSecret00000",
  nichandle: "xx11111-ovh"
} as const

/**
 * Every method on every path.
 *
 * @since 0.1.0
 */
export const fullAccess: ReadonlyArray<AccessRule> = (["GET", "POST", "PUT", "DELETE"] as const).map((method) => ({ method, path: "/*" }))

const euros = (cents: number): PriceBody => ({
  currencyCode: "EUR",
  text: `${(cents / 100).toFixed(2)} €`,
  value: cents / 100,
  priceInUcents: cents * 1_000_000
})

const day = (year: number, month: number, dayOfMonth: number): string =>
  `${year}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`

const categories = ["autorenew", "purchase-servers", "autorenew", "purchase-web"] as const

/** Monthly bills from January 2024: a server rental, and every other month a domain renewal. */
const bills = (count: number): ReadonlyArray<BillRecord> =>
  Array.from({ length: count }, (_, i) => {
    const year = 2024 + Math.floor(i / 12)
    const month = (i % 12) + 1
    const billId = `FR${String(52_000_001 + i)}`
    const password = `bp${(i * 7919 + 104_729).toString(36)}`
    const lines: ReadonlyArray<BillDetailRecord> = [
      {
        billDetailId: `${billId}-1`,
        description: `Advance-1 Gen 2 rental — ${day(year, month, 1)}`,
        domain: "ns3001234.ip-51-68-1.eu",
        periodStart: day(year, month, 1),
        periodEnd: day(year, month, 28),
        quantity: "1",
        totalPrice: euros(8_999),
        unitPrice: { currencyCode: "EUR", text: "89.99 €", value: 89.99 }
      },
      ...(i % 2 === 0
        ? [{
          billDetailId: `${billId}-2`,
          description: "Domain renewal example.com",
          domain: "example.com",
          periodStart: null,
          periodEnd: null,
          quantity: "1",
          totalPrice: euros(999),
          unitPrice: { currencyCode: "EUR", text: "9.99 €", value: 9.99 }
        }]
        : [])
    ]
    const net = lines.reduce((sum, line) => sum + Math.round(line.totalPrice.value * 100), 0)
    const tax = Math.round(net * 0.2)
    const link = (file: string) => `https://www.ovh.com/cgi-bin/order/${file}?reference=${billId}&passwd=${password}`
    return {
      billId,
      category: categories[i % categories.length] ?? "autorenew",
      date: `${day(year, month, 1)}T08:19:43+01:00`,
      orderId: 180_000_000 + i,
      password,
      pdfUrl: link("facture.pdf"),
      url: link("facture.cgi"),
      priceWithTax: euros(net + tax),
      priceWithoutTax: euros(net),
      tax: euros(tax),
      details: lines
    }
  })

const server = (
  name: string,
  serverId: number,
  datacenter: string,
  ip: string,
  extra: Readonly<Record<string, unknown>> = {}
): ServerRecord => ({
  detail: {
    name,
    serverId,
    ip,
    datacenter,
    os: "debian12_64",
    state: "ok",
    powerState: "poweron",
    rack: `${datacenter.toUpperCase()}-R${serverId % 100}`,
    commercialRange: "Advance-1 Gen 2",
    reverse: `${name}.`,
    supportLevel: "pro",
    monitoring: true,
    noIntervention: false,
    professionalUse: false,
    newUpgradeSystem: true,
    bootId: 1,
    bootScript: null,
    linkSpeed: 1000,
    rescueMail: null,
    rescueSshKey: null,
    rootDevice: null,
    region: datacenter.startsWith("sbg") ? "eu-west-sbg" : datacenter.startsWith("gra") ? "eu-west-gra" : "eu-west-rbx",
    availabilityZone: `${datacenter.startsWith("sbg") ? "eu-west-sbg" : datacenter.startsWith("gra") ? "eu-west-gra" : "eu-west-rbx"}-a`,
    iam: { id: `0f0a6b3e-0000-4000-8000-${String(serverId).padStart(12, "0")}`, urn: `urn:v1:eu:resource:dedicatedServer:${name}`, displayName: name },
    ...extra
  },
  burst: { status: "inactive", capacity: { unit: "Mbps", value: 1000 } },
  tasks: [],
  ipmi: []
})

/**
 * A fresh state.
 *
 * @since 0.1.0
 */
export const seed = (options: { readonly now: number; readonly settings: Settings; readonly bills?: number }): SimState => ({
  settings: options.settings,
  applications: [{
    applicationId: SeedKeys.applicationId,
    applicationKey: SeedKeys.applicationKey,
    applicationSecret: SeedKeys.applicationSecret,
    name: "simulator",
    description: "The application the OVH simulator is seeded with",
    status: "active"
  }],
  credentials: [{
    credentialId: SeedKeys.credentialId,
    consumerKey: SeedKeys.consumerKey,
    applicationId: SeedKeys.applicationId,
    status: "validated",
    rules: fullAccess,
    allowedIPs: null,
    creation: options.now,
    expiration: null,
    lastUse: null,
    validationToken: "seeded",
    redirection: null
  }],
  oauth2Clients: [{ clientId: SeedKeys.oauth2ClientId, clientSecret: SeedKeys.oauth2ClientSecret }],
  tokens: [],
  me: {
    nichandle: SeedKeys.nichandle,
    email: "john.doe@example.com",
    firstname: "John",
    name: "Doe",
    organisation: null,
    legalform: "individual",
    address: "2 rue Kellermann",
    zip: "59100",
    city: "Roubaix",
    area: null,
    country: "FR",
    language: "fr_FR",
    currency: { code: "EUR", symbol: "EURO" },
    ovhSubsidiary: "FR",
    ovhCompany: "ovh",
    state: "complete",
    customerCode: "1234-5678-90",
    kycValidated: true,
    phone: "+33.123456789",
    phoneCountry: "FR",
    fax: null,
    vat: null,
    spareEmail: null,
    sex: null,
    birthDay: null,
    birthCity: null,
    nationalIdentificationNumber: null,
    companyNationalIdentificationNumber: null,
    corporationType: null,
    complementaryAddress: null,
    italianSDI: null,
    phoneType: "mobile",
    purposeOfPurchase: null
  },
  bills: bills(options.bills ?? 24),
  servers: [
    // The recorded detail of the fixtures: an older shape without `iam`, `region`, `availabilityZone`, `powerState`.
    {
      ...server("abcde", 1234, "gra3", "1.2.3.4"),
      detail: {
        ip: "1.2.3.4",
        newUpgradeSystem: true,
        commercialRange: "Advance-1 Gen 2",
        rack: "TESTRACK",
        rescueMail: null,
        supportLevel: "pro",
        bootId: 1,
        linkSpeed: 123,
        professionalUse: false,
        monitoring: true,
        noIntervention: false,
        name: "abcde",
        rootDevice: null,
        state: "test",
        datacenter: "gra3",
        os: "debian11_64",
        reverse: "abcde-rev",
        serverId: 1234
      }
    },
    server("ns3001234.ip-51-68-1.eu", 3_001_234, "sbg1", "51.68.1.10"),
    server("ns3001235.ip-51-68-1.eu", 3_001_235, "sbg1", "51.68.1.11"),
    server("ns3001236.ip-51-75-2.eu", 3_001_236, "rbx8", "51.75.2.12")
  ],
  mailDomains: [{
    domain: "example.com",
    redirections: [{ id: "4021870521", from: "info@example.com", to: "contact@example.com", localCopy: false }],
    tasks: []
  }],
  domains: ["ovh.com", "ovh.net"],
  nextId: 7_000_000
})
