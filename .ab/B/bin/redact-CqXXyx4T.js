// dist/src/redact.js
/**
* An identity token's shape: a JWT, whose header and payload are JSON objects and so start
* `eyJ` in base64 (base64url, or standard base64 as some tools print it). Both segments must
* look so, or ordinary text with `eyJ` and a dot (a path like `heyJude.v2/x`) would be blanked.
*/
const JWT_LIKE = /eyJ[\w+/=-]*\.eyJ[\w+/=-]*\.[\w+/=-]*/g;
/** Text with each of `secrets` replaced by `as`, and anything JWT-like by `<identity token>`. */
function redact(text, secrets, as) {
	let out = text;
	for (const secret of secrets) if (secret !== "") out = out.split(secret).join(as);
	return out.replace(JWT_LIKE, "<identity token>");
}
Object.defineProperty(exports, "redact", {
	enumerable: true,
	get: function() {
		return redact;
	}
});
