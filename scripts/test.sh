#!/usr/bin/env bash
# The project's one test command (README "Testing"; .ci/run calls it).
# On a fresh Debian machine it installs what the tests need, then builds and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the tests use as independent peers.
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v mkfifo >/dev/null 2>&1 || need+=(coreutils)
# A real registry (distribution 2.8, no referrers API), an independent OCI client, and htpasswd.
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
# The decoder for tar+zstd registry layers (and the tests' independent encoder).
command -v zstd >/dev/null 2>&1 || need+=(zstd)
# A real HTTP proxy, for registry requests through HTTP_PROXY.
command -v tinyproxy >/dev/null 2>&1 || need+=(tinyproxy)
# The kernel's record of system calls: which writes are flushed before their renames.
command -v strace >/dev/null 2>&1 || need+=(strace)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${need[*]}: install them with apt-get (needs root)" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ ! -d ../shared/vectors/model-transparency ]; then
  echo "the reference vectors are missing: ../shared/vectors/model-transparency must sit beside this checkout" >&2
  exit 2
fi

# Dependencies exactly as locked; npm ci also builds the package (prepare).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The code and the tests under the same strict type checks (vitest itself does not check types).
npm run typecheck

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
npm test -- --reporter=default --reporter=json --outputFile.json="$results" || status=$?
# A plain closing line any CI can read. A skipped test is not a passed one: the run fails
# unless MODELSIGN_TEST_ALLOW_SKIPS=1 (a machine that cannot mount, say) accepts them; a test
# file that failed as a whole (an import, a beforeAll) is named, and no results is a failure.
node -e '
  let r;
  try {
    r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  } catch (err) {
    console.log(`no test results (${err.message})`);
    process.exit(1);
  }
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  for (const file of r.testResults.filter((t) => t.status === "failed" && t.assertionResults.every((a) => a.status !== "failed"))) {
    console.log(`failed as a whole: ${file.name}${file.message ? `: ${file.message.split("\n")[0]}` : ""}`);
  }
  if (skipped > 0 && process.env.MODELSIGN_TEST_ALLOW_SKIPS !== "1") {
    for (const file of r.testResults) for (const a of file.assertionResults) if (a.status === "pending" || a.status === "todo" || a.status === "skipped") console.log(`skipped: ${a.fullName}`);
    console.log("skipped tests fail the run (MODELSIGN_TEST_ALLOW_SKIPS=1 accepts them)");
    process.exit(1);
  }
' "$results" || { [ "$status" -ne 0 ] || status=1; }
exit "$status"
