import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
/**
 * The CPU time a Linux control group lets this process use, in CPUs (`1.5` for a
 * `docker run --cpus=1.5` or a Kubernetes limit of `1500m`), or undefined where no group
 * limits it or none can be read (other systems, no /proc). Node 20's `availableParallelism()`
 * counts the CPUs the process may run on, not this quota, so a container limited to one CPU
 * on a 32-core host would otherwise start 32 hash threads.
 *
 * Both cgroup versions are read, as a hybrid host mounts both: v2's `cpu.max` ("max
 * 100000" or "150000 100000") and v1's `cpu.cfs_quota_us` (-1: none) over
 * `cpu.cfs_period_us`, in the process's own group and every group above it up to the
 * mount, since a parent's limit binds its children too. The smallest wins. `root` prefixes
 * every path read (tests give a directory laid out like /).
 */
export function cgroupCpuLimit(root = '/') {
    const groups = readText(root, '/proc/self/cgroup');
    const mounts = readText(root, '/proc/self/mountinfo');
    if (groups === undefined || mounts === undefined)
        return undefined;
    let limit;
    for (const mount of cgroupMounts(mounts)) {
        const group = groupPath(groups, mount);
        // The group is outside what this mount shows (another namespace's view, which the kernel
        // writes as "/../.."): nothing to read.
        if (group === undefined || group.split('/').includes('..') || !(group === mount.root || group.startsWith(mount.root === '/' ? '/' : `${mount.root}/`)))
            continue;
        const relative = mount.root === '/' ? group : group.slice(mount.root.length);
        for (let dir = joinUnder(mount.point, relative);; dir = dirname(dir)) {
            const cpus = limitIn(root, mount.v2, dir);
            if (cpus !== undefined)
                limit = Math.min(limit ?? Infinity, cpus);
            if (dir.length <= mount.point.length)
                break;
        }
    }
    return limit;
}
/** The cgroup2 mounts and the v1 mounts of the cpu controller, from /proc/self/mountinfo. */
function cgroupMounts(mountinfo) {
    const found = [];
    for (const line of mountinfo.split('\n')) {
        // "<id> <parent> <major:minor> <root> <mount point> <options> [optional fields] - <type> <source> <super options>"
        const fields = line.split(' ');
        const dash = fields.indexOf('-');
        if (dash < 6)
            continue;
        const type = fields[dash + 1];
        const v1Cpu = type === 'cgroup' && (fields[dash + 3] ?? '').split(',').includes('cpu');
        if (type === 'cgroup2' || v1Cpu)
            found.push({ v2: type === 'cgroup2', root: unescapeMountField(fields[3]), point: unescapeMountField(fields[4]) });
    }
    return found;
}
/** The process's group in the mount's hierarchy, from /proc/self/cgroup ("<id>:<controllers>:<path>"). */
function groupPath(cgroup, mount) {
    for (const line of cgroup.split('\n')) {
        const first = line.indexOf(':');
        const second = line.indexOf(':', first + 1);
        if (first < 0 || second < 0)
            continue;
        const controllers = line.slice(first + 1, second);
        const v2 = line.slice(0, first) === '0' && controllers === '';
        if (mount.v2 ? v2 : !v2 && controllers.split(',').includes('cpu'))
            return line.slice(second + 1);
    }
    return undefined;
}
/** The limit one group sets: v2's cpu.max ("max <period>": none), or v1's quota (-1: none) over its period. */
function limitIn(root, v2, dir) {
    if (v2) {
        const [quota, period] = (readText(root, `${dir}/cpu.max`) ?? '').trim().split(' ');
        return ratio(quota, period);
    }
    return ratio(readText(root, `${dir}/cpu.cfs_quota_us`)?.trim(), readText(root, `${dir}/cpu.cfs_period_us`)?.trim());
}
/** quota / period, when both are positive whole numbers. */
function ratio(quota, period) {
    if (!quota || !period || !/^\d+$/.test(quota) || !/^\d+$/.test(period))
        return undefined;
    const q = Number(quota);
    const p = Number(period);
    return q > 0 && p > 0 ? q / p : undefined;
}
/** mountinfo writes a space, tab, newline or backslash in a path as an octal escape ("\040"). */
const unescapeMountField = (field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
const joinUnder = (point, relative) => (relative === '/' || relative === '' ? point : `${point === '/' ? '' : point}${relative}`);
function readText(root, path) {
    try {
        return readFileSync(root === '/' ? path : `${root}${path}`, 'utf8');
    }
    catch {
        return undefined;
    }
}
/**
 * How many threads to hash with by default: one per CPU the process may run on, but no
 * more than its cgroup CPU limit rounded up. Up, because hashing is bound by CPU time:
 * under a limit of 1.5 CPUs two threads hashed 1 GiB in 1.03 s and one in 1.48 s.
 */
export function defaultThreads(cpus, limit) {
    return limit === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(limit)));
}
//# sourceMappingURL=cpu-limit.js.map