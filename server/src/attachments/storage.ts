import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/** Where attachment bytes live. Local disk by default; an S3-compatible store can implement it later. */
export abstract class AttachmentStorage {
  abstract put(key: string, bytes: Buffer): Promise<void>;
  abstract open(key: string): Readable;
}

/** Files under a directory, written atomically (temp file, then rename), keyed by content-addressed names. */
export class LocalDiskStorage extends AttachmentStorage {
  constructor(private readonly root: string) {
    super();
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o640 });
    await rename(tmp, path);
  }

  open(key: string): Readable {
    return createReadStream(this.path(key));
  }

  private path(key: string): string {
    if (!/^[a-f0-9]{2}\/[a-f0-9-]{36}$/.test(key)) throw new Error('bad storage key');
    return join(this.root, key);
  }
}
