import { unverifiedError } from '../errors.js';
import { signingMethod } from '../bundle/bundle.js';
import { publicKeyHint } from '../signing/keys.js';
import { verifyEnvelope } from './envelope.js';
/**
 * Verifies key-method bundles with a public key. A bundle of another method fails here, even
 * though the reference's key verifier would ignore a certificate chain: a signature checked
 * by a method it was not made for proves less than the caller asked.
 */
export function keyVerifier(publicKey) {
    const hint = publicKeyHint(publicKey);
    return {
        method: 'key',
        verify(bundle) {
            const m = bundle.material;
            if (m.kind !== 'publicKey')
                throw wrongMethod('key', bundle);
            if (m.hint !== undefined && m.hint !== hint) {
                throw unverifiedError('KEY_MISMATCH', `the bundle was signed by the key with hint ${m.hint}, not by the given key (hint ${hint})`);
            }
            const { legacyPae } = verifyEnvelope(bundle, publicKey);
            return { signer: { method: 'key', keyHint: hint, legacyKeyMaterial: m.hint === undefined }, legacyPae };
        },
    };
}
/** The error for a bundle verified with a method it was not signed with. */
export function wrongMethod(asked, bundle) {
    const actual = signingMethod(bundle);
    return unverifiedError('WRONG_METHOD', `the bundle was signed with the ${actual} method (it carries ${bundle.material.kind}); verify it with \`verify ${actual}\`, not \`verify ${asked}\``);
}
//# sourceMappingURL=key-verifier.js.map