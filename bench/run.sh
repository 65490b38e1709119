#!/usr/bin/env bash
# Runs the scanner benchmark and prints one table: MB/s per pattern for gistgrep's scanner,
# java.util.regex and ripgrep (rg -j1), then the adversarial cases. Builds what it needs and
# generates the corpus (bench/corpus/, kept out of git) on the first run.
#
#   bench/run.sh            # the whole benchmark (about 10 minutes on 2 cores)
#   bench/run.sh --quick    # fewer iterations, for a smoke test
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
	export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"

if ! command -v rg >/dev/null 2>&1; then
	echo "ripgrep (rg) is not installed: its column stays empty (apt-get install -y ripgrep)" >&2
fi

# package, not install: the scanner is taken from scanner/target, and ~/.m2 is left alone.
./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt

exec "$java" -Xmx3g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.gistgrep.bench.BenchMain \
	--corpus bench/corpus "$@"
