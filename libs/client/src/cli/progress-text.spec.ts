import { describe, expect, it } from 'vitest';

import { bytesProgressText, countProgressText } from './progress-text.js';

const MIB = 1024 * 1024;

describe('bytesProgressText', () => {
  it('shows MiB with one decimal and a floored percentage', () => {
    expect(bytesProgressText('Uploading', 12.3 * MIB, 30 * MIB)).toBe(
      'Uploading 12.3 of 30.0 MiB (41%)',
    );
  });

  it('uses the unit of the total', () => {
    expect(bytesProgressText('Downloading', 512, 2048)).toBe('Downloading 0.5 of 2.0 KiB (25%)');
    expect(bytesProgressText('Downloading', 10, 300)).toBe('Downloading 10 of 300 bytes (3%)');
  });

  it('stays within 0-100% at the edges', () => {
    expect(bytesProgressText('Uploading', 0, 0)).toBe('Uploading 0 of 0 bytes (100%)');
    expect(bytesProgressText('Uploading', MIB, MIB)).toBe('Uploading 1.0 of 1.0 MiB (100%)');
  });
});

describe('countProgressText', () => {
  it('counts items', () => {
    expect(countProgressText('Rotating', 3, 12, 'records')).toBe('Rotating 3 of 12 records');
  });
});
