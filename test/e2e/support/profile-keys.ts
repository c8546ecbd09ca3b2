import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { RecordFlows, SecHealthClient } from '@sec-health/client';
import { unlockKeystore, type ParticipantKeys } from '@sec-health/crypto';

interface StoredProfile {
  readonly participantId: string;
  readonly keystore: unknown;
  readonly session?: { readonly token: string };
}

/** A CLI profile's participant id, unlocked keys and session token, read from its file. */
export async function profileKeys(
  home: string,
  name: string,
  passphrase: string,
): Promise<{ id: string; keys: ParticipantKeys; token: string | undefined }> {
  const profile = JSON.parse(
    await readFile(join(home, 'profiles', `${name}.json`), 'utf8'),
  ) as StoredProfile;
  return {
    id: profile.participantId,
    keys: await unlockKeystore(profile.keystore, passphrase),
    token: profile.session?.token,
  };
}

/** The SDK as the profile's participant, with its logged-in session. */
export async function sdkAs(
  gatewayUrl: string,
  home: string,
  name: string,
  passphrase: string,
): Promise<RecordFlows> {
  const { id, keys, token } = await profileKeys(home, name, passphrase);
  const client = new SecHealthClient({ apiUrl: gatewayUrl, ...(token ? { token } : {}) });
  return new RecordFlows(client, { id, keys });
}
