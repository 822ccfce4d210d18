import type { FileStatus, VerificationReport } from '../src/core.js';
/** How each stored signature fared, when several were tried (see cli/commands/verify.ts). */
interface Outcomes {
    readonly signatures?: readonly {
        readonly signature: string;
        readonly verified: boolean;
        readonly error?: {
            readonly message: string;
        };
    }[];
}
/**
 * Renders a verification report for people: the verdict, the signer, then every file that
 * differs. When several signatures were tried and none verified, each one's reason comes
 * first, and `signature` (where given) names the one whose details follow. Values that come
 * from the bundle, the model or a registry pass through `printable`, so none can drive the
 * terminal or forge a line.
 */
export declare function reportText(report: VerificationReport & Outcomes, model: string, signature?: string): string;
/** One file's line of a report: status, name, digests and why. */
export declare function fileText(f: FileStatus): string;
export {};
