import { isAbsolute, sep } from 'node:path';
/** True when `path` is `dir` or inside it, both absolute and resolved (`/` contains every path). */
export const isWithin = (path, dir) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
/**
 * Whether a path relative to a root (`path.relative`) leaves it. Only a whole `..`
 * component does: `..scratch` or `..sig` is a file inside the root.
 */
export const isOutside = (rel) => rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
//# sourceMappingURL=paths.js.map