/**
 * What we need to know about EC2 instance types to check that a task fits on one and runs on its CPU.
 *
 * Only Graviton (ARM64) families are listed: the task is ARM64, so any other family is an error, and an
 * explicit table beats guessing from the name. Sizes follow the EC2 naming scheme (xlarge = 4 vCPU, ...);
 * memory is the family's GiB per vCPU.
 * Reference: https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (general purpose),
 * .../co.html (compute optimized), .../mo.html (memory optimized).
 */

/** GiB of memory per vCPU for each Graviton family (t4g is burstable and listed on its own below). */
const GRAVITON_FAMILY_GIB_PER_VCPU: Readonly<Record<string, number>> = {
  a1: 2,
  c6g: 2,
  c6gd: 2,
  c6gn: 2,
  c7g: 2,
  c7gd: 2,
  c7gn: 2,
  c8g: 2,
  m6g: 4,
  m6gd: 4,
  m7g: 4,
  m7gd: 4,
  m8g: 4,
  r6g: 8,
  r6gd: 8,
  r7g: 8,
  r7gd: 8,
  r8g: 8,
  x2gd: 16,
};

const VCPUS_BY_SIZE: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  "2xlarge": 8,
  "4xlarge": 16,
  "8xlarge": 32,
  "12xlarge": 48,
  "16xlarge": 64,
};

/** t4g sizes: 2 vCPU up to large, then 4 and 8; memory doubles with each size. */
const T4G: Readonly<Record<string, { vcpus: number; memoryMiB: number }>> = {
  nano: { vcpus: 2, memoryMiB: 512 },
  micro: { vcpus: 2, memoryMiB: 1024 },
  small: { vcpus: 2, memoryMiB: 2048 },
  medium: { vcpus: 2, memoryMiB: 4096 },
  large: { vcpus: 2, memoryMiB: 8192 },
  xlarge: { vcpus: 4, memoryMiB: 16384 },
  "2xlarge": { vcpus: 8, memoryMiB: 32768 },
};

export interface InstanceCapacity {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export const GRAVITON_FAMILIES: readonly string[] = [...Object.keys(GRAVITON_FAMILY_GIB_PER_VCPU), "t4g"].sort();

/** The capacity of a Graviton instance type, or undefined when the type is not a known Graviton type. */
export function gravitonCapacity(instanceType: string): InstanceCapacity | undefined {
  const [family, size, ...rest] = instanceType.split(".");
  if (!family || !size || rest.length > 0) return undefined;
  if (family === "t4g") return T4G[size];
  const gibPerVcpu = GRAVITON_FAMILY_GIB_PER_VCPU[family];
  const vcpus = VCPUS_BY_SIZE[size];
  if (gibPerVcpu === undefined || vcpus === undefined) return undefined;
  return { vcpus, memoryMiB: vcpus * gibPerVcpu * 1024 };
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
