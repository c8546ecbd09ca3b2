import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '@sec-health/service-kit';

import { AttestationRepository } from '../attestations/attestation.repository.js';
import type { AuthorityConfig } from '../config.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { ensureProfile, profilePath } from './profiles.js';
import { ensureSetupParticipant, setupParticipantSpecs } from './setup-participants.js';

export interface SetupResult {
  readonly participants: readonly {
    readonly name: string;
    readonly participantId: string;
    readonly created: boolean;
    readonly profilePath: string;
  }[];
}

export interface SetupOptions {
  /** Progress lines for the operator. */
  readonly print?: (line: string) => void;
  readonly anchorTimeoutMs?: number;
}

/**
 * The setup phase's first step, idempotent: the authority admin and the emergency servers, each
 * with keys in an encrypted CLI profile, active, attested, and anchored on chain before it returns.
 */
export async function runSetup(
  config: AuthorityConfig,
  logger: Logger,
  options: SetupOptions = {},
): Promise<SetupResult> {
  const print = options.print ?? (() => undefined);
  const runtime = await openRuntime(config, logger);
  try {
    const results: SetupResult['participants'][number][] = [];
    const outboxIds: string[] = [];
    for (const spec of setupParticipantSpecs()) {
      const { profile, created: newProfile } = await ensureProfile(
        config.home,
        spec.name,
        spec.role,
        config.profilePassphrase,
      );
      const { outboxId, created } = await ensureSetupParticipant(
        runtime.dataSource,
        runtime.attestationKey,
        spec,
        profile,
      );
      outboxIds.push(outboxId);
      const path = profilePath(config.home, spec.name);
      results.push({
        name: spec.name,
        participantId: profile.participantId,
        created,
        profilePath: path,
      });
      print(
        `${spec.name}: ${created ? 'created' : 'already set up'} (${profile.participantId})${newProfile ? `, profile ${path}` : ''}`,
      );
    }
    runtime.sender.nudge();
    await waitForAnchors(
      new AttestationRepository(runtime.dataSource),
      outboxIds,
      print,
      options.anchorTimeoutMs ?? 120_000,
    );
    return { participants: results };
  } finally {
    await runtime.close();
  }
}

async function waitForAnchors(
  attestations: AttestationRepository,
  outboxIds: readonly string[],
  print: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reported = -1;
  for (;;) {
    const open = await attestations.unsettled(outboxIds);
    const failed = open.filter((row) => row.status === 'failed');
    if (failed.length > 0) {
      throw new Error(`anchoring failed for outbox rows ${failed.map((row) => row.id).join(', ')}`);
    }
    if (open.length === 0) {
      print(`all ${outboxIds.length} attestations are anchored on chain`);
      return;
    }
    if (open.length !== reported) {
      print(`waiting for ${open.length} of ${outboxIds.length} attestations to be anchored...`);
      reported = open.length;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${open.length} attestations were not anchored within ${timeoutMs} ms; is the chain up?`,
      );
    }
    await sleep(250);
  }
}
