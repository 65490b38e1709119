#!/usr/bin/env bash
# bench/e2e.sh — the end-to-end benchmark of issue 13: github-sim, the api and K workers as
# `java -jar` processes on this machine, against the local PostgreSQL, RabbitMQ and Redis;
# runs the cases (throughput, cold latency, first job after start-up, job reads, fairness,
# worker heap), checks every job's result, and writes bench/results/e2e-<date>[-label].md
# with the machine, the commit, the table and CPU / peak RSS per process. Prints the table.
#
#   bench/e2e.sh                    # the full run: about 7 minutes on 2 cores (+ a build if needed)
#   bench/e2e.sh --quick            # smaller sizes, a smoke run: about 2.5 minutes
#   bench/e2e.sh --cases 1,4        # only some of the cases (3, when chosen, always runs first)
#   bench/e2e.sh --workers 2 --label two-workers
#
# It builds the jars when they are missing or older than the sources, starts PostgreSQL,
# Redis and RabbitMQ when they are down (as root, like bin/run-local), makes the database
# gistgrep_bench and the virtual host gistgrep-bench afresh, and leases a Redis database
# the way the tests do (db 0 key gistgrep:test-lease:<n>, n from 15 down), so it never
# empties one a test run uses. Everything it started is stopped on exit, Ctrl-C included.
# The apps' environment can be tuned by exporting variables (GISTGREP_*; JVM options in
# BENCH_JAVA_OPTS for the api and the workers, BENCH_API_JAVA_OPTS, BENCH_WORKER_JAVA_OPTS,
# BENCH_SIM_JAVA_OPTS for github-sim, BENCH_DRIVER_JAVA_OPTS for the bench's own JVM);
# the workers run with their image's -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1
# -XX:+UseSerialGC unless these say otherwise. The
# results file lists what was used.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bench/e2e.sh [--quick] [--cases LIST] [--workers K] [--redis-db N] [--label NAME] [--rebuild]
                    [--raw-concurrency N] [--start-ups N] [--api-port P] [--worker-port P] [--sim-port P]
  --quick            smaller sizes and shorter loads (a smoke run, about 2.5 minutes)
  --cases LIST       cases to run, e.g. 1,4 (default: all, 1,2,3,4,5,6; 3 always runs first)
  --workers K        workers to start (1)
  --redis-db N       use Redis database N (emptied before each case and on exit) instead of leasing one
  --label NAME       write bench/results/e2e-<date>-NAME.md (-2, -3… if it exists)
  --rebuild          build the jars even if they look up to date
  --raw-concurrency  raw requests in flight per worker, for the references
                     (default 32: the adaptive limit's default ceiling)
  --start-ups N      start the api and the workers N times for case 3 and report the median of
                     their first jobs (default 3, about 30 s each; 1 with --quick)
  --api-port P       api on P, management on P+1 (18080); workers from --worker-port (18082);
                     github-sim API on --sim-port (19090), raw and git on the next port (127.0.0.2)
Logs: bench/target/e2e/logs/. Environment: GISTGREP_* variables reach the apps; JVM options in
BENCH_JAVA_OPTS (api and workers), BENCH_API_JAVA_OPTS, BENCH_WORKER_JAVA_OPTS (after the workers'
image options -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:+UseSerialGC, so
BENCH_WORKER_JAVA_OPTS=-XX:TieredStopAtLevel=4 gives them C2, and
"-XX:-UseSerialGC -XX:+UseG1GC" G1),
BENCH_SIM_JAVA_OPTS (github-sim), BENCH_DRIVER_JAVA_OPTS (the bench's own JVM, which drives the cases).
BENCH_API_JAR, BENCH_WORKER_JAR run other jars instead of this build's (an A/B of two builds).
USAGE
}

REBUILD=false REDIS_DB="" ARGS=()
while (($#)); do
  case "$1" in
    --rebuild) REBUILD=true ;;
    --redis-db) REDIS_DB=${2:?--redis-db needs a number}; shift ;;
    --quick) ARGS+=("$1") ;;
    --cases|--workers|--label|--raw-concurrency|--start-ups|--api-port|--worker-port|--sim-port)
      ARGS+=("$1" "${2:?$1 needs a value}"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "e2e: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# Other jars given by the caller, as absolute paths: resolved from where the caller ran it.
for jar in BENCH_API_JAR BENCH_WORKER_JAR; do
  if [[ -n "${!jar:-}" ]]; then
    [[ -f "${!jar}" ]] || { echo "[e2e] $jar=${!jar}: no such file" >&2; exit 2; }
    export "$jar=$(realpath "${!jar}")"
  fi
done
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUN_DIR=bench/target/e2e
say() { printf '[e2e] %s\n' "$*"; }
die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- Java 25 (the default `java` may be older).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" -lt 25 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -x "$JAVA_HOME/bin/java" ]] || die "no JDK 25 found; set JAVA_HOME to a JDK >= 25"
export PATH="$JAVA_HOME/bin:$PATH"
for tool in redis-cli psql createdb dropdb rabbitmqctl; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

# --- Jars and the driver: built when missing or older than any source or POM.
JARS=(api/target/gistgrep-api.jar worker/target/gistgrep-worker.jar github-sim/target/gistgrep-github-sim.jar)
stale() {
  local jar
  for jar in "${JARS[@]}" bench/target/classpath.txt; do
    [[ -f "$jar" ]] || return 0
    [[ -n "$(find scanner common db messaging github-sim worker api bench -path '*/src/main/*' -newer "$jar" \
      -print -quit 2>/dev/null)" ]] && return 0
    [[ -n "$(find . -maxdepth 2 -name pom.xml -newer "$jar" -print -quit)" ]] && return 0
  done
  return 1
}
if $REBUILD || stale; then
  say "building the jars and the driver (./mvnw -B -q -DskipTests package -pl api,worker,github-sim,bench -am)…"
  # package, never install: ~/.m2 is left alone. forceCreation: otherwise an app whose own
  # classes did not change keeps its old Spring Boot jar, with the old jars of the modules
  # it depends on (the jar plugin finds the plain jar up to date, and Boot's repackage
  # skips a jar that is already repackaged).
  ./mvnw -B -q -DskipTests -Dmaven.jar.forceCreation=true -pl api,worker,github-sim,bench -am package \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
# Run copies: a rebuild overwriting target/*.jar under a running app breaks it later.
mkdir -p "$RUN_DIR/jars" "$RUN_DIR/logs"
cp "${JARS[@]}" "$RUN_DIR/jars/"

# --- Backing services: start only what is down (as bin/run-local and .ci/run do).
start_service() {  # name, check-command, start-command...
  local name=$1 check=$2; shift 2
  eval "$check" && return 0
  if [[ $EUID -ne 0 ]] || ! command -v "$1" >/dev/null; then
    die "$name is not running; start it with: $*"
  fi
  say "$name is down, starting it: $*"
  "$@" >/dev/null
  for _ in $(seq 60); do eval "$check" && return 0; sleep 1; done
  die "$name did not come up within 60 s"
}
start_service PostgreSQL 'pg_isready -q -h 127.0.0.1 -p 5432' \
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql 2>/dev/null | tail -1)" main start
mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
start_service Redis '[[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]' \
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
start_service RabbitMQ 'port_open 5672' rabbitmq-server -detached
# The apps set the scan queue's limit as a policy through the management API.
if ! port_open 15672 && [[ $EUID -eq 0 ]]; then
  rabbitmq-plugins enable rabbitmq_management >/dev/null
  for _ in $(seq 60); do port_open 15672 && break; sleep 1; done
fi

# --- Cleanup on any exit: whatever the driver started and did not stop, and the Redis lease.
LEASE_VALUE="bench-e2e-$$-$RANDOM"
LEASED=""
cleanup() {
  trap - INT TERM EXIT
  if [[ -f "$RUN_DIR/pids" ]]; then
    local pid left=()
    while read -r pid; do
      # Only our own children: the pid must still run one of the bench's jars.
      [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$RUN_DIR/jars/" && left+=("$pid")
    done <"$RUN_DIR/pids"
    if ((${#left[@]})); then
      say "stopping ${#left[@]} process(es) left running: ${left[*]}"
      kill -TERM "${left[@]}" 2>/dev/null || true
      for _ in $(seq 30); do kill -0 "${left[@]}" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "${left[@]}" 2>/dev/null || true
    fi
  fi
  if [[ -n "$REDIS_DB" ]]; then
    redis-cli -h 127.0.0.1 -n "$REDIS_DB" FLUSHDB >/dev/null 2>&1 || true
  fi
  if [[ -n "$LEASED" && "$(redis-cli -h 127.0.0.1 -n 0 GET "gistgrep:test-lease:$LEASED" 2>/dev/null)" == "$LEASE_VALUE" ]]; then
    redis-cli -h 127.0.0.1 -n 0 DEL "gistgrep:test-lease:$LEASED" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- A Redis database of our own: leased like TestServices does (tests lease from 1 up,
# the bench from 15 down), for two hours at most.
if [[ -z "$REDIS_DB" ]]; then
  for n in $(seq 15 -1 1); do
    if [[ "$(redis-cli -h 127.0.0.1 -n 0 SET "gistgrep:test-lease:$n" "$LEASE_VALUE" NX EX 7200)" == OK ]]; then
      LEASED=$n REDIS_DB=$n
      break
    fi
  done
  [[ -n "$REDIS_DB" ]] || die "Redis databases 1-15 are all leased (by test runs?); pass --redis-db N"
fi
redis-cli -h 127.0.0.1 -n "$REDIS_DB" FLUSHDB >/dev/null

# --- A fresh database and virtual host: nothing left over from an earlier run.
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS gistgrep_bench WITH (FORCE)" >/dev/null
createdb -h 127.0.0.1 -U postgres gistgrep_bench
rabbitmqctl -q delete_vhost gistgrep-bench >/dev/null 2>&1 || true
rabbitmqctl -q add_vhost gistgrep-bench >/dev/null
rabbitmqctl -q set_permissions -p gistgrep-bench guest '.*' '.*' '.*' >/dev/null

BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  BENCH_COMMIT+=" (dirty: uncommitted changes to tracked files)"
fi
export BENCH_COMMIT

say "Redis database $REDIS_DB${LEASED:+ (leased)}, PostgreSQL database gistgrep_bench, RabbitMQ vhost gistgrep-bench"
rm -f "$RUN_DIR/pids"
status=0
"$JAVA_HOME/bin/java" ${BENCH_DRIVER_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.gistgrep.bench.e2e.E2eMain \
  --redis-db "$REDIS_DB" --run-dir "$RUN_DIR" --jars "$RUN_DIR/jars" "${ARGS[@]}" || status=$?
exit "$status"
