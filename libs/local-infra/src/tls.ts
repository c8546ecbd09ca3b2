import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runCommandAsync } from './commands.js';
import { LocalInfraError, LocalInfraErrorCode } from './errors.js';
import { findExecutable } from './executables.js';
import { ensurePrivateDir, restrictToOwner } from './private-files.js';

export interface DevCertificates {
  /** The throwaway CA's certificate: what a client trusts (e.g. NATS_TLS_CA_FILE). */
  readonly caFile: string;
  /** The server certificate, for `hosts`, signed by the CA. */
  readonly certFile: string;
  /** The server's private key (0600). */
  readonly keyFile: string;
}

export interface DevCertificatesOptions {
  /** Names and addresses the server certificate is valid for. Default 127.0.0.1, ::1, localhost. */
  readonly hosts?: readonly string[];
  /** Default 2. */
  readonly days?: number;
  /** Default `openssl` from PATH. */
  readonly openssl?: string;
}

const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

/**
 * A throwaway CA and a server certificate signed by it (ECDSA P-256), written into `dir` with the
 * openssl CLI: for tests and local runs of TLS, never for production.
 */
export async function createDevCertificates(
  dir: string,
  options: DevCertificatesOptions = {},
): Promise<DevCertificates> {
  const openssl = findExecutable(options.openssl ?? 'openssl');
  if (!openssl) {
    throw new LocalInfraError(
      LocalInfraErrorCode.ExecutableNotFound,
      'openssl not found in PATH: TLS test certificates are made with the openssl CLI; install it (apt-get install openssl)',
    );
  }
  const hosts = options.hosts ?? ['127.0.0.1', '::1', 'localhost'];
  const days = String(options.days ?? 2);
  ensurePrivateDir(dir);
  const file = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (args: string[]): Promise<string> => runCommandAsync(openssl, args);

  await run([
    ...['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem')],
    ...['-days', days, '-subj', '/CN=Sec-Health throwaway test CA'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  await run([
    ...['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr')],
    ...['-subj', `/CN=${hosts[0] ?? 'localhost'}`],
  ]);
  const altNames = hosts.map((h) => (IP.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  writeFileSync(
    file('server.ext'),
    [
      `subjectAltName=${altNames}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      '',
    ].join('\n'),
  );
  await run([
    ...['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem')],
    ...['-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem')],
    ...['-days', days, '-extfile', file('server.ext')],
  ]);
  restrictToOwner(file('ca.key'));
  restrictToOwner(file('server.key'));
  return { caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
}
