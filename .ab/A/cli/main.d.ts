#!/usr/bin/env node
import './start-workers.js';
/** Runs the CLI; resolves to the process exit code. */
export declare function main(args: string[]): Promise<number>;
