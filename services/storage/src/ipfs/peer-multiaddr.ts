import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';

import { ContentStoreError, ContentStoreErrorCode } from './content-store-error.js';

/** Parses a multiaddr; refuses a malformed one with a ContentStoreError naming `parameter`. */
export function parseMultiaddr(text: string, parameter: string): Multiaddr {
  try {
    return multiaddr(text);
  } catch (cause) {
    throw new ContentStoreError(
      ContentStoreErrorCode.InvalidMultiaddr,
      `${parameter}: "${text}" is not a multiaddr`,
      { parameter },
      { cause },
    );
  }
}

/**
 * Parses the multiaddr of a peer to dial. It must end in /p2p/<peer id>, so the encrypted
 * handshake proves we reached that peer and not whoever answers on the address.
 */
export function parsePeerMultiaddr(text: string, parameter: string): Multiaddr {
  const address = parseMultiaddr(text, parameter);
  const hasPeerId = address.getComponents().some((component) => component.name === 'p2p');
  if (!hasPeerId) {
    throw new ContentStoreError(
      ContentStoreErrorCode.InvalidMultiaddr,
      `${parameter}: "${text}" must end in /p2p/<peer id>`,
      { parameter },
    );
  }
  return address;
}
