const require_rolldown_runtime = require("./rolldown-runtime-B2SfzNBj.js");
const require_bundle = require("./bundle-DvlbyBTU.js");
const require_key_verifier = require("./key-verifier-COYUQvJv.js");
let _sigstore_bundle = require("@sigstore/bundle");
let _sigstore_core = require("@sigstore/core");
let _sigstore_protobuf_specs = require("@sigstore/protobuf-specs");
let _sigstore_verify = require("@sigstore/verify");
// dist/src/verifying/sigstore-verifier.js
var sigstore_verifier_exports = /* @__PURE__ */ require_rolldown_runtime.__exportAll({ sigstoreVerifier: () => sigstoreVerifier });
const FAILED_CHECK = {
	UNTRUSTED_SIGNER_ERROR: "identity policy",
	CERTIFICATE_ERROR: "Fulcio certificate chain",
	TLOG_ERROR: "Rekor transparency log entry",
	TLOG_BODY_ERROR: "Rekor entry body (it does not match this signature and payload)",
	TLOG_INCLUSION_PROOF_ERROR: "Rekor inclusion proof",
	TLOG_INCLUSION_PROMISE_ERROR: "Rekor inclusion promise (signed entry timestamp)",
	TLOG_MISSING_INCLUSION_ERROR: "Rekor inclusion proof or promise",
	SIGNATURE_ERROR: "envelope signature",
	TIMESTAMP_ERROR: "timestamps",
	PUBLIC_KEY_ERROR: "public key"
};
/**
* Verifies Sigstore keyless bundles offline against a trusted root with sigstore-js: the
* Fulcio chain, certificate transparency SCTs, the Rekor entry (inclusion proof or promise,
* signed entry timestamp), RFC 3161 timestamps, then the identity policy (SAN and issuer
* must equal the expected values exactly).
*/
function sigstoreVerifier(trust, expected) {
	let material;
	try {
		material = (0, _sigstore_verify.toTrustMaterial)(_sigstore_protobuf_specs.TrustedRoot.fromJSON(trust.trustedRoot));
	} catch (err) {
		throw require_bundle.usageError("TRUST_ROOT_INVALID", `cannot use ${trust.source}: ${err.message}`, err);
	}
	const verifier = new _sigstore_verify.Verifier(material);
	const policy = {
		subjectAlternativeName: `^${expected.identity.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`,
		extensions: { issuer: expected.issuer }
	};
	return {
		method: "sigstore",
		verify(bundle) {
			const leaf = require_bundle.signingMethod(bundle) === "sigstore" ? require_bundle.signingCertificate(bundle.material) : void 0;
			if (!leaf) throw require_key_verifier.wrongMethod("sigstore", bundle);
			if (bundle.payloadType !== "application/vnd.in-toto+json") throw require_bundle.unverifiedError("PAYLOAD_TYPE", `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${require_bundle.IN_TOTO_PAYLOAD_TYPE}`);
			let sigstoreBundle;
			try {
				sigstoreBundle = (0, _sigstore_bundle.bundleFromJSON)(bundle.json);
			} catch (err) {
				throw require_bundle.unverifiedError("BUNDLE_MALFORMED", `not a usable Sigstore bundle: ${err.message}`, err);
			}
			let signer;
			try {
				signer = verifier.verify((0, _sigstore_verify.toSignedEntity)(sigstoreBundle), policy);
			} catch (err) {
				const code = err.code ?? "";
				const what = FAILED_CHECK[code];
				if (!what) throw require_bundle.unverifiedError("SIGSTORE_FAILED", `Sigstore verification failed: ${err.message}`, err);
				const detail = code === "UNTRUSTED_SIGNER_ERROR" ? identityDetail(leaf, expected) : err.message;
				throw require_bundle.unverifiedError(`SIGSTORE_${code.replace(/_ERROR$/, "")}`, `Sigstore check failed: ${what}: ${detail}`, err);
			}
			const tlog = (sigstoreBundle.verificationMaterial.tlogEntries ?? [])[0];
			const timestamps = (sigstoreBundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map((t) => _sigstore_core.RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp)).signingTime.toISOString());
			return {
				legacyPae: false,
				signer: {
					method: "sigstore",
					identity: signer.identity?.subjectAlternativeName ?? "",
					issuer: signer.identity?.extensions?.issuer ?? "",
					trustRoot: trust.source,
					...tlog ? {
						logIndex: tlog.logIndex,
						logId: tlog.logId?.keyId.toString("base64") ?? "",
						integratedTime: (/* @__PURE__ */ new Date(Number(tlog.integratedTime) * 1e3)).toISOString()
					} : {},
					rfc3161Timestamps: timestamps
				}
			};
		}
	};
}
/** Says which of the two policy values did not match, and what the certificate holds. */
function identityDetail(leaf, expected) {
	const cert = _sigstore_core.X509Certificate.parse(Buffer.from(leaf));
	const san = cert.subjectAltName ?? "(none)";
	const issuer = issuerOf(cert) ?? "(none)";
	const parts = [];
	if (san !== expected.identity) parts.push(`identity is ${JSON.stringify(san)}, expected ${JSON.stringify(expected.identity)}`);
	if (issuer !== expected.issuer) parts.push(`identity provider is ${JSON.stringify(issuer)}, expected ${JSON.stringify(expected.issuer)}`);
	return parts.length > 0 ? parts.join("; ") : "the signer does not match";
}
const ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
const ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
function issuerOf(cert) {
	const v2 = cert.extension(ISSUER_V2);
	if (v2) return v2.valueObj.subs[0]?.value.toString("ascii") ?? v2.value.toString("ascii");
	return cert.extension(ISSUER_V1)?.value.toString("ascii");
}
Object.defineProperty(exports, "sigstore_verifier_exports", {
	enumerable: true,
	get: function() {
		return sigstore_verifier_exports;
	}
});
