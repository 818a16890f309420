import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditDigestRecord } from '#shared/domain/audit-digest.ts';
import { canonicalJson } from '#shared/domain/canonical-json.ts';
import type { DigestArchive } from '#shared/ports/audit-trail.ts';
import { digestKey } from './s3/s3-digest-archive.ts';

/**
 * The local stand-in for the Object Lock bucket: one file per global digest under a folder of the local
 * data dir, laid out as the bucket's keys. Written once (never replaced: a file already there is kept).
 */
export class FileDigestArchive implements DigestArchive {
  readonly #directory: string;
  readonly #trail: string;

  constructor(directory: string, trail: string) {
    this.#directory = directory;
    this.#trail = trail;
  }

  #fileOf(seq: number): string {
    return join(this.#directory, digestKey(this.#trail, seq));
  }

  async has(seq: number): Promise<boolean> {
    try {
      await access(this.#fileOf(seq));
      return true;
    } catch {
      return false;
    }
  }

  async put(record: AuditDigestRecord): Promise<void> {
    if (await this.has(record.seq)) return;
    const file = this.#fileOf(record.seq);
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    await writeFile(partial, `${canonicalJson(record)}\n`, { flag: 'w' });
    await rename(partial, file);
  }
}

/** No archive configured (a test composing the step alone): digests stay in the table only. */
export const noDigestArchive: DigestArchive = { has: async () => true, put: async () => undefined };
