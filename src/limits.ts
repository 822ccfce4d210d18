/**
 * The largest bundle read (and signed). Most are kilobytes, but the statement lists every
 * file or shard, about 180 bytes each once base64-encoded: this leaves room for models of
 * about 350,000 files, while a stray /dev/zero or huge file is still refused quickly.
 * (Apart from the bundle code, so that hashing can bound its plans without loading it.)
 */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
