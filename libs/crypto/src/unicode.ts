import { invalidInput } from './errors.js';

// A lone surrogate has no UTF-8 form: TextEncoder replaces every one with U+FFFD, so two different
// strings would encode to the same bytes. Text that is hashed or fed to a KDF must not contain one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws a CryptoError naming `parameter` when `value` is not well-formed UTF-16 (has a lone surrogate). */
export function assertWellFormedText(parameter: string, value: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw invalidInput(parameter, 'contains a lone surrogate (not valid Unicode text)');
  }
}
