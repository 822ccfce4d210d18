export declare const signCommand: import("yargs").CommandModule<{}, {}>;
