import { describe, expect, it } from 'vitest';

import { contentTypeFor, isTextContent } from './content-type.js';
import { UsageError } from './usage-error.js';

describe('contentTypeFor', () => {
  it.each([
    ['bundle.json', 'application/fhir+json'],
    ['scan.PDF', 'application/pdf'],
    ['x.png', 'image/png'],
    ['x.jpg', 'image/jpeg'],
    ['x.jpeg', 'image/jpeg'],
    ['x.tif', 'image/tiff'],
    ['dir.v2/x.tiff', 'image/tiff'],
    ['ct.dcm', 'application/dicom'],
    ['note.txt', 'text/plain'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });

  it('prefers --type to the extension', () => {
    expect(contentTypeFor('scan.bin', 'application/pdf')).toBe('application/pdf');
    expect(contentTypeFor('note.json', 'text/plain')).toBe('text/plain');
  });

  it('asks for --type when the extension says nothing', () => {
    expect(() => contentTypeFor('report.docx')).toThrow(UsageError);
    expect(() => contentTypeFor('report.docx')).toThrow(/extension \.docx .*: pass --type$/);
    expect(() => contentTypeFor('README')).toThrow(/from its name .*: pass --type$/);
  });
});

describe('isTextContent', () => {
  it('is true for FHIR JSON and plain text only', () => {
    expect(isTextContent('application/fhir+json')).toBe(true);
    expect(isTextContent('text/plain')).toBe(true);
    expect(isTextContent('application/pdf')).toBe(false);
  });
});
