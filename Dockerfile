# syntax=docker/dockerfile:1
# Multi-stage build: compile with the Maven wrapper on a JDK, run router.jar on a JRE.
#   docker build -t semantic-router .
#   docker run -p 50051:50051 -p 8080:8080 -v $PWD/config.yaml:/etc/router/config.yaml semantic-router
# The same image runs the mock backends: `... semantic-router mock-vllm --port 8000 --models qwen3-8b`.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Dependencies first, so source edits do not re-download them.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY router-config/pom.xml router-config/
COPY router-classifier/pom.xml router-classifier/
COPY router-extproc/pom.xml router-extproc/
COPY router-tools/pom.xml router-tools/
COPY router-app/pom.xml router-app/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY router-config router-config
COPY router-classifier router-classifier
COPY router-extproc router-extproc
COPY router-tools router-tools
COPY router-app router-app
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 router
WORKDIR /app
COPY --from=build /src/router-app/target/router.jar /app/router.jar
COPY config.yaml /etc/router/config.yaml
# The shipped classifier heads (a few hundred KB). config.yaml names them relative to itself
# (models/category...), so they sit beside it; /opt/router/models is the same folder for configs
# mounted elsewhere (e.g. a Kubernetes ConfigMap over /etc/router: use absolute paths there).
COPY models /opt/router/models
RUN ln -s /opt/router/models /etc/router/models
USER router
# 50051 ext_proc gRPC, 8080 HTTP API, 9190 metrics (later issue).
EXPOSE 50051 8080 9190
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/router.jar"]
CMD ["serve", "--config", "/etc/router/config.yaml"]
