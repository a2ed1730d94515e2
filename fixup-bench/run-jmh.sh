#!/bin/sh
# The JMH microbenchmarks of the hot paths: TLB hit and table walk (TlbBenchmark), the decoder
# (DecoderBenchmark), the exception-table search (ExceptionTableBenchmark), the x87 arithmetic
# (X87Benchmark: transcendentals fast and by the decimal path, fdiv) and the whole
# demand-zero fault (FaultBenchmark). Not part of mvn test.
# Usage: fixup-bench/run-jmh.sh [JMH options] [REGEX]   e.g. run-jmh.sh -f 1 -wi 2 -i 3 Fault
#        (run-jmh.sh -h lists JMH's options; -prof gc, -prof stack and -rf json work as usual)
set -eu
. "$(dirname "$0")/bench-common.sh"
cp_file="$root/fixup-bench/target/jmh.classpath"
quiet_mvn -pl fixup-bench -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
# -am also wrote the class path files of the other modules; fixup-bench's own holds everything it needs.
exec java ${JAVA_OPTS:-} -cp "$root/fixup-bench/target/classes:$(cat "$cp_file")" -Dfixup.root="$root" org.openjdk.jmh.Main "$@"
