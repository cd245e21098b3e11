/*
 * How a new VPC (network mode "new") is cut into subnets: the Network construct lays them out, and the
 * configuration rules check that a CIDR and a zone list fit this layout. Here, below both, so that neither
 * imports the other.
 */

/** Subnets of each tier: public cidrsubnet(vpc, 4, i), private cidrsubnet(vpc, 4, i + 8), one per zone. */
export const MAX_NEW_VPC_ZONES = 8;
/** The bits added to the VPC's prefix for each subnet (src/constructs/network/network.ts). */
export const SUBNET_NEWBITS = 4;
