import { z } from 'zod';

import { AnchorInfo } from './participants.js';
import { IsoTime, PublicKey32, Signature64, text, Uuid } from './primitives.js';
import { Confidentiality, RecordCategory, SensitivityTag, WrappedKey } from './records.js';

export const ConsentPermission = z.enum(['read', 'write']).meta({ id: 'ConsentPermission' });
export type ConsentPermission = z.infer<typeof ConsentPermission>;
export const PurposeOfUse = z.enum(['treatment', 'research']).meta({ id: 'PurposeOfUse' });
export type PurposeOfUse = z.infer<typeof PurposeOfUse>;

const sortedUnique = <T extends string>(items: readonly T[]) =>
  items.every((item, i) => i === 0 || items[i - 1]! < item);

export const ConsentScope = z
  .strictObject({
    recordIds: z.array(Uuid).max(1000).default([]),
    categories: z.array(RecordCategory).max(12).default([]),
  })
  .refine((s) => s.recordIds.length + s.categories.length > 0, 'the scope names nothing')
  .refine(
    (s) => sortedUnique(s.recordIds) && sortedUnique(s.categories),
    'record ids and categories must be sorted and without repeats',
  )
  .meta({ id: 'ConsentScope' });
export type ConsentScope = z.infer<typeof ConsentScope>;

/** A grant as the patient signs it (DESIGN.md section 6). */
export const Consent = z
  .strictObject({
    consentId: Uuid,
    patientId: Uuid,
    granteeId: Uuid,
    scope: ConsentScope,
    permission: ConsentPermission,
    purposeOfUse: PurposeOfUse,
    validFrom: IsoTime,
    expiresAt: IsoTime,
    signedAt: IsoTime,
  })
  .refine((c) => Date.parse(c.expiresAt) > Date.parse(c.validFrom), 'expiresAt before validFrom')
  .meta({ id: 'Consent' });
export type Consent = z.infer<typeof Consent>;

/** A data key in a grant's scope, wrapped to the grantee. */
export const GrantKey = z
  .strictObject({
    recordId: Uuid,
    version: z.number().int().min(1),
    wrappedKey: WrappedKey,
  })
  .meta({ id: 'GrantKey' });
export type GrantKey = z.infer<typeof GrantKey>;

export const CreateGrantRequest = z
  .strictObject({
    consent: Consent,
    signature: Signature64,
    keys: z.array(GrantKey).max(1000).default([]),
  })
  .meta({ id: 'CreateGrantRequest' });
export type CreateGrantRequest = z.infer<typeof CreateGrantRequest>;

export const GrantStatus = z.enum(['active', 'expired', 'revoked']).meta({ id: 'GrantStatus' });

export const Grant = z
  .strictObject({
    consent: Consent,
    signature: Signature64,
    status: GrantStatus,
    revokedAt: IsoTime.nullable(),
    keyCount: z.number().int().nonnegative(),
    anchor: AnchorInfo,
    revocationAnchor: AnchorInfo.nullable(),
  })
  .meta({ id: 'Grant' });
export type Grant = z.infer<typeof Grant>;

export const ListGrantsRequest = z
  .strictObject({
    /** The patient's grants (patients: their own) or those granted to the caller (default). */
    as: z.enum(['patient', 'grantee']).default('grantee'),
    status: GrantStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
    after: Uuid.optional(),
  })
  .meta({ id: 'ListGrantsRequest' });
export type ListGrantsRequest = z.infer<typeof ListGrantsRequest>;

export const GrantList = z
  .strictObject({ items: z.array(Grant), next: Uuid.nullable() })
  .meta({ id: 'GrantList' });
export type GrantList = z.infer<typeof GrantList>;

export const ConsentIdRequest = z
  .strictObject({ consentId: Uuid })
  .meta({ id: 'ConsentIdRequest' });

export const RevokeGrantRequest = z
  .strictObject({ consentId: Uuid, signedAt: IsoTime, signature: Signature64 })
  .meta({ id: 'RevokeGrantRequest' });
export type RevokeGrantRequest = z.infer<typeof RevokeGrantRequest>;

/** Keys added to an active grant: by the patient (after a rotation) or by an author under a write grant. */
export const AddGrantKeysRequest = z
  .strictObject({ consentId: Uuid, keys: z.array(GrantKey).min(1).max(1000) })
  .meta({ id: 'AddGrantKeysRequest' });
export type AddGrantKeysRequest = z.infer<typeof AddGrantKeysRequest>;

export const GrantKeysAdded = z
  .strictObject({ consentId: Uuid, added: z.number().int().nonnegative() })
  .meta({ id: 'GrantKeysAdded' });

/** Who must receive a new record's key: the active read grantees of the patient's category. */
export const RecipientsRequest = z
  .strictObject({ patientId: Uuid, category: RecordCategory, recordId: Uuid.optional() })
  .meta({ id: 'RecipientsRequest' });
export type RecipientsRequest = z.infer<typeof RecipientsRequest>;

export const Recipient = z
  .strictObject({
    consentId: Uuid,
    granteeId: Uuid,
    encryptionKey: PublicKey32,
    keyVersion: z.number().int().positive(),
  })
  .meta({ id: 'Recipient' });
export type Recipient = z.infer<typeof Recipient>;

export const RecipientList = z
  .strictObject({ patientId: Uuid, recipients: z.array(Recipient) })
  .meta({ id: 'RecipientList' });

export const PatientsOfCollaborator = z
  .strictObject({
    items: z.array(
      z.strictObject({
        patientId: Uuid,
        grants: z.array(
          z.strictObject({
            consentId: Uuid,
            permission: ConsentPermission,
            scope: ConsentScope,
            expiresAt: IsoTime,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'PatientsOfCollaborator' });

export const EmptyRequest = z.strictObject({}).meta({ id: 'EmptyRequest' });

/** A FHIR R4 resource as JSON (validated with @medplum/core by who builds or reads it). */
export const FhirResource = z
  .looseObject({ resourceType: z.string() })
  .meta({ id: 'FhirResource' });

/** A person to tell when break-glass is used (no health data is ever sent to them). */
export const EmergencyContact = z
  .strictObject({
    name: text(120),
    email: z.email().max(254).optional(),
    webhook: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  })
  .refine((c) => c.email !== undefined || c.webhook !== undefined, 'needs an email or a webhook')
  .meta({ id: 'EmergencyContact' });

/** The patient's signed emergency policy (DESIGN.md section 6). */
export const EmergencyPolicy = z
  .strictObject({
    patientId: Uuid,
    policyVersion: z
      .number()
      .int()
      .min(1)
      .max(2 ** 32 - 1),
    breakGlass: z.boolean(),
    confidentiality: z.array(Confidentiality).min(1).max(3),
    /** Categories break-glass may release; all when absent. */
    categories: z.array(RecordCategory).max(12).optional(),
    /** Stigma tags the patient allows break-glass to release. */
    sensitivityOptIn: z.array(SensitivityTag).max(16).default([]),
    maxSessionMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    contacts: z.array(EmergencyContact).max(5).default([]),
    signedAt: IsoTime,
  })
  .meta({ id: 'EmergencyPolicy' });
export type EmergencyPolicy = z.infer<typeof EmergencyPolicy>;

export const SetPolicyRequest = z
  .strictObject({ patientId: Uuid, policy: EmergencyPolicy, signature: Signature64 })
  .meta({ id: 'SetPolicyRequest' });
export type SetPolicyRequest = z.infer<typeof SetPolicyRequest>;

export const PolicyView = z
  .strictObject({
    /** `signed` when the patient set one; `default` is DESIGN.md's policy for patients who did not. */
    source: z.enum(['signed', 'default']),
    policy: EmergencyPolicy.omit({ signedAt: true }).extend({ signedAt: IsoTime.nullable() }),
    signature: Signature64.nullable(),
    anchor: AnchorInfo.nullable(),
  })
  .meta({ id: 'PolicyView' });
export type PolicyView = z.infer<typeof PolicyView>;

export const PatientIdRequest = z
  .strictObject({ patientId: Uuid })
  .meta({ id: 'PatientIdRequest' });
