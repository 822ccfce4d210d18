import type { ModelSource } from '../source.js';
import { type ModelCheckOptions } from './model-check.js';
import { type VerificationReport } from './report.js';
import type { SignatureVerifier } from './signer-info.js';
export interface VerifyModelOptions extends ModelCheckOptions {
    readonly source: ModelSource;
    /** The bundle file's bytes. */
    readonly bundle: Uint8Array;
    readonly verifier: SignatureVerifier;
    /**
     * Start listing the model before the bundle is checked, under the serialization its
     * payload appears to record (unless that allows symbolic links), and check the bundle on
     * the calling thread while the hash workers open and hash the listed files. The listing
     * is used only if the verified statement's rules are the same; otherwise the model is
     * listed again. Worth it for a local model; a source that downloads to list would
     * download before the signature is known to be good.
     */
    readonly listAhead?: boolean;
}
/**
 * Verifies a model against a signature bundle, step by step: parse the bundle, check the
 * signature with the chosen method, parse the statement, hash the model as it was signed
 * and compare. Every "not verified" outcome is returned as a report, never thrown; local
 * input problems (an unreadable model, a symlink the signature does not allow) throw a
 * usage `ModelsignError`.
 */
export declare function verifyModel(options: VerifyModelOptions): Promise<VerificationReport>;
