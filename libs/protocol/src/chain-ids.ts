/**
 * How a UUID (record id, consent id) appears on chain as bytes32: its 16 bytes right-aligned,
 * zero-padded on the left. Reversible, so anyone reading an event can tell which record or
 * consent it names; a UUID is not health data.
 */
export function uuidToBytes32(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return `0x${'0'.repeat(32)}${hex}`;
}

/** The UUID of a bytes32 made by uuidToBytes32. */
export function bytes32ToUuid(value: string): string {
  const hex = value.toLowerCase();
  if (!/^0x0{32}[0-9a-f]{32}$/.test(hex)) throw new TypeError(`not a UUID as bytes32: ${value}`);
  const u = hex.slice(34);
  return `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
}
