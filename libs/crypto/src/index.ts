// Public surface of @sec-health/crypto (portable entry; Node gets index.node.ts with native primitives).
export * from './errors.js';
export * from './suite.js';
export {
  constantTimeEqual,
  zeroize,
  toHex,
  fromHex,
  toBase64Url,
  fromBase64Url,
  utf8,
  fromUtf8,
} from './bytes.js';
export * from './random.js';
export * from './canonical-json.js';
export * from './canonical-hash.js';
export * from './signatures.js';
export * from './participant-keys.js';
export * from './public-keys.js';
export * from './record-envelope.js';
export * from './key-wrap.js';
export * from './shamir.js';
export * from './keystore.js';
