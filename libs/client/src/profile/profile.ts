import { parseKeystore, type KeystoreFile } from '@sec-health/crypto';
import { CollaboratorKind, Profile, Role, Uuid } from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../errors.js';

export const PROFILE_VERSION = 1;

/**
 * A CLI profile, `<SECHEALTH_HOME>/profiles/<name>.json`. The authority's setup command writes the
 * same format for the first authority admin and the emergency servers.
 */
export interface ProfileFile {
  readonly version: 1;
  readonly name: string;
  readonly apiUrl: string;
  /** Null until the participant is registered. */
  readonly participantId: string | null;
  readonly role: string;
  readonly keystore: KeystoreFile;
  /** Written after a login; the token is a bearer secret, hence the file mode 0600. */
  readonly session?: { readonly token: string; readonly expiresAt: string };
  /** What `init` was told to register, kept until `register` sends it. */
  readonly registration?: ProfileRegistration;
  /**
   * Keys replaced by `keys rotate`, by the key version they had: record keys wrapped to an older
   * encryption key still open with it.
   */
  readonly retiredKeys?: readonly RetiredKeystore[];
}

export interface RetiredKeystore {
  readonly keyVersion: number;
  readonly keystore: KeystoreFile;
}

export interface ProfileRegistration {
  readonly kind?: CollaboratorKind;
  readonly organizationId?: string;
  readonly profile: { readonly displayName: string; readonly email?: string };
}

const FIELDS = new Set([
  'version',
  'name',
  'apiUrl',
  'participantId',
  'role',
  'keystore',
  'session',
  'registration',
  'retiredKeys',
]);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertProfileName(name: string): void {
  if (!NAME.test(name)) {
    throw new ClientError(
      ClientErrorCode.ProfileNameInvalid,
      `profile name "${name}" is not valid: use letters, digits, ".", "_" or "-" (at most 64)`,
      { profile: name },
    );
  }
}

/** Validates a profile's JSON text; throws ClientError(ProfileCorrupt | ProfileUnsupportedVersion). */
export function parseProfile(text: string, where: string): ProfileFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt(where, 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt(where, 'is not a JSON object');
  }
  const raw = value as Record<string, unknown>;
  if (raw.version !== PROFILE_VERSION) {
    if (typeof raw.version === 'number') {
      throw new ClientError(
        ClientErrorCode.ProfileUnsupportedVersion,
        `profile ${where} has version ${raw.version}; this sechealth reads version ${PROFILE_VERSION}: upgrade sechealth`,
        { path: where, version: raw.version },
      );
    }
    throw corrupt(where, 'has no "version": 1');
  }
  for (const key of Object.keys(raw)) {
    if (!FIELDS.has(key)) throw corrupt(where, `has an unknown field "${key}"`);
  }
  const str = (key: string): string => {
    const v = raw[key];
    if (typeof v !== 'string' || v.length === 0) throw corrupt(where, `"${key}" must be a string`);
    return v;
  };
  const participantId = raw.participantId;
  if (participantId !== null && (typeof participantId !== 'string' || participantId === '')) {
    throw corrupt(where, '"participantId" must be a string or null');
  }
  const role = str('role');
  if (!Role.safeParse(role).success) throw corrupt(where, `"role" ${role} is not a known role`);
  let keystore: KeystoreFile;
  try {
    keystore = parseKeystore(raw.keystore);
  } catch (error) {
    throw corrupt(where, `"keystore" is damaged (${(error as Error).message})`);
  }
  return {
    version: PROFILE_VERSION,
    name: str('name'),
    apiUrl: str('apiUrl'),
    participantId,
    role,
    keystore,
    ...(raw.session === undefined ? {} : { session: parseSession(raw.session, where) }),
    ...(raw.registration === undefined
      ? {}
      : { registration: parseRegistration(raw.registration, where) }),
    ...(raw.retiredKeys === undefined
      ? {}
      : { retiredKeys: parseRetiredKeys(raw.retiredKeys, where) }),
  };
}

function parseRetiredKeys(value: unknown, where: string): RetiredKeystore[] {
  const problem = (): ClientError =>
    corrupt(where, '"retiredKeys" must be a list of { keyVersion, keystore }');
  if (!Array.isArray(value)) throw problem();
  return value.map((entry: unknown) => {
    const item = entry as Record<string, unknown> | null;
    if (typeof item !== 'object' || item === null) throw problem();
    const { keyVersion } = item;
    if (typeof keyVersion !== 'number' || !Number.isSafeInteger(keyVersion) || keyVersion < 1) {
      throw problem();
    }
    try {
      return { keyVersion, keystore: parseKeystore(item.keystore) };
    } catch {
      throw problem();
    }
  });
}

function parseRegistration(value: unknown, where: string): ProfileRegistration {
  const reg = value as Record<string, unknown> | null;
  const problem = (): ClientError =>
    corrupt(where, '"registration" must be { kind?, organizationId?, profile }');
  if (typeof reg !== 'object' || reg === null) throw problem();
  const kind = reg.kind === undefined ? undefined : CollaboratorKind.safeParse(reg.kind);
  const org = reg.organizationId === undefined ? undefined : Uuid.safeParse(reg.organizationId);
  const profile = Profile.safeParse(reg.profile);
  if (kind?.success === false || org?.success === false || !profile.success) throw problem();
  return {
    ...(kind ? { kind: kind.data } : {}),
    ...(org ? { organizationId: org.data } : {}),
    profile: profile.data,
  };
}

function parseSession(value: unknown, where: string): ProfileFile['session'] {
  const session = value as Record<string, unknown> | null;
  if (
    typeof session !== 'object' ||
    session === null ||
    typeof session.token !== 'string' ||
    typeof session.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(session.expiresAt))
  ) {
    throw corrupt(where, '"session" must be { token, expiresAt }');
  }
  return { token: session.token, expiresAt: session.expiresAt };
}

function corrupt(where: string, problem: string): ClientError {
  return new ClientError(
    ClientErrorCode.ProfileCorrupt,
    `profile ${where} ${problem}: restore it from a backup or create it again with \`sechealth init --force\``,
    { path: where },
  );
}
