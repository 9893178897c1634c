/**
 * The seed of the OpenStack simulator, like a fresh devstack: domain `Default`, users `admin` and `demo` with
 * projects `admin` and `demo`, flavors `m1.tiny` … `m1.large`, one active cirros image, a `private` network with a
 * `private-subnet`, and an application credential of `demo` on `demo`.
 *
 * @since 0.1.0
 */
import type { FlavorRecord, SimState, Settings } from "./State.js"

/**
 * The fixed ids and names of the seeded entities.
 *
 * @since 0.1.0
 */
export const SeedIds = {
  domainId: "default",
  domainName: "Default",
  regionId: "RegionOne",
  adminUserId: "5a1a0b1c2d3e4f5061728394a5b6c7d8",
  demoUserId: "1e403a6bedaf4352ac450e98a7c06fac",
  adminProjectId: "567ddb1c5e884797af47c6b7171c0884",
  demoProjectId: "ade8fb3899504d8fa08ceb43c4e8599a",
  adminRoleId: "0b0c7f6d9e8a4b2c8d1e2f3a4b5c6d7e",
  memberRoleId: "de5ef4bd0b404df68a18595e09313d9c",
  readerRoleId: "8a18886689a14415b766d6470ff318d5",
  appCredentialId: "7f9d2c4e6a8b4c0d9e1f2a3b4c5d6e7f",
  appCredentialName: "simulator-credential",
  imageId: "0b3c6f0a-8e7b-4b5c-9a2d-1c3e5f7a9b0d",
  imageName: "cirros-0.6.2-x86_64-disk",
  networkId: "3f6c2a8e-5d4b-4c1a-9e7f-0a1b2c3d4e5f",
  networkName: "private",
  subnetId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  subnetName: "private-subnet",
  flavors: { "m1.tiny": "1", "m1.small": "2", "m1.medium": "3", "m1.large": "4" }
} as const

const flavor = (id: string, name: string, ram: number, disk: number, vcpus: number): FlavorRecord => ({
  id,
  name,
  ram,
  disk,
  vcpus,
  ephemeral: 0,
  isPublic: true,
  description: null,
  extraSpecs: {}
})

/**
 * A fresh state. `password` is every user's password, `appCredentialSecret` the application credential's secret,
 * `now` the seeding time (epoch ms).
 *
 * @since 0.1.0
 */
export const seed = (options: {
  readonly password: string
  readonly appCredentialSecret: string
  readonly settings: Settings
  readonly now: number
}): SimState => {
  const now = options.now
  const admin = { id: SeedIds.adminRoleId, name: "admin" }
  const member = { id: SeedIds.memberRoleId, name: "member" }
  const reader = { id: SeedIds.readerRoleId, name: "reader" }
  return {
    domains: [{ id: SeedIds.domainId, name: SeedIds.domainName }],
    users: [
      { id: SeedIds.adminUserId, name: "admin", domainId: SeedIds.domainId, password: options.password },
      { id: SeedIds.demoUserId, name: "demo", domainId: SeedIds.domainId, password: options.password }
    ],
    projects: [
      { id: SeedIds.adminProjectId, name: "admin", domainId: SeedIds.domainId },
      { id: SeedIds.demoProjectId, name: "demo", domainId: SeedIds.domainId }
    ],
    assignments: [
      { userId: SeedIds.adminUserId, projectId: SeedIds.adminProjectId, roles: [admin, member, reader] },
      { userId: SeedIds.adminUserId, projectId: SeedIds.demoProjectId, roles: [admin, member, reader] },
      { userId: SeedIds.demoUserId, projectId: SeedIds.demoProjectId, roles: [member, reader] }
    ],
    appCredentials: [
      {
        id: SeedIds.appCredentialId,
        name: SeedIds.appCredentialName,
        userId: SeedIds.demoUserId,
        projectId: SeedIds.demoProjectId,
        secret: options.appCredentialSecret
      }
    ],
    tokens: [],
    flavors: [
      flavor("1", "m1.tiny", 512, 1, 1),
      flavor("2", "m1.small", 2048, 20, 1),
      flavor("3", "m1.medium", 4096, 40, 2),
      flavor("4", "m1.large", 8192, 80, 4)
    ],
    images: [
      {
        id: SeedIds.imageId,
        name: SeedIds.imageName,
        status: "active",
        visibility: "public",
        protected: false,
        diskFormat: "qcow2",
        containerFormat: "bare",
        size: 21430272,
        checksum: "c8fc807773e5354afe61636071771906",
        hashValue:
          "6b813aa46bb90b4da216a4d19376593fa3f4fc7e617f03a92b7fe11e9a3981cbe8f0959dbebe36225e5f53dc4492341a4863cac4ed1ee0909f3fc78ef9c3e869",
        owner: SeedIds.adminProjectId,
        minDisk: 0,
        minRam: 0,
        tags: [],
        createdAt: now,
        updatedAt: now,
        properties: { hw_rng_model: "virtio" }
      }
    ],
    networks: [
      {
        id: SeedIds.networkId,
        name: SeedIds.networkName,
        projectId: SeedIds.demoProjectId,
        adminStateUp: true,
        shared: false,
        external: false,
        mtu: 1442,
        description: "",
        createdAt: now,
        updatedAt: now,
        revision: 2
      }
    ],
    subnets: [
      {
        id: SeedIds.subnetId,
        name: SeedIds.subnetName,
        networkId: SeedIds.networkId,
        projectId: SeedIds.demoProjectId,
        ipVersion: 4,
        cidr: "10.0.0.0/26",
        gatewayIp: "10.0.0.1",
        enableDhcp: true,
        allocationPools: [{ start: "10.0.0.2", end: "10.0.0.62" }],
        description: "",
        createdAt: now,
        updatedAt: now,
        revision: 0
      }
    ],
    servers: [],
    containers: [],
    armedServerFaults: [],
    settings: options.settings,
    counter: 0
  }
}
