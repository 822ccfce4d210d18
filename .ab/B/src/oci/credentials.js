import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ModelsignError, usageError } from '../errors.js';
import { FileTooLargeError, readSmallFile } from '../small-file.js';
// A docker config holds a few credentials; a larger file is not one.
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Credentials as a message names them: whose, and from where; never the secret. */
export function describeCredentials(creds) {
    const what = creds.kind === 'basic' ? `the credentials of user ${JSON.stringify(creds.username)}` : 'the identity token';
    return creds.source ? `${what} from ${creds.source}` : what;
}
// docker writes Docker Hub credentials under its v1 index URL.
const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
/**
 * Credentials the way docker, oras and skopeo find them: `$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json` (`credHelpers`, then `credsStore`, then `auths`). Explicit
 * credentials, when given, win for every registry.
 */
export function dockerCredentials(explicit, configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')) {
    let config;
    return async (registry) => {
        if (explicit)
            return explicit;
        const path = join(configDir, 'config.json');
        config ??= readDockerConfig(path);
        const cfg = await config;
        const keys = registry === 'docker.io' ? HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`];
        const helper = keys.map((k) => cfg.credHelpers?.[k]).find(Boolean) ?? cfg.credsStore;
        if (helper !== undefined && typeof helper !== 'string')
            throw usageError('BAD_DOCKER_CONFIG', `the credential helper for ${registry} in the docker config is not a name`);
        if (helper) {
            const fromHelper = await credentialHelper(helper, registry === 'docker.io' ? HUB_KEYS[0] : registry);
            if (fromHelper)
                return { ...fromHelper, source: `docker-credential-${helper} (named in ${path})` };
        }
        for (const key of keys) {
            const entry = cfg.auths?.[key];
            if (!entry)
                continue;
            const fields = [entry.identitytoken, entry.username, entry.password, entry.auth];
            if (typeof entry !== 'object' || fields.some((f) => f !== undefined && typeof f !== 'string')) {
                throw usageError('BAD_DOCKER_CONFIG', `the auths entry for ${key} in the docker config is not an object of strings`);
            }
            const source = `the auths entry ${JSON.stringify(key)} of ${path}`;
            if (entry.identitytoken)
                return { kind: 'identity-token', token: entry.identitytoken, source };
            if (entry.username !== undefined && entry.password !== undefined)
                return { kind: 'basic', username: entry.username, password: entry.password, source };
            if (entry.auth) {
                const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
                const colon = decoded.indexOf(':');
                if (colon === -1)
                    throw usageError('BAD_DOCKER_CONFIG', `the auth entry for ${key} in the docker config is not base64 "user:password"`);
                return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
            }
        }
        return undefined;
    };
}
async function readDockerConfig(path) {
    let text;
    try {
        text = (await readSmallFile(path, MAX_CONFIG_BYTES)).toString('utf8');
    }
    catch (err) {
        if (err instanceof FileTooLargeError)
            throw usageError('BAD_DOCKER_CONFIG', `${path} holds more than ${MAX_CONFIG_BYTES} bytes`);
        return {};
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (err) {
        throw usageError('BAD_DOCKER_CONFIG', `${path} is not JSON`, err);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw usageError('BAD_DOCKER_CONFIG', `${path} is not a JSON object`);
    return parsed;
}
/** Runs `docker-credential-<helper> get`, as docker does; "not found" means no credentials. */
function credentialHelper(helper, serverUrl) {
    return new Promise((resolve, reject) => {
        const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (err, stdout, stderr) => {
            if (err) {
                if (/credentials not found/i.test(`${stdout}${stderr}`))
                    return resolve(undefined);
                const missing = err.code === 'ENOENT';
                return reject(missing
                    ? usageError('CRED_HELPER_MISSING', `the docker config names credential helper "${helper}", but docker-credential-${helper} is not installed`)
                    : new ModelsignError('remote', 'CRED_HELPER_FAILED', `docker-credential-${helper} failed: ${(stderr || err.message).trim()}`));
            }
            try {
                const out = JSON.parse(stdout);
                if (!out.Secret)
                    return resolve(undefined);
                // docker's convention: the username <token> marks an identity (refresh) token.
                resolve(out.Username === '<token>' ? { kind: 'identity-token', token: out.Secret } : { kind: 'basic', username: out.Username ?? '', password: out.Secret });
            }
            catch (parseError) {
                reject(new ModelsignError('remote', 'CRED_HELPER_FAILED', `docker-credential-${helper} printed something that is not JSON`, { cause: parseError }));
            }
        });
        child.stdin?.end(serverUrl);
    });
}
//# sourceMappingURL=credentials.js.map