/**
 * What we need to know about EC2 instance types to check that a task fits on one and runs on its CPU.
 *
 * Only Graviton (ARM64) families are listed: the task is ARM64, so any other family is an error, and an
 * explicit table beats guessing from the name. Sizes follow the EC2 naming scheme (xlarge = 4 vCPU, ...);
 * memory is the family's GiB per vCPU.
 * Reference: https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (general purpose),
 * .../co.html (compute optimized), .../mo.html (memory optimized).
 */

/*
 * Only own entries of these Maps answer (class 2 of docs/configuration.md): a Map has no prototype keys, so
 * "constructor", "__proto__" or "toString" as a family or size is simply unknown, never a function that
 * turns the arithmetic below into NaN (and NaN passes every "greater than" check).
 */

/** GiB of memory per vCPU, and the sizes that exist, for each Graviton family (t4g is listed on its own). */
const SIZES_6G = ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;
const SIZES_8G = [...SIZES_6G, "24xlarge", "48xlarge", "metal-24xl", "metal-48xl"] as const;
const GRAVITON_FAMILIES_TABLE: ReadonlyMap<string, { gibPerVcpu: number; sizes: readonly string[] }> = new Map([
  // a1 stops at 4xlarge; a1.metal has the 4xlarge's 16 vCPU (general purpose page).
  ["a1", { gibPerVcpu: 2, sizes: ["medium", "large", "xlarge", "2xlarge", "4xlarge", "metal"] }],
  ["c6g", { gibPerVcpu: 2, sizes: [...SIZES_6G, "metal"] }],
  ["c6gd", { gibPerVcpu: 2, sizes: [...SIZES_6G, "metal"] }],
  // c6gn has no metal size (compute optimized page).
  ["c6gn", { gibPerVcpu: 2, sizes: SIZES_6G }],
  ["c7g", { gibPerVcpu: 2, sizes: [...SIZES_6G, "metal"] }],
  ["c7gd", { gibPerVcpu: 2, sizes: [...SIZES_6G, "metal"] }],
  ["c7gn", { gibPerVcpu: 2, sizes: [...SIZES_6G, "metal"] }],
  ["c8g", { gibPerVcpu: 2, sizes: SIZES_8G }],
  ["m6g", { gibPerVcpu: 4, sizes: [...SIZES_6G, "metal"] }],
  ["m6gd", { gibPerVcpu: 4, sizes: [...SIZES_6G, "metal"] }],
  ["m7g", { gibPerVcpu: 4, sizes: [...SIZES_6G, "metal"] }],
  ["m7gd", { gibPerVcpu: 4, sizes: [...SIZES_6G, "metal"] }],
  ["m8g", { gibPerVcpu: 4, sizes: SIZES_8G }],
  ["r6g", { gibPerVcpu: 8, sizes: [...SIZES_6G, "metal"] }],
  ["r6gd", { gibPerVcpu: 8, sizes: [...SIZES_6G, "metal"] }],
  ["r7g", { gibPerVcpu: 8, sizes: [...SIZES_6G, "metal"] }],
  ["r7gd", { gibPerVcpu: 8, sizes: [...SIZES_6G, "metal"] }],
  ["r8g", { gibPerVcpu: 8, sizes: SIZES_8G }],
  ["x2gd", { gibPerVcpu: 16, sizes: [...SIZES_6G, "metal"] }],
]);

/** vCPUs by size name; `metal` is the family's largest size (16xlarge, or 4xlarge for a1). */
const VCPUS_BY_SIZE: ReadonlyMap<string, number> = new Map([
  ["medium", 1],
  ["large", 2],
  ["xlarge", 4],
  ["2xlarge", 8],
  ["4xlarge", 16],
  ["8xlarge", 32],
  ["12xlarge", 48],
  ["16xlarge", 64],
  ["24xlarge", 96],
  ["48xlarge", 192],
  ["metal-24xl", 96],
  ["metal-48xl", 192],
]);

/** t4g sizes: 2 vCPU up to large, then 4 and 8; memory doubles with each size. */
const T4G: ReadonlyMap<string, InstanceCapacity> = new Map([
  ["nano", { vcpus: 2, memoryMiB: 512 }],
  ["micro", { vcpus: 2, memoryMiB: 1024 }],
  ["small", { vcpus: 2, memoryMiB: 2048 }],
  ["medium", { vcpus: 2, memoryMiB: 4096 }],
  ["large", { vcpus: 2, memoryMiB: 8192 }],
  ["xlarge", { vcpus: 4, memoryMiB: 16384 }],
  ["2xlarge", { vcpus: 8, memoryMiB: 32768 }],
]);

export interface InstanceCapacity {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export const GRAVITON_FAMILIES: readonly string[] = [...GRAVITON_FAMILIES_TABLE.keys(), "t4g"].sort();

/** The sizes that exist for a known Graviton family (for messages), or undefined. */
export function gravitonSizes(family: string): readonly string[] | undefined {
  if (family === "t4g") return [...T4G.keys()];
  return GRAVITON_FAMILIES_TABLE.get(family)?.sizes;
}

/** The capacity of a Graviton instance type, or undefined when the type is not a known Graviton type. */
export function gravitonCapacity(instanceType: string): InstanceCapacity | undefined {
  if (typeof instanceType !== "string") return undefined;
  const [family, size, ...rest] = instanceType.split(".");
  if (!family || !size || rest.length > 0) return undefined;
  if (family === "t4g") return T4G.get(size);
  const entry = GRAVITON_FAMILIES_TABLE.get(family);
  if (!entry || !entry.sizes.includes(size)) return undefined;
  const vcpus = size === "metal" ? (family === "a1" ? 16 : 64) : VCPUS_BY_SIZE.get(size);
  if (vcpus === undefined || !Number.isFinite(vcpus)) return undefined;
  return { vcpus, memoryMiB: vcpus * entry.gibPerVcpu * 1024 };
}

/** ECS counts 1,024 CPU units per vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

/**
 * Share of an instance's nominal memory that the ECS agent can register for tasks. The kernel and the OS
 * keep part of it, so an 8 GiB instance registers less than 8,192 MiB; 90% is a safe floor across sizes.
 * Reference: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html
 */
export const REGISTRABLE_MEMORY_SHARE = 0.9;

/** Memory (MiB) left for tasks on one instance after the OS share and the agent's ECS_RESERVED_MEMORY. */
export function taskMemoryAvailableMiB(capacity: InstanceCapacity, reservedMemoryMiB: number): number {
  return Math.floor(capacity.memoryMiB * REGISTRABLE_MEMORY_SHARE) - reservedMemoryMiB;
}
