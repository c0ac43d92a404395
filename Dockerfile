# syntax=docker/dockerfile:1
# The router image: multi-stage (Maven build on a JDK -> router.jar on a JRE), non-root, with the
# shipped classifier heads and the native libraries (libtorch, tokenizers) inside, so nothing is
# downloaded or extracted at run time.
#   docker build -t semantic-router .
#   docker run -p 50051:50051 -p 8080:8080 -p 9190:9190 semantic-router
# The same image runs the mock backends and the tools:
#   docker run semantic-router mock-vllm --port 8000 --models qwen3-8b

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, so source edits do not re-download them.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY router-testkit/pom.xml router-testkit/
COPY router-config/pom.xml router-config/
COPY router-classifier/pom.xml router-classifier/
COPY router-envoy-peer/pom.xml router-envoy-peer/
COPY router-extproc/pom.xml router-extproc/
COPY router-tools/pom.xml router-tools/
COPY router-gateway/pom.xml router-gateway/
COPY router-app/pom.xml router-app/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY router-testkit router-testkit
COPY router-config router-config
COPY router-classifier router-classifier
COPY router-envoy-peer router-envoy-peer
COPY router-extproc router-extproc
COPY router-tools router-tools
COPY router-gateway router-gateway
COPY router-app router-app
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/router --no-create-home router \
    && mkdir -p /opt/router/djl /etc/router \
    && chown router /opt/router/djl
WORKDIR /opt/router
COPY --from=build /src/router-app/target/router.jar /opt/router/router.jar
# The shipped classifier heads (a few MB). The image's config names them relative to itself
# (models/category, ...), so they sit beside it; configs mounted elsewhere (a Kubernetes ConfigMap
# over /etc/router, see deploy/k8s/config.yaml) use the absolute /opt/router/models/... paths.
COPY models /opt/router/models
COPY config.yaml /etc/router/config.yaml
RUN ln -s /opt/router/models /etc/router/models
# DJL extracts libtorch and the tokenizers library from router.jar into its cache on first use.
# Do it now, as the router user, so the native libraries are part of the image (read-only root
# file systems work, and start-up does not write 450 MB).
ENV DJL_CACHE_DIR=/opt/router/djl
# glibc gives each thread that allocates natively its own malloc arena (up to 8 per core); the
# tokenizer and libtorch allocate from many request threads, and fragmented arenas showed as
# resident memory creeping up in the soak. Two arenas keep it flat (docs/performance.md, soak).
ENV MALLOC_ARENA_MAX=2
USER router
RUN java -jar /opt/router/router.jar classify --model /opt/router/models/category \
      --text "warm-up: extract the native libraries" --device cpu > /dev/null
# 50051 ext_proc gRPC, 8080 HTTP API, 9190 Prometheus metrics.
EXPOSE 50051 8080 9190
# Liveness: the HTTP API answers /health once the process is up (readiness is /ready, or the gRPC
# health service that Envoy and Kubernetes probe). Plain bash: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# Heap at most half the container's memory: libtorch and the tensors live outside the heap
# (measured: ~770 MB RSS after loading the root config's models, ~1.05 GB peak under load).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/router/router.jar"]
CMD ["serve", "--config", "/etc/router/config.yaml"]
