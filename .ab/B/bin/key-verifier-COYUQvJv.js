const require_bundle = require("./bundle-DvlbyBTU.js");
let node_crypto = require("node:crypto");
// dist/src/signing/keys.js
/** The ECDSA curves OMS key signing uses, each with its digest. */
const CURVE_DIGESTS = {
	prime256v1: "sha256",
	secp384r1: "sha384",
	secp521r1: "sha512"
};
/** The digest ECDSA uses with this key's curve; throws a usage error for any other key. */
function ecDigest(key, what = "key") {
	if (key.asymmetricKeyType !== "ec") throw require_bundle.usageError("KEY_UNSUPPORTED", `${what} is ${(key.asymmetricKeyType ?? "unknown").toUpperCase()}; OMS key signing supports ECDSA P-256, P-384 and P-521 only`);
	const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
	const digest = CURVE_DIGESTS[curve];
	if (!digest) throw require_bundle.usageError("KEY_UNSUPPORTED", `${what} uses curve ${curve}; supported curves are P-256, P-384 and P-521`);
	return digest;
}
/**
* Loads a PEM private key (optionally encrypted, with `password` as text or bytes) and checks
* that it is a supported EC key. A password given for a key that is not encrypted is ignored.
*/
function loadPrivateKey(pem, password, source) {
	let key;
	try {
		key = (0, node_crypto.createPrivateKey)(password === void 0 ? {
			key: pem,
			format: "pem"
		} : {
			key: pem,
			format: "pem",
			passphrase: password
		});
	} catch (err) {
		if (password === void 0 && isEncryptedPem(pem)) throw require_bundle.usageError("KEY_ENCRYPTED", `private key ${source} is encrypted; give its password with --password-file, MODELSIGN_PASSWORD or --password`, err);
		if (password !== void 0 && isDecryptFailure(err)) throw require_bundle.usageError("KEY_PASSWORD", `cannot decrypt private key ${source}: wrong password`, err);
		throw require_bundle.usageError("KEY_UNREADABLE", `cannot read private key ${source}: not a PEM private key`, err);
	}
	ecDigest(key, `private key ${source}`);
	return key;
}
const isEncryptedPem = (pem) => /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem.toString("latin1"));
const isDecryptFailure = (err) => /bad decrypt|decrypt|passphrase/i.test(err.message);
/**
* Loads a public key, in the forms the reference takes: a PEM PUBLIC KEY block (text before
* it, certtool's dump say, is skipped as OpenSSL's PEM reader does), a DER
* SubjectPublicKeyInfo (what KMS services hand out), or a bare compressed EC point (33, 49
* or 67 bytes for P-256, P-384, P-521).
*/
function loadPublicKey(bytes, source) {
	const key = bytes.includes("-----BEGIN") ? fromPem(bytes, source) : fromBinary(bytes, source);
	ecDigest(key, `public key ${source}`);
	return key;
}
function fromPem(bytes, source) {
	const block = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(bytes.toString("utf8"))?.[0];
	if (block === void 0) throw require_bundle.usageError("KEY_UNREADABLE", `cannot read public key ${source}: it holds no PEM PUBLIC KEY block`);
	try {
		return (0, node_crypto.createPublicKey)({
			key: block,
			format: "pem"
		});
	} catch (err) {
		throw require_bundle.usageError("KEY_UNREADABLE", `cannot read public key ${source}: not a PEM public key`, err);
	}
}
const COMPRESSED_POINT_CURVES = {
	33: {
		openssl: "prime256v1",
		jwk: "P-256"
	},
	49: {
		openssl: "secp384r1",
		jwk: "P-384"
	},
	67: {
		openssl: "secp521r1",
		jwk: "P-521"
	}
};
function fromBinary(bytes, source) {
	const curve = COMPRESSED_POINT_CURVES[bytes.length];
	if (curve && (bytes[0] === 2 || bytes[0] === 3)) {
		let point;
		try {
			point = node_crypto.ECDH.convertKey(bytes, curve.openssl, void 0, void 0, "uncompressed");
		} catch (err) {
			throw require_bundle.usageError("KEY_UNREADABLE", `cannot read public key ${source}: its ${bytes.length} bytes are not a point of ${curve.jwk}`, err);
		}
		const half = (point.length - 1) / 2;
		const x = point.subarray(1, 1 + half).toString("base64url");
		const y = point.subarray(1 + half).toString("base64url");
		return (0, node_crypto.createPublicKey)({
			key: {
				kty: "EC",
				crv: curve.jwk,
				x,
				y
			},
			format: "jwk"
		});
	}
	try {
		return (0, node_crypto.createPublicKey)({
			key: bytes,
			format: "der",
			type: "spki"
		});
	} catch (err) {
		throw require_bundle.usageError("KEY_UNREADABLE", `cannot read public key ${source}: it is neither a PEM PUBLIC KEY block, a DER SubjectPublicKeyInfo nor a compressed EC point`, err);
	}
}
/**
* The SubjectPublicKeyInfo PEM text (64-column base64, trailing newline), naming the curve
* as the reference writes it: a key read with explicit curve parameters keeps them in
* Node's export, which would give another hint than the reference's for the same key.
*/
function publicKeyPem(key) {
	return (key.asymmetricKeyType === "ec" ? (0, node_crypto.createPublicKey)({
		key: key.export({ format: "jwk" }),
		format: "jwk"
	}) : key).export({
		type: "spki",
		format: "pem"
	}).toString();
}
/**
* The reference's `publicKey.hint`: hex SHA-256 of the public key's PEM text, not its DER.
*/
function publicKeyHint(key) {
	const pub = key.type === "private" ? (0, node_crypto.createPublicKey)(key) : key;
	return (0, node_crypto.createHash)("sha256").update(publicKeyPem(pub), "utf8").digest("hex");
}
// dist/src/verifying/envelope.js
/**
* Verifies the DSSE envelope with an EC public key: ECDSA with the curve's digest over the
* PAE of the exact payload bytes. A v0.2-era payload (legacy predicate) is also tried over
* the reference's old PAE with SHA-256, as that version signed it. Returns whether that
* legacy path was the one that verified.
*/
function verifyEnvelope(bundle, key) {
	if (bundle.payloadType !== "application/vnd.in-toto+json") throw require_bundle.unverifiedError("PAYLOAD_TYPE", `payloadType is ${JSON.stringify(bundle.payloadType)}, expected ${require_bundle.IN_TOTO_PAYLOAD_TYPE}`);
	const check = (0, node_crypto.createVerify)(ecDigest(key));
	for (const part of require_bundle.paeParts(bundle.payloadType, bundle.payload)) check.update(part);
	if (check.verify({
		key,
		dsaEncoding: "der"
	}, bundle.signature.sig)) return { legacyPae: false };
	if (isLegacyPayload(bundle.payload)) {
		const old = require_bundle.legacyPae(bundle.payloadType, bundle.payload);
		if ((0, node_crypto.verify)("sha256", old, {
			key,
			dsaEncoding: "der"
		}, bundle.signature.sig)) return { legacyPae: true };
	}
	throw require_bundle.unverifiedError("SIGNATURE_INVALID", "the envelope signature does not verify with this key: the payload was changed or another key signed it");
}
function isLegacyPayload(payload) {
	try {
		return JSON.parse(payload.toString("utf8")).predicateType === require_bundle.LEGACY_PREDICATE_TYPE;
	} catch {
		return false;
	}
}
// dist/src/verifying/key-verifier.js
/**
* Verifies key-method bundles with a public key. A bundle of another method fails here, even
* though the reference's key verifier would ignore a certificate chain: a signature checked
* by a method it was not made for proves less than the caller asked.
*/
function keyVerifier(publicKey) {
	const hint = publicKeyHint(publicKey);
	return {
		method: "key",
		verify(bundle) {
			const m = bundle.material;
			if (m.kind !== "publicKey") throw wrongMethod("key", bundle);
			if (m.hint !== void 0 && m.hint !== hint) throw require_bundle.unverifiedError("KEY_MISMATCH", `the bundle was signed by the key with hint ${m.hint}, not by the given key (hint ${hint})`);
			const { legacyPae } = verifyEnvelope(bundle, publicKey);
			return {
				signer: {
					method: "key",
					keyHint: hint,
					legacyKeyMaterial: m.hint === void 0
				},
				legacyPae
			};
		}
	};
}
/** The error for a bundle verified with a method it was not signed with. */
function wrongMethod(asked, bundle) {
	const actual = require_bundle.signingMethod(bundle);
	return require_bundle.unverifiedError("WRONG_METHOD", `the bundle was signed with the ${actual} method (it carries ${bundle.material.kind}); verify it with \`verify ${actual}\`, not \`verify ${asked}\``);
}
Object.defineProperty(exports, "ecDigest", {
	enumerable: true,
	get: function() {
		return ecDigest;
	}
});
Object.defineProperty(exports, "keyVerifier", {
	enumerable: true,
	get: function() {
		return keyVerifier;
	}
});
Object.defineProperty(exports, "loadPrivateKey", {
	enumerable: true,
	get: function() {
		return loadPrivateKey;
	}
});
Object.defineProperty(exports, "loadPublicKey", {
	enumerable: true,
	get: function() {
		return loadPublicKey;
	}
});
Object.defineProperty(exports, "publicKeyHint", {
	enumerable: true,
	get: function() {
		return publicKeyHint;
	}
});
Object.defineProperty(exports, "verifyEnvelope", {
	enumerable: true,
	get: function() {
		return verifyEnvelope;
	}
});
Object.defineProperty(exports, "wrongMethod", {
	enumerable: true,
	get: function() {
		return wrongMethod;
	}
});
