# syntax=docker/dockerfile:1.7
# ntklab as a container: docker build -t ntklab .   (BuildKit, the default builder since Docker 23)
#
# The runtime image must be glibc-based (no Alpine): ND4J's and OpenBLAS's native libraries for
# linux-x86_64 link against glibc.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk-jammy
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# ~/.m2 (Maven itself, fetched by the wrapper, and the dependencies) persists between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q package -DskipTests \
 && java -Djarmode=tools -jar target/ntklab-*.jar extract --layers --launcher --destination /extracted

FROM ${RUNTIME_IMAGE}
# curl ships with the Temurin images (adoptium/containers#255) and serves the HEALTHCHECK; fail
# the build rather than the health check if a future base image drops it.
RUN command -v curl >/dev/null \
 && groupadd --system --gid 10001 ntklab \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ntklab \
 && mkdir -p /app/data /var/cache/javacpp \
 && chown 10001:10001 /app/data /var/cache/javacpp
WORKDIR /app
# Spring Boot's layers, the least often changed first. The application's files belong to root:
# the service can read them, not change them.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --chmod=0755 src/main/docker/entrypoint.sh /usr/local/bin/ntklab-entrypoint
COPY --from=build /extracted/application/ ./

# /app/data: the embedded H2 database (jdbc:h2:file:./data/ntklab), unless SPRING_DATASOURCE_URL
# names PostgreSQL. /var/cache/javacpp: ND4J's native libraries, about 400 MiB, unpacked on the
# first start. JAVA_OPTS is appended to the options the entrypoint computes (see entrypoint.sh).
# OPENBLAS_THREAD_TIMEOUT=4: OpenBLAS's threads sleep as soon as a product ends instead of
# spinning for about 0.1 s on a core the engine's own loops need (README, "OpenBLAS threads").
ENV JAVACPP_CACHEDIR=/var/cache/javacpp \
    OPENBLAS_THREAD_TIMEOUT=4 \
    JAVA_OPTS=""
USER 10001:10001
EXPOSE 8080
# The first start unpacks the native libraries: allow it five minutes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5m --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${PORT:-8080}/actuator/health/liveness" || exit 1
ENTRYPOINT ["/usr/local/bin/ntklab-entrypoint"]
