/**
 * StagedDownload with a model source that serves fixed bytes: where it stages (beside a new
 * destination, inside an existing one) and how a commit lands, and its failure paths (a
 * file streamed twice in one pull, a staged write that fails, a destination that appears
 * meanwhile), each reported as a named error with nothing moved into the destination.
 */
import { randomBytes } from 'node:crypto';
import fsp, { lstat, mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelFile, ModelSource } from '../dist/src/engine.js';
import { StagedDownload } from '../dist/adapters/local/index.js';
import { canMount, mount, run, tempDir, umount } from './helpers.js';

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

  it('a file streamed again (for a second signature) is read back from its staging copy, not downloaded or staged again; one staged in part is downloaded again', async () => {
    const dest = join(await tempDir(), 'out');
    const download = await StagedDownload.create(dest);
    const reads = new Map<string, number>();
    const fixed = fixedSource(contents);
    const counted: ModelSource = {
      ...fixed,
      read: (file, start, end) => {
        reads.set(file.name, (reads.get(file.name) ?? 0) + 1);
        return fixed.read(file, start, end);
      },
    };
    const source = download.tee(counted);
    await streamAll(source, files);
    // Before, the second stream failed with STAGED_TWICE (a pull with a shards and a files signature).
    const again = await streamAll(source, files);
    for (const [name, bytes] of Object.entries(contents)) expect(again.get(name), name).toEqual(bytes);
    expect(Object.fromEntries(reads)).toEqual({ 'a.bin': 1, 'dir/b.bin': 1 });
    expect(await download.commit(new Set(Object.keys(contents)))).toEqual(['a.bin', 'dir/b.bin']);
    for (const [name, bytes] of Object.entries(contents)) expect(await readFile(join(dest, name)), name).toEqual(bytes);

    // A stream that stopped half way (a blob cut short fails one signature's check) leaves no
    // copy: the next signature's check downloads the file again. Before, it was refused as
    // staged twice (STAGED_TWICE, exit 2, where verify said exit 1).
    const partial = await StagedDownload.create(join(await tempDir(), 'out'));
    reads.clear();
    const partialSource = partial.tee(counted);
    await expect(partialSource.stream!([files[0]!], async (_file, bytes) => {
      for await (const _ of bytes) throw new Error('the hash failed');
    })).rejects.toThrow('the hash failed');
    expect(await readdir(join(partial.stagingDirectory, 'files'))).toEqual([]);
    expect((await streamAll(partialSource, [files[0]!])).get('a.bin')).toEqual(contents['a.bin']);
    expect(reads.get('a.bin')).toBe(2);
    expect(await partial.commit(new Set(['a.bin']))).toEqual(['a.bin']);
    expect(await readFile(join(partial.destination, 'a.bin'))).toEqual(contents['a.bin']);
  });

  it('copies staged by a listing that then failed are dropped: the next listing stages the files again, and nothing from the failed one is read back', async () => {
    // A tar layer's entries are staged as the listing reads them, before the layer's digest is
    // checked at its end. Here the first listing reads other bytes, then fails (as a layout
    // blob whose digest does not match); the second reads the real ones.
    const real = { 'w.bin': randomBytes(4000) };
    const tampered = Buffer.from(real['w.bin']);
    tampered[100]! ^= 1;
    let listings = 0;
    const fixed = fixedSource(real);
    const layered: ModelSource = {
      ...fixed,
      list: async (options) => {
        listings += 1;
        const bytes = listings === 1 ? tampered : real['w.bin'];
        for await (const _ of options.passBytes!('w.bin', (async function* () {
          yield bytes;
        })()));
        if (listings === 1) throw Object.assign(new Error('layer digest mismatch'), { code: 'DIGEST_MISMATCH' });
        return { files: [{ name: 'w.bin', size: bytes.length }], ignored: [], warnings: [] };
      },
      read: () => {
        throw new Error('a file staged while listing is not downloaded again');
      },
    };
    const download = await StagedDownload.create(join(await tempDir(), 'out'));
    const source = download.tee(layered);
    const rules = { allowSymlinks: false, isIgnored: () => false };
    await expect(source.list(rules)).rejects.toThrow('layer digest mismatch');
    expect(await readdir(join(download.stagingDirectory, 'files'))).toEqual([]);
    const listing = await source.list(rules);
    // The file is read back from the copy the successful listing staged: the real bytes.
    const seen = await streamAll(source, listing.files);
    expect(seen.get('w.bin')).toEqual(real['w.bin']);
    await download.commit(new Set(['w.bin']));
    expect(await readFile(join(download.destination, 'w.bin'))).toEqual(real['w.bin']);
  });

  it('a destination that is a file, a link to nothing or a link loop is DESTINATION_INVALID before anything is downloaded; a link to a directory is that directory', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    await symlink('loop', join(dir, 'loop'));
    await mkdir(join(dir, 'real'));
    await symlink('real', join(dir, 'linked'));
    // Before, a link to nothing or a loop counted as no destination at all: the model was
    // downloaded and verified, and the last rename failed ("appeared while ... pulled").
    for (const [name, why] of [['file', 'it exists and is not a directory'], ['dangling', 'it is a symbolic link to nothing usable (ENOENT)'], ['loop', 'it is a symbolic link to nothing usable (ELOOP)']]) {
      await expect(StagedDownload.create(join(dir, name!)), name).rejects.toMatchObject({ code: 'DESTINATION_INVALID', message: `cannot pull into ${join(dir, name!)}: ${why}` });
    }
    expect((await readdir(dir)).sort()).toEqual(['dangling', 'file', 'linked', 'loop', 'real']);
    const download = await StagedDownload.create(join(dir, 'linked'));
    await streamAll(download.tee(fixedSource(contents)), files);
    await download.commit(new Set(['a.bin']));
    expect(await readdir(join(dir, 'real'))).toEqual(['a.bin']);
    expect((await lstat(join(dir, 'linked'))).isSymbolicLink()).toBe(true);
  });

  it('a directory swapped for a symbolic link after the pre-check, before the move, stops the commit: nothing lands through the link, the destination is left as it was', async () => {
    const dir = await tempDir();
    const dest = join(dir, 'dest');
    await mkdir(join(dest, 'dir'), { recursive: true });
    await mkdir(join(dir, 'victim'));
    await writeFile(join(dir, 'victim/b.bin'), 'precious');
    const download = await StagedDownload.create(dest);
    await streamAll(download.tee(fixedSource(contents)), files);
    // The pre-check's last look at dest/dir (is it writable?) is followed by the swap.
    const access = fsp.access;
    fsp.access = async (path, mode) => {
      await access(path, mode);
      if (String(path) === join(dest, 'dir')) {
        await rename(join(dest, 'dir'), join(dest, 'dir.real'));
        await symlink(join(dir, 'victim'), join(dest, 'dir'));
      }
    };
    syncBuiltinESMExports();
    try {
      await expect(download.commit(new Set(['a.bin', 'dir/b.bin']))).rejects.toMatchObject({ code: 'WRITE_FAILED', message: expect.stringContaining('cannot move dir/b.bin into') });
    } finally {
      fsp.access = access;
      syncBuiltinESMExports();
    }
    await download.abort();
    // Before, dir/b.bin was moved into victim/, and the victim's own b.bin deleted with the staging directory.
    expect(await readFile(join(dir, 'victim/b.bin'), 'utf8')).toBe('precious');
    expect((await readdir(dest)).sort()).toEqual(['dir', 'dir.real']);
    expect(await readdir(join(dest, 'dir.real'))).toEqual([]);
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

  it('abort and abortNow remove the parent directories the download made for a new destination, and only those; commit keeps them', async () => {
    for (const how of ['abort', 'abortNow'] as const) {
      const parent = await tempDir();
      await mkdir(join(parent, 'kept'));
      for (const dest of [join(parent, 'x/y/out'), join(parent, 'kept/y/out')]) {
        const download = await StagedDownload.create(dest);
        await streamAll(download.tee(fixedSource(contents)), files);
        if (how === 'abort') await download.abort();
        else download.abortNow();
        // Before, x/y (kept/y) stayed: only the staging directory inside them was removed.
        expect(await readdir(parent), `${how} ${dest}`).toEqual(['kept']);
        expect(await readdir(join(parent, 'kept')), `${how} ${dest}`).toEqual([]);
      }
    }
    // A directory someone else puts beside the staging area meanwhile stays, with its parents.
    const parent = await tempDir();
    const download = await StagedDownload.create(join(parent, 'x/y/out'));
    await writeFile(join(parent, 'x/y/other'), 'not ours');
    await download.abort();
    expect(await readFile(join(parent, 'x/y/other'), 'utf8')).toBe('not ours');
    expect(await readdir(join(parent, 'x/y'))).toEqual(['other']);
    const committed = await StagedDownload.create(join(parent, 'a/b/out'));
    await streamAll(committed.tee(fixedSource(contents)), files);
    await committed.commit(new Set(['a.bin']));
    expect(await readFile(join(parent, 'a/b/out/a.bin'))).toEqual(contents['a.bin']);
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

  it('into an existing directory, refuses places it cannot fill whole or safely (DESTINATION_INVALID) before moving anything; replaces files and links', async () => {
    const many = { 'a.bin': randomBytes(100), 'dir/b.bin': randomBytes(100), 'z.bin': randomBytes(100) };
    const names = Object.keys(many);
    const manyFiles = Object.entries(many).map(([name, b]) => ({ name, size: b.length }));
    const outside = await tempDir();
    const cases: [string, (dest: string) => Promise<void>, RegExp][] = [
      // This one moved a.bin, then ended in an internal EISDIR error with z.bin not moved.
      ['a directory where a file goes', async (dest) => void (await mkdir(join(dest, 'z.bin', 'inner'), { recursive: true })), /z\.bin is a directory where the model has a file/],
      ['a file where a directory goes', (dest) => writeFile(join(dest, 'dir'), 'x'), /dir is a file where the model has a directory/],
      // This one wrote dir/b.bin into the link's target, outside the destination.
      ['a link where a directory goes', (dest) => symlink(outside, join(dest, 'dir')), /dir is a symbolic link, and pull does not write through links/],
      // A named pipe: replacing it would cut off whatever reads or writes it.
      ['a pipe where a file goes', async (dest) => void (await run('mkfifo', [join(dest, 'z.bin')])), /z\.bin is a special file \(a pipe, socket or device\) where the model has a file/],
    ];
    for (const [what, prepare, message] of cases) {
      const dest = await tempDir();
      await prepare(dest);
      const before = (await readdir(dest)).sort();
      const download = await StagedDownload.create(dest);
      await streamAll(download.tee(fixedSource(many)), manyFiles);
      await expect(download.commit(new Set(names)), what).rejects.toMatchObject({ kind: 'usage', code: 'DESTINATION_INVALID', message: expect.stringMatching(message) });
      await download.abort();
      expect((await readdir(dest)).sort(), what).toEqual(before);
      expect(await readdir(outside), what).toEqual([]);
      if (what === 'a pipe where a file goes') expect((await lstat(join(dest, 'z.bin'))).isFIFO()).toBe(true);
    }
    // A file or a link in a file's place is replaced (the link itself, not what it points to).
    const dest = await tempDir();
    await writeFile(join(dest, 'a.bin'), 'old');
    await writeFile(join(outside, 'target'), 'keep');
    await symlink(join(outside, 'target'), join(dest, 'z.bin'));
    const download = await StagedDownload.create(dest);
    await streamAll(download.tee(fixedSource(many)), manyFiles);
    expect(await download.commit(new Set(names))).toEqual(names);
    for (const name of names) expect(await readFile(join(dest, name)), name).toEqual(many[name as keyof typeof many]);
    expect((await lstat(join(dest, 'z.bin'))).isFile()).toBe(true);
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('keep');
  });

  /** A destination holding an older a.bin and a directory `dir` that `prepare` mounts something on. */
  const mounted = { 'a.bin': randomBytes(100), 'dir/sub/b.bin': randomBytes(100), 'z.bin': randomBytes(100) };
  const mountedFiles = Object.entries(mounted).map(([name, b]) => ({ name, size: b.length }));
  async function pullOverMount(prepare: (dir: string) => boolean): Promise<{ dest: string; failure: unknown }> {
    const dest = await tempDir();
    await writeFile(join(dest, 'a.bin'), 'older a.bin');
    await mkdir(join(dest, 'dir'));
    await writeFile(join(dest, 'dir', 'kept.txt'), 'kept');
    expect(prepare(join(dest, 'dir'))).toBe(true);
    try {
      const download = await StagedDownload.create(dest);
      await streamAll(download.tee(fixedSource(mounted)), mountedFiles);
      const failure = await download.commit(new Set(Object.keys(mounted))).then(() => undefined, (err: unknown) => err);
      await download.abort();
      return { dest, failure };
    } finally {
      umount(join(dest, 'dir'));
    }
  }

  it.skipIf(!canMount())('refuses a directory a file goes into that is read-only or on another file system (DESTINATION_INVALID, naming it) before moving anything', async () => {
    const cases: [string, (dir: string) => boolean, RegExp][] = [
      // A rename cannot cross file systems: before, a.bin was replaced, then dir/sub/b.bin failed with EXDEV.
      ['a tmpfs', (dir) => mount('-t', 'tmpfs', 'none', dir), /: dir is on another file system than the staging directory/],
      // Root passes chmod, not a read-only mount: before, a.bin was replaced, then EROFS.
      ['a read-only bind mount', (dir) => mount('--bind', dir, dir) && mount('-o', 'remount,bind,ro', dir), /: dir is not writable \(EROFS\); nothing was moved/],
    ];
    for (const [what, prepare, message] of cases) {
      const { dest, failure } = await pullOverMount(prepare);
      expect(failure, what).toMatchObject({ kind: 'usage', code: 'DESTINATION_INVALID', message: expect.stringMatching(message) });
      expect(await readFile(join(dest, 'a.bin'), 'utf8'), what).toBe('older a.bin');
      expect((await readdir(dest)).sort(), what).toEqual(['a.bin', 'dir']);
      expect(await readdir(join(dest, 'dir')), what).toEqual(['kept.txt']);
    }
  });

  it.skipIf(!canMount())('a move that fails past the check (a bind mount: same device number, but rename says EXDEV) is undone: the replaced file is put back, nothing is left (WRITE_FAILED)', async () => {
    const elsewhere = await tempDir();
    const { dest, failure } = await pullOverMount((dir) => mount('--bind', elsewhere, dir));
    expect(failure).toMatchObject({ kind: 'usage', code: 'WRITE_FAILED', message: expect.stringMatching(/cannot move dir\/sub\/b\.bin into .*EXDEV.*the destination is as it was/) });
    // Before, a.bin had been overwritten by the pulled one and stayed so.
    expect(await readFile(join(dest, 'a.bin'), 'utf8')).toBe('older a.bin');
    expect((await readdir(dest)).sort()).toEqual(['a.bin', 'dir']);
    expect(await readdir(join(dest, 'dir'))).toEqual(['kept.txt']);
    expect(await readdir(elsewhere)).toEqual([]);
  });
});
