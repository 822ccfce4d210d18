export declare const pushCommand: import("yargs").CommandModule<{}, {}>;
export declare const attachCommand: import("yargs").CommandModule<{}, {}>;
export declare const discoverCommand: import("yargs").CommandModule<{}, {}>;
