/** True when `path` is `dir` or inside it, both absolute and resolved (`/` contains every path). */
export declare const isWithin: (path: string, dir: string) => boolean;
/**
 * Whether a path relative to a root (`path.relative`) leaves it. Only a whole `..`
 * component does: `..scratch` or `..sig` is a file inside the root.
 */
export declare const isOutside: (rel: string) => boolean;
