# The server image: the fat jar on a Java 25 runtime, configured by TELEMETRY_* environment variables.
# Build stage compiles with the Maven wrapper (tests run in CI, not here); the runtime stage holds only the jar.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY proto proto
COPY query-builder query-builder
COPY server server
COPY bench bench
ENV MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow
RUN ./mvnw -B -ntp package -pl server -am -DskipTests

FROM eclipse-temurin:25-jre
WORKDIR /app
COPY --from=build /src/server/target/server-0.1.0-SNAPSHOT-all.jar /app/server.jar
# Remote store by default; override with TELEMETRY_CLICKHOUSE_URL (see README, "Remote ClickHouse").
ENV TELEMETRY_CLICKHOUSE_URL=jdbc:clickhouse://clickhouse:8123/default \
    TELEMETRY_SERVER_LOG_FORMAT=json
EXPOSE 8080 4317 4318
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://localhost:8080/readyz || exit 1
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", \
  "-XX:MaxRAMPercentage=75", "-jar", "/app/server.jar"]
