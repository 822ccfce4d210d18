/**
 * The default number of hash threads under a cgroup CPU limit (a container's): the limit
 * read from directories laid out like /proc and /sys/fs/cgroup on each kind of host, and,
 * where this machine lets the tests make control groups (Linux, root, a writable cpu
 * controller), from a real group the kernel enforces.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupCpuLimit, defaultThreads } from '../dist/src/hashing/cpu-limit.js';
import { ROOT, tempDir, writeTree } from './helpers.js';

const V2_MOUNT = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
const v1Mount = (root: string, point: string, controllers: string): string => `35 30 0:31 ${root} ${point} rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,${controllers}`;
const ROOT_MOUNT = '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw';

/** A directory laid out like / with the given /proc/self files and cgroup files. */
async function host(cgroup: string, mountinfo: string[], files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  await writeTree(dir, { 'proc/self/cgroup': `${cgroup}\n`, 'proc/self/mountinfo': `${mountinfo.join('\n')}\n`, ...files });
  return dir;
}

describe('cgroupCpuLimit reads the CPU limit of the group this process is in', () => {
  it('cgroup v2 on a host: the tightest cpu.max from the group up to the mount', async () => {
    const root = await host('0::/user.slice/app.scope', [ROOT_MOUNT, V2_MOUNT], {
      'sys/fs/cgroup/user.slice/app.scope/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/user.slice/cpu.max': '150000 100000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(1.5);
  });

  it('cgroup v2 in a container (its own namespace: the group is "/"), docker run --cpus=2.5', async () => {
    const root = await host('0::/', [ROOT_MOUNT, V2_MOUNT], { 'sys/fs/cgroup/cpu.max': '250000 100000\n' });
    expect(cgroupCpuLimit(root)).toBe(2.5);
  });

  it('a parent group limits its children: the child allows 3 CPUs, its parent 1', async () => {
    const root = await host('0::/a/b', [V2_MOUNT], { 'sys/fs/cgroup/a/b/cpu.max': '300000 100000', 'sys/fs/cgroup/a/cpu.max': '50000 50000' });
    expect(cgroupCpuLimit(root)).toBe(1);
  });

  it('cgroup v1 in a container: the mount shows the container group as its root', async () => {
    const point = '/sys/fs/cgroup/cpu,cpuacct';
    const root = await host('12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/docker/abc', [ROOT_MOUNT, v1Mount('/docker/abc', point, 'cpu,cpuacct')], {
      [`${point.slice(1)}/cpu.cfs_quota_us`]: '50000\n',
      [`${point.slice(1)}/cpu.cfs_period_us`]: '100000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(0.5);
  });

  it('cgroup v1 on a hybrid host, with a mount point written with octal escapes', async () => {
    const root = await host('4:cpu:/jobs/train\n0::/', [v1Mount('/', '/sys/fs/cgroup/cpu\\040quota', 'cpu'), '40 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw'], {
      'sys/fs/cgroup/cpu quota/jobs/train/cpu.cfs_quota_us': '-1',
      'sys/fs/cgroup/cpu quota/jobs/train/cpu.cfs_period_us': '100000',
      'sys/fs/cgroup/cpu quota/jobs/cpu.cfs_quota_us': '400000',
      'sys/fs/cgroup/cpu quota/jobs/cpu.cfs_period_us': '100000',
      'sys/fs/cgroup/cpu quota/cpu.cfs_quota_us': '-1',
      'sys/fs/cgroup/cpu quota/cpu.cfs_period_us': '100000',
    });
    expect(cgroupCpuLimit(root)).toBe(4);
  });

  it('no limit: "max", a quota of -1, another controller\'s mount, missing or malformed files, no /proc at all', async () => {
    const unlimited = [
      await host('0::/', [V2_MOUNT], { 'sys/fs/cgroup/cpu.max': 'max 100000' }),
      await host('1:cpu:/', [v1Mount('/', '/sys/fs/cgroup/cpu', 'cpu')], { 'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', 'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' }),
      await host('1:memory:/', [v1Mount('/', '/sys/fs/cgroup/memory', 'memory')], { 'sys/fs/cgroup/memory/cpu.cfs_quota_us': '100000', 'sys/fs/cgroup/memory/cpu.cfs_period_us': '100000' }),
      await host('0::/', [V2_MOUNT], {}),
      await host('0::/', [V2_MOUNT], { 'sys/fs/cgroup/cpu.max': '1.5 1' }),
      await host('0::/', [V2_MOUNT], { 'sys/fs/cgroup/cpu.max': '0 100000' }),
      await host('0::/', ['garbage', ''], { 'sys/fs/cgroup/cpu.max': '100000 100000' }),
      await tempDir(),
    ];
    for (const root of unlimited) expect(cgroupCpuLimit(root), root).toBeUndefined();
  });

  it('a group outside what the mount shows is not read (another namespace\'s view)', async () => {
    const root = await host('4:cpu:/elsewhere', [v1Mount('/docker/abc', '/sys/fs/cgroup/cpu', 'cpu')], {
      'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000',
      'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    });
    expect(cgroupCpuLimit(root)).toBeUndefined();
    // Outside this cgroup namespace's root, the kernel writes the path as going up from it.
    const above = await host('0::/../../system.slice/job.scope', [V2_MOUNT], { 'sys/fs/cgroup/cpu.max': '100000 100000', 'sys/cpu.max': '100000 100000' });
    expect(cgroupCpuLimit(above)).toBeUndefined();
  });
});

describe('defaultThreads: one per CPU, within the limit rounded up', () => {
  it.each([
    [2, undefined, 2],
    [32, 1, 1],
    [32, 1.5, 2],
    [32, 0.1, 1],
    [2, 8, 2],
    [64, 4, 4],
  ] as const)('%d CPUs, limit %s -> %d threads', (cpus, limit, threads) => {
    expect(defaultThreads(cpus, limit)).toBe(threads);
  });
});

/**
 * A real control group with a CPU limit, made through cgroup v1's cpu controller or
 * cgroup v2 (whichever this host has writable), or why none can be made here.
 */
function makeGroup(name: string, quotaUs: number, periodUs: number): { dir: string } | { why: string } {
  if (process.platform !== 'linux') return { why: 'control groups are Linux only' };
  if (process.getuid?.() !== 0) return { why: 'making a control group needs root' };
  const v1 = '/sys/fs/cgroup/cpu';
  const v2 = '/sys/fs/cgroup';
  try {
    if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
      const dir = join(v1, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
      return { dir };
    }
    if (readFileSync(join(v2, 'cgroup.subtree_control'), 'utf8').split(' ').map((s) => s.trim()).includes('cpu')) {
      const dir = join(v2, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${periodUs}`);
      return { dir };
    }
    return { why: 'no writable cpu controller (cgroup v1 cpu, or v2 with cpu in cgroup.subtree_control)' };
  } catch (err) {
    return { why: `cannot make a control group: ${(err as Error).message}` };
  }
}

const probe = makeGroup(`modelsign-probe-${process.pid}`, 100000, 100000);
if ('dir' in probe) rmdirSync(probe.dir);

describe.skipIf('why' in probe)(`in a real control group${'why' in probe ? ` (not run: ${probe.why})` : ''}`, () => {
  it.each([
    [50000, 0.5],
    [100000, 1],
    [150000, 1.5],
  ])('a quota of %d us per 100 ms: the engine reads %d CPUs and hashes with that many threads rounded up', (quota, cpus) => {
    const group = makeGroup(`modelsign-test-${process.pid}-${quota}`, quota, 100000);
    if (!('dir' in group)) throw new Error(group.why);
    try {
      const script = `const { cgroupCpuLimit } = await import('./dist/src/hashing/cpu-limit.js'); const { defaultWorkers } = await import('./dist/src/index.js'); console.log(JSON.stringify([cgroupCpuLimit(), defaultWorkers()]));`;
      // The shell joins the group before it becomes node, so node runs in it from its first instruction.
      const child = spawnSync('/bin/sh', ['-c', `echo $$ > ${group.dir}/cgroup.procs && exec "$0" --input-type=module -e "$1"`, process.execPath, script], { cwd: ROOT, encoding: 'utf8' });
      expect(child.status, child.stderr).toBe(0);
      expect(JSON.parse(child.stdout)).toEqual([cpus, Math.min(availableParallelism(), Math.ceil(cpus))]);
    } finally {
      rmdirSync(group.dir);
    }
  });
});
