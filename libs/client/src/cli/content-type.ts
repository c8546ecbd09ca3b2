import { extname } from 'node:path';

import { FHIR_CONTENT_TYPE, type RecordContentType } from '@sec-health/protocol';

import { UsageError } from './usage-error.js';

const BY_EXTENSION: Readonly<Record<string, RecordContentType>> = {
  '.json': FHIR_CONTENT_TYPE,
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.dcm': 'application/dicom',
  '.txt': 'text/plain',
};

/** The record content type: `explicit` (--type) when given, else from the file's extension. */
export function contentTypeFor(file: string, explicit?: RecordContentType): RecordContentType {
  if (explicit) return explicit;
  const extension = extname(file).toLowerCase();
  const type = BY_EXTENSION[extension];
  if (type) return type;
  const known = Object.keys(BY_EXTENSION).join(' ');
  throw new UsageError(
    `cannot tell the content type of "${file}" from ${extension ? `its extension ${extension}` : 'its name'} (known: ${known}): pass --type`,
  );
}

/** Content that is text and may be printed to a terminal as it is. */
export function isTextContent(type: RecordContentType): boolean {
  return type === FHIR_CONTENT_TYPE || type === 'text/plain';
}
