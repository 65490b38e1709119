# syntax=docker/dockerfile:1
#
# The images of gistgrep, one target per app, from a clean checkout:
#
#   docker build --target api        -t gistgrep-api .
#   docker build --target worker     -t gistgrep-worker .
#   docker build --target github-sim -t gistgrep-github-sim .
#
# Stage `build` compiles the three executable jars with the Maven wrapper (tests run in CI,
# not here). api and worker are Spring Boot jars: their layers are extracted so that a
# change to gistgrep's own classes rebuilds only the last, small layer. They are extracted
# as a plain jar with its libraries in lib/ (not for the JarLauncher), so that the JVM's
# own class loaders load every class from a jar: what an AOT cache (JDK 25, JEP 483/514)
# needs to keep classes loaded and linked. Each app's image makes its cache in a training
# run (`-Dspring.context.exit=onRefresh`: the context starts, without a database, broker or
# Redis, nothing is started, and the JVM exits) and starts with it: the worker starts in
# about 4 s instead of 7 s on a 2-core machine. Every runtime image
# runs as an unprivileged user and works with a read-only root filesystem as long as /tmp
# is writable (Tomcat's work directory, JGit's temporary clones, hsperfdata).
# Base images are pinned to a Temurin release; bump the tag on a JDK update.

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl api,worker,github-sim -am package \
 && java -Djarmode=tools -jar api/target/gistgrep-api.jar extract --layers --destination /out/api \
 && java -Djarmode=tools -jar worker/target/gistgrep-worker.jar extract --layers --destination /out/worker \
 && mkdir -p /out/github-sim && cp github-sim/target/gistgrep-github-sim.jar /out/github-sim/

FROM eclipse-temurin:25.0.3_9-jre-noble AS runtime
# A fixed numeric id, so that Kubernetes' runAsNonRoot can check it without a name lookup.
RUN groupadd --system --gid 10001 gistgrep \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin gistgrep
COPY --chmod=0755 docker/healthcheck /usr/local/bin/healthcheck
WORKDIR /app
# Container-aware heap: a share of the container's memory limit, not of the host's.
# ExitOnOutOfMemoryError lets the orchestrator restart a JVM that can no longer work.
ENV JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=50 -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001:10001

FROM runtime AS api
COPY --from=build /out/api/dependencies/ ./
COPY --from=build /out/api/spring-boot-loader/ ./
COPY --from=build /out/api/snapshot-dependencies/ ./
COPY --from=build /out/api/application/ ./
# JSON logs (Elastic Common Schema) for the log collector.
ENV SERVER_PORT=8080 MANAGEMENT_SERVER_PORT=8081 LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# The AOT cache, from a training run in this very image (same JDK, same jars).
USER 0:0
RUN GISTGREP_SECRETS_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= SPRING_FLYWAY_ENABLED=false \
    java -XX:AOTCacheOutput=/app/app.aot -Xlog:aot*=error -Dspring.context.exit=onRefresh -jar gistgrep-api.jar \
 && chmod 0444 /app/app.aot
USER 10001:10001
# 8080: the HTTP API; 8081: management (health probes, Prometheus).
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["healthcheck", "8081", "/actuator/health/readiness"]
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-Xlog:aot*=error", "-jar", "gistgrep-api.jar"]

FROM runtime AS worker
COPY --from=build /out/worker/dependencies/ ./
COPY --from=build /out/worker/spring-boot-loader/ ./
COPY --from=build /out/worker/snapshot-dependencies/ ./
COPY --from=build /out/worker/application/ ./
# The worker serves only its management endpoints, on server.port.
ENV SERVER_PORT=8082 LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# The worker's JIT stops at C1 (-XX:TieredStopAtLevel=1). A worker gets a small share of
# a CPU (the chart requests half a core) and its work is framework plumbing (HTTP, AMQP,
# JDBC, JSON) spread over thousands of methods: C2 spent about half of the worker's CPU
# compiling them during its first minute, while jobs waited. With C1 alone, on 2 cores
# (bench/e2e.sh; docs/architecture.md#performance): the first job after a start took 1.6 s
# instead of 2.0-2.6 s, a 5,000-gist job ran at 480 gists/s instead of 400-430, with 1.8 ms
# of worker CPU per gist instead of 2.9. The scanner's loops lose some peak speed (1.6 GB/s
# instead of 2.8 on literals), which gists of a few KB never reach. On a worker with several
# cores to itself, C2 may pay off: override JAVA_TOOL_OPTIONS without the flag.
# C1 compiles a method after a tenth of the calls it waits for by default
# (-XX:CompileThresholdScaling=0.1): the warm-up's one round then compiles most of a job's
# code, which the first job would otherwise run interpreted and compile on the way. On 2
# cores, seven alternated runs each: the first job after a start took 1.2-2.0 s (median 1.5)
# instead of 1.6-2.6 s (2.1), with 1.5 s of worker CPU instead of 2.2; a twentieth compiled
# more and was slower (docs/architecture.md#performance).
# The worker collects with the Serial GC (-XX:+UseSerialGC), which the JVM picks by itself
# under the chart's 1 GiB limit (under 1792 MB it is not a "server class machine"), but not
# on a larger host, where G1 took more: a 5,000-gist job used less worker CPU per
# gist with Serial than with G1 (8-27 %), in each of four alternated pairs of runs on 2 cores
# (bench/results/e2e-2026-12-03-gc*-30.md). Its live set is small and its work is
# throughput; its pauses hold no request.
# Set before the training run, so the cache is made with the flags it is used with.
ENV JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS} -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:+UseSerialGC"
# The AOT cache, as the api's. The training run starts no listener and no warm-up.
USER 0:0
RUN GISTGREP_SECRETS_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= SPRING_FLYWAY_ENABLED=false \
    java -XX:AOTCacheOutput=/app/app.aot -Xlog:aot*=error -Dspring.context.exit=onRefresh -jar gistgrep-worker.jar \
 && chmod 0444 /app/app.aot
USER 10001:10001
EXPOSE 8082
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["healthcheck", "8082", "/actuator/health/readiness"]
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-Xlog:aot*=error", "-jar", "gistgrep-worker.jar"]

FROM runtime AS github-sim
# A plain shaded jar (no Spring): nothing to layer.
COPY --from=build /out/github-sim/gistgrep-github-sim.jar ./
# 9090: the GitHub-compatible API; 9091: the raw content host.
EXPOSE 9090 9091
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["healthcheck", "9090", "/rate_limit"]
ENTRYPOINT ["java", "-jar", "gistgrep-github-sim.jar"]
# Replace to add options, e.g. `--synthetic big=5000` or `--latency-ms 50` (see `--help`).
CMD ["--bind-address", "0.0.0.0", "--port", "9090", "--raw-port", "9091"]
