import { randomUUID } from 'node:crypto';

import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import { describe, expect, it } from 'vitest';

import { TOKEN_LIFETIME_SECONDS, TokenService } from './token.service.js';

async function service() {
  const keys = generateSigningKeyPair();
  return TokenService.create({ seed: keys.secretKey, publicKey: toBase64Url(keys.publicKey) });
}

describe('TokenService', () => {
  it('issues a 15-minute token that authenticates as the actor, key version included', async () => {
    const tokens = await service();
    const actor = {
      id: randomUUID(),
      role: 'attendant' as const,
      organizationId: randomUUID(),
      keyVersion: 4,
    };
    const { token, expiresAt } = await tokens.issue(actor);
    expect(await tokens.authenticate(`Bearer ${token}`)).toEqual(actor);
    const lifetime = (expiresAt.getTime() - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(TOKEN_LIFETIME_SECONDS - 5);
    expect(lifetime).toBeLessThanOrEqual(TOKEN_LIFETIME_SECONDS);
    expect(token.split('.')[0]).toBe(
      Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'sec-health-session+jwt' })).toString(
        'base64url',
      ),
    );
  });

  it("refuses another gateway's tokens", async () => {
    const a = await service();
    const b = await service();
    const { token } = await a.issue({
      id: randomUUID(),
      role: 'patient',
      organizationId: null,
      keyVersion: 1,
    });
    await expect(b.authenticate(`Bearer ${token}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('reads no header as anonymous, and refuses a header that is not a bearer token', async () => {
    const tokens = await service();
    expect(await tokens.authenticate(undefined)).toBeUndefined();
    await expect(tokens.authenticate('Basic dXNlcjpwYXNz')).rejects.toThrow('Bearer');
  });
});
