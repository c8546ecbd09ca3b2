import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { ClientError, ClientErrorCode } from '../errors.js';
import { assertProfileName, parseProfile, type ProfileFile } from './profile.js';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Profiles under `<home>/profiles/<name>.json`, written atomically with mode 0600. */
export class ProfileStore {
  readonly directory: string;

  constructor(home: string) {
    this.directory = join(home, 'profiles');
  }

  pathOf(name: string): string {
    assertProfileName(name);
    return join(this.directory, `${name}.json`);
  }

  async read(name: string): Promise<ProfileFile> {
    const path = this.pathOf(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ClientError(
          ClientErrorCode.ProfileNotFound,
          `no profile "${name}" (${path}): create it with \`sechealth init --profile ${name}\``,
          { profile: name, path },
        );
      }
      throw error;
    }
    return parseProfile(text, path);
  }

  /** Writes a new profile; refuses to replace an existing one unless `force`. */
  async create(profile: ProfileFile, options: { force?: boolean } = {}): Promise<string> {
    const path = this.pathOf(profile.name);
    const temp = await this.writeTemp(profile);
    try {
      if (options.force) {
        await rename(temp, path);
        return path;
      }
      // link() fails if the target exists, so two concurrent inits cannot both win.
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ClientError(
          ClientErrorCode.ProfileExists,
          `profile "${profile.name}" already exists (${path}): pick another --profile, or pass --force to replace it and lose its keys`,
          { profile: profile.name, path },
        );
      }
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    return path;
  }

  /** Replaces an existing profile atomically (a reader sees the old or the new file, whole). */
  async save(profile: ProfileFile): Promise<string> {
    const path = this.pathOf(profile.name);
    const temp = await this.writeTemp(profile);
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return path;
  }

  /** Deletes a profile (no error if it is already gone). */
  async remove(name: string): Promise<void> {
    await unlink(this.pathOf(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private async writeTemp(profile: ProfileFile): Promise<string> {
    await mkdir(this.directory, { recursive: true, mode: DIR_MODE });
    const temp = join(this.directory, `.${profile.name}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(profile, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask can only remove bits, but an explicit chmod makes the mode independent of it.
    await chmod(temp, FILE_MODE);
    return temp;
  }
}
