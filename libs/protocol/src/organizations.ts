import { z } from 'zod';

import { ActionAuthorization } from './admin-action.js';
import { IsoTime, text, Uuid } from './primitives.js';

export const CreateOrganizationRequest = z
  .strictObject({ name: text(200), authorization: ActionAuthorization })
  .meta({ id: 'CreateOrganizationRequest' });
export type CreateOrganizationRequest = z.infer<typeof CreateOrganizationRequest>;

export const Organization = z
  .strictObject({ id: Uuid, name: z.string(), createdAt: IsoTime })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof Organization>;
