import { z } from 'zod';

export const DependencyHealth = z.strictObject({
  status: z.enum(['up', 'down']),
  detail: z.string().optional(),
});

export const Health = z
  .strictObject({
    service: z.string(),
    status: z.enum(['up', 'degraded', 'down']),
    dependencies: z.record(z.string(), DependencyHealth),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
