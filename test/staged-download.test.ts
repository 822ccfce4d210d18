/**
 * StagedDownload's own failure paths, with a model source that serves fixed bytes: a file
 * streamed twice in one pull, and a staged write that fails. Both must be reported as named
 * errors, with nothing moved into the destination.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelFile, ModelSource } from '../dist/src/index.js';
import { StagedDownload } from '../dist/adapters/local/index.js';
import { tempDir } from './helpers.js';

/** A source that serves each named file's bytes in two chunks, as a registry stream would. */
function fixedSource(contents: Record<string, Buffer>): ModelSource {
  return {
    location: 'test://fixed',
    modelName: 'fixed',
    singleFile: false,
    list: async () => ({ files: Object.entries(contents).map(([name, b]) => ({ name, size: b.length })), ignored: [], warnings: [] }),
    async *read(file: ModelFile) {
      const bytes = contents[file.name]!;
      yield bytes.subarray(0, bytes.length >> 1);
      yield bytes.subarray(bytes.length >> 1);
    },
  };
}

/** Streams files through a tee'd source, reading every byte, and returns what each visit saw. */
async function streamAll(source: ModelSource, files: ModelFile[]): Promise<Map<string, Buffer>> {
  const seen = new Map<string, Buffer>();
  await source.stream!(files, async (file, bytes) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of bytes) chunks.push(chunk);
    seen.set(file.name, Buffer.concat(chunks));
  });
  return seen;
}

describe('StagedDownload', () => {
  const contents = { 'a.bin': randomBytes(5000), 'dir/b.bin': randomBytes(3000) };
  const files = Object.entries(contents).map(([name, b]) => ({ name, size: b.length }));

  it('stages what streams through and moves only verified files on commit', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    const seen = await streamAll(download.tee(fixedSource(contents)), files);
    expect(seen.get('a.bin')).toEqual(contents['a.bin']);
    expect(await download.commit(new Set(['dir/b.bin']))).toEqual(['dir/b.bin']);
    expect(await readFile(join(dest, 'dir/b.bin'))).toEqual(contents['dir/b.bin']);
    expect(await readdir(dest)).toEqual(['dir']);
  });

  it('refuses a file streamed a second time in one pull (STAGED_TWICE)', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    const source = download.tee(fixedSource(contents));
    await streamAll(source, [files[0]!]);
    await expect(streamAll(source, [files[0]!])).rejects.toMatchObject({ code: 'STAGED_TWICE', message: expect.stringContaining('a.bin') });
    await download.abort();
    await expect(readdir(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a staged write that fails as WRITE_FAILED, naming the path, and commits nothing', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    // Two names for one staged path: the second open (exclusive) fails with EEXIST.
    const clash = { 'c.bin': randomBytes(100), 'sub/../c.bin': randomBytes(100) };
    const source = download.tee(fixedSource(clash));
    const failed = streamAll(source, Object.entries(clash).map(([name, b]) => ({ name, size: b.length })));
    await expect(failed).rejects.toMatchObject({ code: 'WRITE_FAILED', kind: 'usage', message: expect.stringMatching(/cannot write .*c\.bin: EEXIST/) });
    await download.abort();
    await expect(readdir(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
