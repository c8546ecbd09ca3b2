import { unlockKeystore, type ParticipantKeys } from '@sec-health/crypto';

import { ClientError, ClientErrorCode } from '../errors.js';
import { sechealthHome } from '../profile/home.js';
import type { ProfileFile } from '../profile/profile.js';
import { ProfileStore } from '../profile/profile-store.js';
import { keysSigner, type ActionSigner } from '../sdk/admin-actions.js';
import { SecHealthClient } from '../sdk/client.js';
import { zeroizeKeys } from '../sdk/keys.js';
import { RecordFlows } from '../sdk/records/record-flows.js';
import type { CliIo } from './io.js';
import { formatJson, formatRecord, formatTable, type Row } from './output.js';
import { readPassphrase } from './passphrase.js';
import { withProgress, type ProgressText } from './progress.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  readonly profile: string;
  readonly api?: string;
  readonly json?: boolean;
}

/** What every command needs: the chosen profile, the API URL, output and secrets handling. */
export class CliContext {
  readonly store: ProfileStore;
  readonly profileName: string;
  readonly json: boolean;

  constructor(
    readonly io: CliIo,
    private readonly options: GlobalOptions,
  ) {
    this.store = new ProfileStore(sechealthHome(io.env));
    this.profileName = options.profile;
    this.json = options.json === true;
  }

  /** --api, else SECHEALTH_API, else the profile's URL, else the local default. */
  apiUrl(profile?: ProfileFile): string {
    return (this.options.api || this.io.env.SECHEALTH_API || profile?.apiUrl) ?? DEFAULT_API_URL;
  }

  loadProfile(): Promise<ProfileFile> {
    return this.store.read(this.profileName);
  }

  registeredId(profile: ProfileFile): string {
    if (profile.participantId === null) {
      throw new ClientError(
        ClientErrorCode.NotRegistered,
        `profile "${profile.name}" is not registered yet: run \`sechealth register --profile ${profile.name}\``,
      );
    }
    return profile.participantId;
  }

  client(profile?: ProfileFile): SecHealthClient {
    return new SecHealthClient({ apiUrl: this.apiUrl(profile), fetch: this.io.fetch });
  }

  /** A client carrying the profile's session token; fails early when there is none or it expired. */
  async authenticatedClient(loaded?: ProfileFile): Promise<SecHealthClient> {
    const profile = loaded ?? (await this.loadProfile());
    const login = `run \`sechealth login --profile ${profile.name}\``;
    const { session } = profile;
    if (!session) {
      throw new ClientError(ClientErrorCode.NotLoggedIn, `not logged in: ${login}`);
    }
    if (Date.parse(session.expiresAt) <= Date.now()) {
      throw new ClientError(
        ClientErrorCode.NotLoggedIn,
        `the session of profile "${profile.name}" expired at ${session.expiresAt}: ${login}`,
      );
    }
    const client = this.client(profile);
    client.token = session.token;
    return client;
  }

  async unlockKeys(profile: ProfileFile): Promise<ParticipantKeys> {
    const passphrase = await readPassphrase(this.io, profile.name);
    return this.progress('Unlocking the keystore', () =>
      unlockKeystore(profile.keystore, passphrase),
    );
  }

  /**
   * Unlocks the profile's keys (SECHEALTH_PASSPHRASE or the prompt), lets `work` sign
   * administrative actions as the profile's participant, and zeroizes the keys after.
   */
  async withActionSigner<T>(work: (signer: ActionSigner) => Promise<T>): Promise<T> {
    const profile = await this.loadProfile();
    const actorId = this.registeredId(profile);
    const keys = await this.unlockKeys(profile);
    try {
      return await work(keysSigner(actorId, keys));
    } finally {
      zeroizeKeys(keys);
    }
  }

  /**
   * Logs in with the profile's session, unlocks its keys (SECHEALTH_PASSPHRASE or the prompt),
   * lets `work` read and write records as its participant, and zeroizes the keys after.
   */
  async withRecordFlows<T>(
    work: (records: RecordFlows, profile: ProfileFile) => Promise<T>,
  ): Promise<T> {
    const profile = await this.loadProfile();
    const participantId = this.registeredId(profile);
    const client = await this.authenticatedClient(profile);
    const passphrase = await readPassphrase(this.io, profile.name);
    const keys = await this.progress('Unlocking the keystore', () =>
      unlockKeystore(profile.keystore, passphrase),
    );
    const retired = new Map<number, ParticipantKeys>();
    try {
      for (const old of profile.retiredKeys ?? []) {
        retired.set(old.keyVersion, await unlockKeystore(old.keystore, passphrase));
      }
      const retiredEncryptionKeys = new Map(
        [...retired].map(([version, k]) => [version, k.encryption] as const),
      );
      return await work(
        new RecordFlows(client, { id: participantId, keys, retiredEncryptionKeys }),
        profile,
      );
    } finally {
      zeroizeKeys(keys);
      for (const k of retired.values()) zeroizeKeys(k);
    }
  }

  /** `work` behind a spinner on stderr (terminal, no --json); it may update the spinner's text. */
  progress<T>(text: string, work: (setText: ProgressText) => Promise<T>): Promise<T> {
    return withProgress(this.io.interactive === true && !this.json, text, work);
  }

  /** Prints `data` as JSON with --json, else as aligned `label: value` lines. */
  printRecord(data: unknown, row: Row): void {
    this.io.stdout(this.json ? formatJson(data) : formatRecord(row));
  }

  printTable(
    data: unknown,
    headers: readonly string[],
    rows: readonly (readonly string[])[],
  ): void {
    this.io.stdout(this.json ? formatJson(data) : formatTable(headers, rows));
  }

  /** A hint for people (stderr), never shown with --json. */
  note(text: string): void {
    if (!this.json) this.io.stderr(`${text}\n`);
  }
}
