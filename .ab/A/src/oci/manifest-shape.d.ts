type Problem = string | undefined;
/**
 * What is wrong with the shape of a parsed manifest (image manifest, or index when the
 * media type says so), or undefined when every field this client reads has the type the
 * OCI image spec gives it. Fields it does not read are not checked.
 */
export declare function manifestShapeProblem(json: unknown, mediaType: string): Problem;
export {};
