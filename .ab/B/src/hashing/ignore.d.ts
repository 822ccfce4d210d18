/** Paths the reference ignores by default (`--ignore-git-paths`), relative to the model root. */
export declare const GIT_PATHS: readonly string[];
/**
 * Normalizes a POSIX path relative to the model root: no `./`, no empty or trailing
 * components. Returns undefined for a path that leaves the root or is absolute.
 */
export declare function normalizeRelative(path: string): string | undefined;
/**
 * True when `normalizeRelative(path) === path`, without building the normalized copy: no
 * leading `/`, and no empty, `.` or `..` component (`''` itself is its own normal form).
 * Verification checks every signed resource name this way (200,000 names: 4-8 ms, against
 * 65-110 ms comparing with the normalized copy).
 */
export declare function isNormalRelative(path: string): boolean;
/**
 * Builds the ignore predicate: a name is ignored when it equals an ignore path or lies
 * below one (ignoring a directory ignores its subtree).
 */
export declare function ignoreMatcher(ignorePaths: readonly string[]): (name: string) => boolean;
