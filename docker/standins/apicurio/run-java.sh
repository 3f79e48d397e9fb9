#!/usr/bin/env bash
# The registry in the foreground as PID 1 (Quarkus stops cleanly on SIGTERM).
set -euo pipefail
jar=$(ls /deployments/quarkus-run.jar /deployments/*-runner.jar 2>/dev/null | head -n 1)
# shellcheck disable=SC2086 # JAVA_OPTS* hold several JVM flags
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar "$jar" "$@"
