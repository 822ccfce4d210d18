import { usageError } from '../errors.js';
import { digestProblem } from './digest.js';

/** A parsed image reference: `registry/repository[:tag][@digest]`. */
export interface Reference {
  /** Host (and port) as the user wrote it, e.g. `docker.io`, `127.0.0.1:5000`. */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
// The distribution spec's tag grammar; an OCI layout's tags follow it too.
const TAG = /^[\w][\w.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// V8 runs a repeated group recursively: on megabytes these patterns throw RangeError instead
// of answering. No real digest or repository name comes near these lengths (registries cap a
// name at 255 characters), so longer strings are refused before the pattern runs.
const MAX_DIGEST_LENGTH = 1024;
const MAX_REPOSITORY_LENGTH = 4096;

/** True for a tag in the distribution spec's grammar: 1 to 128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`. */
export const isTag = (s: string): boolean => TAG.test(s);

/** True for a string in the OCI digest grammar (image-spec descriptor.md): algorithm ":" encoded. */
export const isDigestString = (s: string): boolean => s.length <= MAX_DIGEST_LENGTH && DIGEST.test(s);

// docker's reference grammar for a registry host: DNS labels of letters, digits and inner
// hyphens, joined by dots (an IPv4 address is one such name); an IPv6 address is bracketed.
const HOST_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const MAX_HOST_LENGTH = 253;

/**
 * True for an IPv6 address, as the URL parser reads one. (node:net's isIPv6 would load
 * node:net, 2 ms, before the CLI's hash workers start: prestart.ts imports this module.)
 */
function isIpv6(address: string): boolean {
  try {
    return /^[0-9a-fA-F:.]+$/.test(address) && new URL(`http://[${address}]/`).hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Why `registry` (`host[:port]`, as in a reference) cannot be a registry address, or
 * undefined: the host is a DNS name, an IPv4 address or a bracketed IPv6 address, and the
 * port a number from 1 to 65535. Checked as the reference is parsed, so that a typo is
 * local input (BAD_REFERENCE) and not a failure to build a URL later.
 */
export function registryProblem(registry: string): string | undefined {
  const bracket = registry.startsWith('[') ? registry.indexOf(']') : -1;
  const hostEnd = registry.startsWith('[') ? (bracket === -1 ? registry.length : bracket + 1) : registry.indexOf(':') === -1 ? registry.length : registry.indexOf(':');
  const host = registry.slice(0, hostEnd);
  const rest = registry.slice(hostEnd);
  if (host.startsWith('[')) {
    if (bracket === -1 || !isIpv6(host.slice(1, -1))) return `${JSON.stringify(host)} is not a bracketed IPv6 address`;
  } else if (host.length > MAX_HOST_LENGTH || !HOST_NAME.test(host)) {
    return `${JSON.stringify(host)} is not a host name or IP address`;
  }
  if (rest === '') return undefined;
  const port = rest.slice(1);
  if (!rest.startsWith(':') || !/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `${JSON.stringify(rest.startsWith(':') ? port : rest)} is not a port (a number from 1 to 65535)`;
  }
  return undefined;
}

/**
 * Parses a reference. Docker Hub short names work as in docker: `ubuntu` is
 * `docker.io/library/ubuntu:latest`. An `oci://` prefix is accepted and dropped. A digest
 * must be a well-formed sha256 or sha512 one, the digests registries and layouts are
 * addressed by, and the registry a valid `host[:port]`; credentials in the reference
 * (`user:password@host/...`) are refused without repeating them.
 */
export function parseReference(input: string): Reference {
  let rest = input.startsWith('oci://') ? input.slice('oci://'.length) : input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  // A digest holds no `/`: an `@` with one after it opens a URL's user information, most
  // likely a password, which no message may repeat (nor the rest of the reference: a
  // password may hold `@` or `/` itself).
  if (at !== -1 && rest.includes('/', at)) {
    throw usageError('BAD_REFERENCE', `a registry reference cannot carry credentials (USER:PASSWORD@ before the registry): give them with --username and --password-stdin, or in the docker config (docker login)`);
  }
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    // The registered algorithms have fixed encodings, and a registry is asked only for those
    // it is addressed by: a typo or another algorithm fails here, not remotely. As the
    // `@...` may be no digest at all, only it is named.
    const problem = digestProblem(digest);
    if (problem) throw usageError('BAD_REFERENCE', `the digest after "@" in the reference: ${problem}`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw usageError('BAD_REFERENCE', `${input}: ${JSON.stringify(tag)} is not a valid tag`);
  }
  const slash = rest.indexOf('/');
  // `oci://127.0.0.1:5000` or `oci://ghcr.io`: docker would read a Docker Hub image
  // `library/127.0.0.1:5000`, but a host with no repository is what was written (no
  // official Docker Hub image has a dot in its name).
  if (slash === -1 && (rest.includes('.') || rest === 'localhost' || rest.startsWith('['))) {
    throw usageError('BAD_REFERENCE', `${input} names a registry but no repository: write ${rest}${tag ? `:${tag}` : ''}/REPOSITORY[:tag|@digest]`);
  }
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const problem = isHost ? registryProblem(first) : undefined;
  if (problem) throw usageError('BAD_REFERENCE', `${input}: the registry must be host[:port], and in ${JSON.stringify(first)} ${problem}`);
  const registry = isHost ? (first === 'index.docker.io' ? DOCKER_HUB : first) : DOCKER_HUB;
  let repository = isHost ? rest.slice(slash + 1) : rest;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (repository.length > MAX_REPOSITORY_LENGTH || !REPOSITORY.test(repository)) throw usageError('BAD_REFERENCE', `${input}: ${JSON.stringify(repository)} is not a valid repository name`);
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The tag or digest to ask the registry for (the digest wins when both are given). */
export const referenceTarget = (ref: Reference): string => ref.digest ?? ref.tag ?? 'latest';

/** A parsed reference written back as `registry/repository[:tag][@digest]`. */
export const formatReference = (ref: Reference): string =>
  `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;

/** The host the distribution API lives on. */
export const apiHost = (registry: string): string => (registry === DOCKER_HUB ? 'registry-1.docker.io' : registry);

/** Loopback registries speak plain HTTP without asking; everything else needs --plain-http. */
export function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** True for the references the OCI adapter opens: `oci://...` and `oci-layout:PATH[:tag|@digest]`. */
export const isOciReference = (arg: string): boolean => arg.startsWith('oci://') || arg.startsWith('oci-layout:');
