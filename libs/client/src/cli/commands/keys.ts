import { createKeystore, generateParticipantKeys, unlockKeystore } from '@sec-health/crypto';
import type { Command } from 'commander';

import { keystoreScrypt } from '../../profile/scrypt-cost.js';
import { zeroizeKeys } from '../../sdk/keys.js';
import type { CliContext } from '../context.js';
import { readPassphrase } from '../passphrase.js';

export function keysCommand(program: Command, context: () => CliContext): void {
  const keys = program.command('keys').description("The profile's own keys");
  keys
    .command('rotate')
    .description(
      'Replace the profile keys: new keys, signed by the current ones, re-attested by the authority; every session ends',
    )
    .action(async () => {
      const ctx = context();
      const profile = await ctx.loadProfile();
      const participantId = ctx.registeredId(profile);
      const client = await ctx.authenticatedClient();
      const passphrase = await readPassphrase(ctx.io, profile.name);
      const current = await ctx.progress('Unlocking the keystore', () =>
        unlockKeystore(profile.keystore, passphrase),
      );
      const next = generateParticipantKeys();
      try {
        const { keyVersion } = await ctx.progress('Reading the current key version', () =>
          client.getDirectoryEntry(participantId),
        );
        const keystore = await ctx.progress('Encrypting the new keys', () =>
          createKeystore(next, passphrase, { scrypt: keystoreScrypt(ctx.io.env) }),
        );
        // The new keys are on disk before the authority knows them: if this process dies after
        // the rotation took effect, `<profile>.rotating` holds them (use it as the profile).
        const pending = {
          ...profile,
          name: `${profile.name}.rotating`,
          keystore,
          session: undefined,
        };
        await ctx.store.save(pending);
        const rotated = await ctx
          .progress('Rotating the keys at the authority', () =>
            client.rotateKeys(participantId, keyVersion, current, next),
          )
          .catch(async (error: unknown) => {
            await ctx.store.remove(pending.name);
            throw error;
          });
        // The replaced keys stay (still encrypted): keys wrapped to them still open records.
        const retiredKeys = [
          ...(profile.retiredKeys ?? []),
          { keyVersion, keystore: profile.keystore },
        ];
        await ctx.store.save({ ...profile, keystore, retiredKeys, session: undefined });
        await ctx.store.remove(pending.name);
        ctx.printRecord(
          { participantId, keyVersion: rotated.keyVersion, publicKeys: keystore.publicKeys },
          [
            ['participant', participantId],
            ['key version', String(rotated.keyVersion)],
            ['signing key', keystore.publicKeys.signing],
            ['encryption key', keystore.publicKeys.encryption],
          ],
        );
        ctx.note(`every session ended: sechealth login --profile ${profile.name}`);
      } finally {
        zeroizeKeys(current);
        zeroizeKeys(next);
      }
    });
}
