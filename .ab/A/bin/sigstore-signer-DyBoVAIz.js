const require_rolldown_runtime = require("./rolldown-runtime-B2SfzNBj.js");
const require_bundle = require("./bundle-DvlbyBTU.js");
const require_redact = require("./redact-CqXXyx4T.js");
let _sigstore_bundle = require("@sigstore/bundle");
let _sigstore_protobuf_specs = require("@sigstore/protobuf-specs");
let _sigstore_sign = require("@sigstore/sign");
// dist/src/signing/sigstore-signer.js
var sigstore_signer_exports = /* @__PURE__ */ require_rolldown_runtime.__exportAll({
	checkIdentityTokenExpiry: () => checkIdentityTokenExpiry,
	signManifestKeyless: () => signManifestKeyless
});
/**
* Signs a manifest keylessly: an ephemeral key certified by Fulcio for the OIDC identity,
* the DSSE envelope logged in Rekor and timestamped by the TSA the signing config names.
* Service failures are remote errors (exit 3); a missing identity is a usage error.
*/
async function signManifestKeyless(manifest, options) {
	let signingConfig;
	try {
		signingConfig = _sigstore_protobuf_specs.SigningConfig.fromJSON(options.signingConfig);
	} catch (err) {
		throw require_bundle.usageError("TRUST_CONFIG_INVALID", `the signing config is not usable: ${err.message}`, err);
	}
	const tokens = [];
	const identityProvider = options.identityToken ? { getToken: () => Promise.resolve(remember(tokens, checkIdentityTokenExpiry(options.identityToken))) } : ambientIdentity(tokens);
	let builder;
	try {
		builder = (0, _sigstore_sign.bundleBuilderFromSigningConfig)({
			signingConfig,
			identityProvider,
			bundleType: "dsseEnvelope",
			fetchOptions: {
				timeout: options.timeoutMs ?? 3e4,
				retry: { retries: 2 }
			}
		});
	} catch (err) {
		throw require_bundle.usageError("TRUST_CONFIG_INVALID", `the signing config is not usable: ${err.message}`, err);
	}
	const payload = require_bundle.buildStatement(manifest);
	require_bundle.checkStatementSize(payload, manifest.resources.length);
	try {
		const bundle = await builder.create({
			data: payload,
			type: require_bundle.IN_TOTO_PAYLOAD_TYPE
		});
		return Buffer.from(JSON.stringify((0, _sigstore_bundle.bundleToJSON)(bundle)), "utf8");
	} catch (err) {
		const own = ownError(err);
		if (own) throw own;
		const code = err.code;
		if (code === "IDENTITY_TOKEN_PARSE_ERROR") throw require_bundle.usageError("BAD_IDENTITY_TOKEN", `keyless signing failed (${code}): the identity token is not a JWT with a subject or a verified email${tokenProblem(err)}`);
		const message = `keyless signing failed${code ? ` (${code})` : ""}: ${require_redact.redact(require_bundle.causeChain(err), tokens, "<identity token>")}`;
		throw new require_bundle.ModelsignError("remote", "SIGSTORE_SIGN_FAILED", message);
	}
}
function remember(tokens, token) {
	tokens.push(token);
	return token;
}
/**
* Why sigstore-js could not read a subject from the token, in its own words where those
* cannot quote the token (a JSON parse error quotes the decoded claims).
*/
function tokenProblem(err) {
	const cause = err.cause;
	const why = cause instanceof Error ? cause.message : "";
	if (why === "JWT email not verified by issuer" || why === "JWT subject not found") return ` (${why})`;
	return " (its payload is not base64url JSON)";
}
function ownError(err) {
	for (let e = err, depth = 0; e !== void 0 && e !== null && depth < 5; e = e.cause, depth += 1) if (e instanceof require_bundle.ModelsignError) return e;
}
/** GitHub Actions' OIDC token, when the workflow grants `id-token: write`; remembered in `tokens`. */
function ambientIdentity(tokens) {
	const ci = new _sigstore_sign.CIContextProvider("sigstore");
	return { getToken: async () => {
		let token;
		try {
			token = await ci.getToken();
		} catch (err) {
			throw require_bundle.usageError("NO_IDENTITY", "no identity token: pass --identity-token, set SIGSTORE_ID_TOKEN, or run in GitHub Actions with `permissions: id-token: write`", err);
		}
		return remember(tokens, checkIdentityTokenExpiry(token));
	} };
}
/**
* Returns the token, or throws IDENTITY_TOKEN_EXPIRED (a usage error) if its `exp` claim
* is past: Fulcio would refuse it with a message that does not say why. The claim is read
* without verifying anything (Fulcio verifies the token); a token without one, or no JWT,
* passes, for Fulcio to judge.
*/
function checkIdentityTokenExpiry(token, now = /* @__PURE__ */ new Date()) {
	const exp = expiryClaim(token);
	if (exp === void 0 || exp * 1e3 > now.getTime()) return token;
	const ago = Math.round(now.getTime() / 1e3 - exp);
	throw require_bundle.usageError("IDENTITY_TOKEN_EXPIRED", `the identity token expired at ${(/* @__PURE__ */ new Date(exp * 1e3)).toISOString()} (${ago} s ago), and Fulcio certifies only a current one: get a fresh token (short-lived tokens can expire while a large model hashes; GitHub Actions' ambient token is fetched after hashing)`);
}
function expiryClaim(token) {
	try {
		const exp = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"))?.exp;
		return typeof exp === "number" && Number.isFinite(exp) ? exp : void 0;
	} catch {
		return;
	}
}
Object.defineProperty(exports, "sigstore_signer_exports", {
	enumerable: true,
	get: function() {
		return sigstore_signer_exports;
	}
});
