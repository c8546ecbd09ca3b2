import { portableBackend } from './portable.js';
import type { CryptoBackend } from './types.js';

let active: CryptoBackend = portableBackend;

/** The backend every public function uses: portable by default, native once the Node entry loads. */
export function backend(): CryptoBackend {
  return active;
}

/** Selects the backend; the Node entry point calls this with the native one. Tests use it to cross-check. */
export function useBackend(next: CryptoBackend): CryptoBackend {
  const previous = active;
  active = next;
  return previous;
}
