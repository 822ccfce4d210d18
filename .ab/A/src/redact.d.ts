/** Text with each of `secrets` replaced by `as`, and anything JWT-like by `<identity token>`. */
export declare function redact(text: string, secrets: readonly string[], as: string): string;
