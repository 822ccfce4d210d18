export declare const digestCommand: import("yargs").CommandModule<{}, {}>;
