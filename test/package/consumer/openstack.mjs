/**
 * A plain-Node consumer of the installed package's OpenStack facade: connects from `OS_*`, lists flavors and
 * images, creates a server without networks, waits for it to be ACTIVE, deletes it, closes the session.
 */
import { OpenStack } from "effect-cloud-clients/openstack"

const os = await OpenStack.fromEnv()
try {
  const flavors = await os.flavors.list()
  console.log(`openstack: flavors ${flavors.items.map((f) => f.name).join(", ")}`)
  const images = await os.images.list()
  console.log(`openstack: images ${images.items.map((i) => i.name).join(", ")}`)
  const image = await os.images.get("cirros-0.6.2-x86_64-disk")
  const flavor = flavors.items.find((f) => f.name === "m1.tiny") ?? flavors.items[0]
  if (flavor === undefined) throw new Error("openstack: the cloud lists no flavor")
  const server = await os.servers.create({ name: "package-check", imageRef: image.id, flavorRef: flavor.id, networks: "none" })
  const active = await os.servers.waitFor(server.id, "ACTIVE", { interval: "100 millis", timeout: "30 seconds" })
  console.log(`openstack: server ${active.name} (${active.id}) is ${active.status}`)
  await os.servers.delete(server.id)
  console.log(`openstack: server ${active.name} deleted`)
} finally {
  await os.close()
}
