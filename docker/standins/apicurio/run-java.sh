#!/usr/bin/env bash
# The registry in the foreground as PID 1 (Quarkus stops cleanly on SIGTERM):
# the Quarkus fast-jar (quarkus-run.jar) or legacy (*-runner.jar) layout.
set -euo pipefail
jar=""
for candidate in /deployments/quarkus-run.jar /deployments/*-runner.jar; do
  if [ -f "$candidate" ]; then jar=$candidate && break; fi
done
[ -n "$jar" ] || { echo "no quarkus-run.jar or *-runner.jar in /deployments" >&2; exit 1; }
# shellcheck disable=SC2086 # JAVA_OPTS* hold several JVM flags
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar "$jar" "$@"
