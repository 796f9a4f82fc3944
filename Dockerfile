# Build stage: the same Maven command as the README's test command (what CI tests is what ships).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY crds crds
COPY src src
COPY deploy deploy
RUN mvn -B verify

# Runtime stage: a JRE, a non-root user, only the operator jar.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home operator
COPY --from=build /src/target/grafana-token-operator.jar /opt/grafana-token-operator/grafana-token-operator.jar
USER 10001
# the JVM sizes its heap from the container's memory limit
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/grafana-token-operator/grafana-token-operator.jar"]
