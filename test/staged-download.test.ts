/**
 * StagedDownload with a model source that serves fixed bytes: where it stages (beside a new
 * destination, inside an existing one) and how a commit lands, and its failure paths (a
 * file streamed twice in one pull, a staged write that fails, a destination that appears
 * meanwhile), each reported as a named error with nothing moved into the destination.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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

  it('assembles a new destination beside it and renames it into place whole; stages inside an existing one', async () => {
    const parent = await tempDir();
    const dest = join(parent, 'out');
    const download = await StagedDownload.create(dest);
    await streamAll(download.tee(fixedSource(contents)), files);
    // Until the commit, the destination does not exist: only a hidden sibling does.
    expect(await readdir(parent)).toEqual([expect.stringMatching(/^\.out\.modelsign-pull-[0-9a-f]{12}$/)]);
    expect(download.state).toBe('staging');
    expect(await download.commit(new Set(['a.bin', 'dir/b.bin']))).toEqual(['a.bin', 'dir/b.bin']);
    expect(download.state).toBe('committed');
    expect(await readdir(parent)).toEqual(['out']);
    expect((await readdir(dest)).sort()).toEqual(['a.bin', 'dir']);

    await writeFile(join(dest, 'kept.txt'), 'mine');
    await writeFile(join(dest, 'a.bin'), 'an older a.bin, replaced by the pull');
    const again = await StagedDownload.create(dest);
    await streamAll(again.tee(fixedSource(contents)), files);
    expect((await readdir(dest)).filter((n) => n.startsWith('.modelsign-pull-'))).toHaveLength(1);
    await again.commit(new Set(['a.bin']));
    expect((await readdir(dest)).sort()).toEqual(['a.bin', 'dir', 'kept.txt']);
    expect(await readFile(join(dest, 'a.bin'))).toEqual(contents['a.bin']);
    expect(await readFile(join(dest, 'kept.txt'), 'utf8')).toBe('mine');
  });

  it('refuses to commit over a destination that appeared meanwhile (DESTINATION_INVALID), leaving it as it is', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    await streamAll(download.tee(fixedSource(contents)), files);
    await mkdir(dest);
    await writeFile(join(dest, 'theirs.txt'), 'theirs');
    await expect(download.commit(new Set(['a.bin']))).rejects.toMatchObject({ code: 'DESTINATION_INVALID', message: expect.stringContaining('appeared while the model was being pulled') });
    await download.abort();
    expect(await readdir(dest)).toEqual(['theirs.txt']);
    expect(await readdir(join(dest, '..'))).toEqual(['out']);
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

  it('names a destination where no staging directory can be made (DESTINATION_INVALID), without hanging on /proc', async () => {
    await expect(StagedDownload.create('/proc/modelsign-no-such-dir/out')).rejects.toMatchObject({ kind: 'usage', code: 'DESTINATION_INVALID', message: expect.stringContaining('ENOENT') });
  });

  it('reports a directory it cannot create for a file as WRITE_FAILED too', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    // A directory name over the file system's 255-byte limit.
    const long = { [`${'d'.repeat(300)}/w.bin`]: randomBytes(10) };
    const failed = streamAll(download.tee(fixedSource(long)), Object.entries(long).map(([name, b]) => ({ name, size: b.length })));
    await expect(failed).rejects.toMatchObject({ code: 'WRITE_FAILED', kind: 'usage', message: expect.stringMatching(/cannot write .*w\.bin: ENAMETOOLONG/) });
    await download.abort();
    await expect(readdir(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
