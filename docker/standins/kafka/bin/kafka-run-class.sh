#!/usr/bin/env bash
# kafka-run-class.sh CLASS ARGS...: a Kafka main class on the JVM, as the
# distribution's script runs it (KAFKA_HEAP_OPTS, KAFKA_OPTS honoured).
set -euo pipefail
class=$1
shift
log4j=/opt/kafka/config/tools-log4j2.properties
[ "$class" = kafka.Kafka ] && log4j=/opt/kafka/config/log4j2.properties
# shellcheck disable=SC2086 # the *_OPTS variables hold several JVM flags
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} -XX:+UseSerialGC -Djava.awt.headless=true ${KAFKA_OPTS:-} \
  "-Dlog4j2.configurationFile=$log4j" -cp '/opt/kafka/libs/*' "$class" "$@"
