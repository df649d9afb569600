/** Uploaded tweet files: written under a generated name into the dataset folder's uploads/, then ingested. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UPLOADS_FOLDER, type DatasetLayout } from './sources';

export interface UploadedBody {
  bytes: Buffer;
  /** Gzip-compressed (content-encoding: gzip, or application/gzip). */
  gzip: boolean;
  /** From the content type; the reader decides from the content anyway, this only names the file. */
  lines: boolean;
}

const CHUNK = 64 * 1024;

/** `upload-20260101T120000Z-1a2b3c4d.jsonl.gz`: sortable by time, never a name the caller chose. */
function generatedName(body: UploadedBody, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `upload-${stamp}-${randomBytes(4).toString('hex')}.${body.lines ? 'jsonl' : 'json'}${body.gzip ? '.gz' : ''}`;
}

/**
 * Writes the body in chunks to a hidden partial file (never a source), then renames it into place: a crash
 * mid-write leaves no half source behind. Returns the file's path.
 */
export async function saveUpload(layout: DatasetLayout, body: UploadedBody, now = new Date()): Promise<string> {
  const folder = path.join(layout.folder, UPLOADS_FOLDER);
  await fs.promises.mkdir(folder, { recursive: true });
  const file = path.join(folder, generatedName(body, now));
  const partial = path.join(folder, `.${path.basename(file)}.partial`);
  const chunks = function* () {
    for (let i = 0; i < body.bytes.length; i += CHUNK) yield body.bytes.subarray(i, i + CHUNK);
  };
  try {
    await pipeline(Readable.from(chunks()), fs.createWriteStream(partial, { flags: 'wx' }));
    await fs.promises.rename(partial, file);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  return file;
}
