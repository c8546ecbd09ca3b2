import type { ValueTransformer } from 'typeorm';

/**
 * A bigint column read as a JS number: record versions, key versions and policy versions go up
 * to 2^32 - 1 (uint32 on chain), beyond PostgreSQL's integer but well within a safe integer.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
