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
# change to gistgrep's own classes rebuilds only the last, small layer. Every runtime image
# runs as an unprivileged user and works with a read-only root filesystem as long as /tmp
# is writable (Tomcat's work directory, JGit's temporary clones, hsperfdata).
# Base images are pinned to a Temurin release; bump the tag on a JDK update.

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl api,worker,github-sim -am package \
 && java -Djarmode=tools -jar api/target/gistgrep-api.jar extract --layers --launcher --destination /out/api \
 && java -Djarmode=tools -jar worker/target/gistgrep-worker.jar extract --layers --launcher --destination /out/worker \
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
# 8080: the HTTP API; 8081: management (health probes, Prometheus).
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["healthcheck", "8081", "/actuator/health/readiness"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

FROM runtime AS worker
COPY --from=build /out/worker/dependencies/ ./
COPY --from=build /out/worker/spring-boot-loader/ ./
COPY --from=build /out/worker/snapshot-dependencies/ ./
COPY --from=build /out/worker/application/ ./
# The worker serves only its management endpoints, on server.port.
ENV SERVER_PORT=8082 LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
EXPOSE 8082
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["healthcheck", "8082", "/actuator/health/readiness"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

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
