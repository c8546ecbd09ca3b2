import type { PolicyView } from '@sec-health/protocol';

import type { Row } from '../output.js';
import { anchorText } from './anchor-text.js';
import { listText } from './record-view.js';

export function policyRow(view: PolicyView): Row {
  const p = view.policy;
  const contacts = p.contacts.map((c) => `${c.name} <${c.email ?? c.webhook ?? ''}>`);
  return [
    ['patient', p.patientId],
    ['source', view.source === 'signed' ? 'signed by the patient' : 'default (none signed)'],
    ['version', p.policyVersion],
    ['break-glass', p.breakGlass ? 'on' : 'off'],
    ['confidentiality', listText(p.confidentiality)],
    ['categories', p.categories ? listText(p.categories) : 'all'],
    ['sensitivity opt-in', p.sensitivityOptIn.length > 0 ? p.sensitivityOptIn.join(',') : 'none'],
    ['max session minutes', p.maxSessionMinutes],
    ['contacts', contacts.length > 0 ? contacts.join('; ') : 'none'],
    ['signed', p.signedAt],
    ['anchor', anchorText(view.anchor)],
  ];
}
