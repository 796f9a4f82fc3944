# syntax=docker/dockerfile:1
# Build stage: exactly the README's test command (what CI tests is what ships). `mvn -B -ntp verify`
# runs the whole suite, DeployManifestsTest included, which renders deploy/ with kubectl kustomize.
# The jar is the same for every platform: in a multi-platform build (linux/amd64 and linux/arm64,
# .github/workflows/release.yml) this stage runs once, natively, not under emulation.
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
ARG BUILDARCH=amd64
ARG KUBECTL_VERSION=v1.32.4
RUN (command -v curl >/dev/null || (apt-get update && apt-get install -y --no-install-recommends curl)) \
 && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${BUILDARCH}/kubectl" \
 && echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${BUILDARCH}/kubectl.sha256")  /usr/local/bin/kubectl" \
    | sha256sum -c - \
 && chmod 0755 /usr/local/bin/kubectl
WORKDIR /src
COPY pom.xml README.md Dockerfile ./
COPY crds crds
COPY deploy deploy
COPY src src
RUN mvn -B -ntp verify

# Runtime stage: a JRE, a non-root user, only the operator jar (dependencies shaded into it).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 operator \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin operator
COPY --from=build /src/target/grafana-token-operator.jar /opt/grafana-token-operator/grafana-token-operator.jar
# numeric, so that the kubelet can verify runAsNonRoot; the Deployment sets the same uid
USER 10001:10001
# the heap is a share of the container's memory limit (deploy/README.md has the measurements)
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=65 -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/grafana-token-operator/grafana-token-operator.jar"]
