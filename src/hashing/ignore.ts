/** Paths the reference ignores by default (`--ignore-git-paths`), relative to the model root. */
export const GIT_PATHS: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];

/**
 * Normalizes a POSIX path relative to the model root: no `./`, no empty or trailing
 * components. Returns undefined for a path that leaves the root or is absolute.
 */
export function normalizeRelative(path: string): string | undefined {
  if (path.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/**
 * Builds the ignore predicate: a name is ignored when it equals an ignore path or lies
 * below one (ignoring a directory ignores its subtree).
 */
export function ignoreMatcher(ignorePaths: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  for (const p of ignorePaths) {
    const n = normalizeRelative(p);
    if (n) exact.add(n);
  }
  if (exact.size === 0) return () => false;
  return (name) => {
    if (exact.has(name)) return true;
    for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
      if (exact.has(name.slice(0, i))) return true;
    }
    return false;
  };
}
