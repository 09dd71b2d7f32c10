# syntax=docker/dockerfile:1.7
# The worker image. CPU by default; for NVIDIA GPUs build with
#   --build-arg USE_CUDA=true --build-arg RUNTIME_BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
# (the CUDA build of ONNX Runtime GenAI needs CUDA 12 and cuDNN 9 in the image).
# The .NET images go by their usual names; a mirror of them can be named with --build-arg SDK_IMAGE=…
# and --build-arg RUNTIME_BASE=…. The model is not in the image: mount it and point Inference__ModelPath at it.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
# The worker is published self-contained, so its base needs only what .NET depends on, not a runtime.
ARG RUNTIME_BASE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
ARG USE_CUDA=false
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY deploy/InferenceCluster.ServiceDefaults/ deploy/InferenceCluster.ServiceDefaults/
COPY deploy/InferenceCluster.Settings/ deploy/InferenceCluster.Settings/
COPY worker/ worker/
# The inference project ships the tiny test model with its output; it is small and keeps the build uniform.
COPY models/test-model/ models/test-model/
# Self-contained, so the CUDA base image needs no .NET runtime of its own.
RUN dotnet publish worker/InferenceCluster.Worker/InferenceCluster.Worker.csproj \
      -c Release -r linux-x64 --self-contained true -p:UseCuda=${USE_CUDA} -o /app

FROM ${RUNTIME_BASE}
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_ENVIRONMENT=Production \
    Inference__ModelPath=/models/model \
    Worker__MetricsPort=9464 \
    Worker__MetricsAddress=0.0.0.0
# /metrics, /health/live and /health/ready.
EXPOSE 9464
# A numeric user exists in every base image's eyes; the worker needs no privileges.
USER 1654
ENTRYPOINT ["/app/InferenceCluster.Worker"]
