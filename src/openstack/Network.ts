/**
 * Neutron v2.0 networks, subnets and ports, with their list envelopes (`{"networks": [...], "networks_links"?}`, whose
 * links hold `rel=next` and `rel=previous`) and single envelopes (`{"network": {...}}`). Extension fields keep their
 * wire names (`"router:external"`, `"binding:host_id"`, …). A `fields=` projection answers partial records, which
 * need their own schema.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { optional as opt } from "../core/Fields.js"

/** Fields every Neutron resource carries (ownership, revision, timestamps, tags). */
const commonFields = {
  id: Schema.String,
  name: Schema.String,
  tenant_id: opt(Schema.String),
  project_id: opt(Schema.String),
  description: opt(Schema.String),
  tags: opt(Schema.Array(Schema.String)),
  created_at: opt(Schema.String),
  updated_at: opt(Schema.String),
  revision_number: opt(Schema.Number)
}

/** A network. `status` is `ACTIVE`, `DOWN`, `BUILD` or `ERROR`; `subnets` holds subnet ids. */
export const Network = Schema.Struct({
  ...commonFields,
  status: Schema.String,
  admin_state_up: Schema.Boolean,
  shared: Schema.Boolean,
  subnets: Schema.Array(Schema.String),
  mtu: opt(Schema.Number),
  "router:external": opt(Schema.Boolean),
  port_security_enabled: opt(Schema.Boolean),
  availability_zones: opt(Schema.Array(Schema.String)),
  availability_zone_hints: opt(Schema.Array(Schema.String)),
  ipv4_address_scope: opt(Schema.NullOr(Schema.String)),
  ipv6_address_scope: opt(Schema.NullOr(Schema.String)),
  is_default: opt(Schema.Boolean),
  qos_policy_id: opt(Schema.NullOr(Schema.String)),
  dns_domain: opt(Schema.String),
  l2_adjacency: opt(Schema.Boolean),
  vlan_transparent: opt(Schema.NullOr(Schema.Boolean)),
  "provider:network_type": opt(Schema.NullOr(Schema.String)),
  "provider:physical_network": opt(Schema.NullOr(Schema.String)),
  "provider:segmentation_id": opt(Schema.NullOr(Schema.Number))
})

/** A network. */
export interface Network extends Schema.Schema.Type<typeof Network> {}

/** A range of a subnet's addresses that DHCP hands out. */
export const AllocationPool = Schema.Struct({ start: Schema.String, end: Schema.String })

/** A range of a subnet's addresses that DHCP hands out. */
export interface AllocationPool extends Schema.Schema.Type<typeof AllocationPool> {}

/** A static route of a subnet. */
export const HostRoute = Schema.Struct({ destination: Schema.String, nexthop: Schema.String })

/** A static route of a subnet. */
export interface HostRoute extends Schema.Schema.Type<typeof HostRoute> {}

/** A subnet of a network. `gateway_ip` is null for a subnet without a gateway. */
export const Subnet = Schema.Struct({
  ...commonFields,
  network_id: Schema.String,
  ip_version: Schema.Number,
  cidr: Schema.String,
  gateway_ip: Schema.NullOr(Schema.String),
  enable_dhcp: Schema.Boolean,
  allocation_pools: Schema.Array(AllocationPool),
  dns_nameservers: Schema.Array(Schema.String),
  host_routes: Schema.Array(HostRoute),
  dns_publish_fixed_ip: opt(Schema.Boolean),
  segment_id: opt(Schema.NullOr(Schema.String)),
  subnetpool_id: opt(Schema.NullOr(Schema.String)),
  ipv6_address_mode: opt(Schema.NullOr(Schema.String)),
  ipv6_ra_mode: opt(Schema.NullOr(Schema.String)),
  service_types: opt(Schema.Array(Schema.String))
})

/** A subnet of a network. */
export interface Subnet extends Schema.Schema.Type<typeof Subnet> {}

/** An address of a port on a subnet. */
export const FixedIp = Schema.Struct({ subnet_id: Schema.String, ip_address: Schema.String })

/** An address of a port on a subnet. */
export interface FixedIp extends Schema.Schema.Type<typeof FixedIp> {}

/** An extra address (and MAC) a port may use. */
export const AddressPair = Schema.Struct({ ip_address: Schema.String, mac_address: opt(Schema.String) })

/** An extra address a port may use. */
export interface AddressPair extends Schema.Schema.Type<typeof AddressPair> {}

/** A DNS name assigned to a port address. */
export const DnsAssignment = Schema.Struct({ hostname: Schema.String, ip_address: Schema.String, fqdn: Schema.String })

/** A DNS name assigned to a port address. */
export interface DnsAssignment extends Schema.Schema.Type<typeof DnsAssignment> {}

/** A DHCP option of a port. */
export const DhcpOption = Schema.Struct({
  opt_name: Schema.String,
  opt_value: Schema.String,
  ip_version: opt(Schema.Number)
})

/** A DHCP option of a port. */
export interface DhcpOption extends Schema.Schema.Type<typeof DhcpOption> {}

/**
 * A port: a network attachment point. `device_id`/`device_owner` name what uses it (a server's uuid and
 * `compute:<zone>`, a router, …), `""` when nothing does; `security_groups` holds ids.
 */
export const Port = Schema.Struct({
  ...commonFields,
  network_id: Schema.String,
  mac_address: Schema.String,
  status: Schema.String,
  admin_state_up: Schema.Boolean,
  fixed_ips: Schema.Array(FixedIp),
  device_id: Schema.String,
  device_owner: Schema.String,
  security_groups: opt(Schema.Array(Schema.String)),
  allowed_address_pairs: opt(Schema.Array(AddressPair)),
  port_security_enabled: opt(Schema.Boolean),
  ip_allocation: opt(Schema.String),
  dns_name: opt(Schema.String),
  dns_domain: opt(Schema.String),
  dns_assignment: opt(Schema.Array(DnsAssignment)),
  extra_dhcp_opts: opt(Schema.Array(DhcpOption)),
  data_plane_status: opt(Schema.NullOr(Schema.String)),
  qos_policy_id: opt(Schema.NullOr(Schema.String)),
  qos_network_policy_id: opt(Schema.NullOr(Schema.String)),
  propagate_uplink_status: opt(Schema.Boolean),
  "binding:host_id": opt(Schema.String),
  "binding:vnic_type": opt(Schema.String),
  "binding:vif_type": opt(Schema.String),
  "binding:vif_details": opt(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  "binding:profile": opt(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/** A port. */
export interface Port extends Schema.Schema.Type<typeof Port> {}
