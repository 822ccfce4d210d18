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
export declare function cgroupCpuLimit(root?: string): number | undefined;
/**
 * How many threads to hash with by default: one per CPU the process may run on, but no
 * more than its cgroup CPU limit rounded up. Up, because hashing is bound by CPU time:
 * under a limit of 1.5 CPUs two threads hashed 1 GiB in 1.03 s and one in 1.48 s.
 */
export declare function defaultThreads(cpus: number, limit: number | undefined): number;
