import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { parseContact } from './contact-option.js';

describe('parseContact', () => {
  it('reads "Name <email>"', () => {
    expect(parseContact('João Souza <joao@example.org>', 'email')).toEqual({
      name: 'João Souza',
      email: 'joao@example.org',
    });
  });

  it('reads "Name <url>" as a webhook', () => {
    expect(parseContact(' Ops desk<https://ops.example.org/hook?x=1> ', 'webhook')).toEqual({
      name: 'Ops desk',
      webhook: 'https://ops.example.org/hook?x=1',
    });
  });

  it('refuses a value without the angle brackets, showing the form', () => {
    expect(() => parseContact('joao@example.org', 'email')).toThrow(InvalidArgumentError);
    expect(() => parseContact('joao@example.org', 'email')).toThrow(
      'must look like "Ana Souza <ana@example.org>"',
    );
  });

  it('refuses an address the policy schema refuses, naming the field', () => {
    expect(() => parseContact('João <not-an-email>', 'email')).toThrow(/^email: /);
    expect(() => parseContact('Ops <ftp://example.org/x>', 'webhook')).toThrow(/^webhook: /);
  });
});
