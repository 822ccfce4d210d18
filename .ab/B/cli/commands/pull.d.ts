/**
 * Downloads a model and verifies it while the bytes stream: each byte is read once, hashed
 * and written under a staging name; files are moved into `<dir>` only after the whole model
 * verified, and on any failure nothing is left there.
 */
export declare const pullCommand: import("yargs").CommandModule<{}, {}>;
