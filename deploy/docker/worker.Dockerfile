# syntax=docker/dockerfile:1.7
# The worker image. CPU by default; for NVIDIA GPUs build with
#   --build-arg USE_CUDA=true --build-arg RUNTIME_BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
# (the CUDA build of ONNX Runtime GenAI needs CUDA 12 and cuDNN 9 in the image).
# DOTNET_REGISTRY is the host of Microsoft's container registry, which serves the .NET images.
# The model is not in the image: mount it and point Inference__ModelPath at it.

ARG DOTNET_REGISTRY
ARG RUNTIME_BASE=${DOTNET_REGISTRY}/dotnet/runtime-deps:10.0

FROM ${DOTNET_REGISTRY}/dotnet/sdk:10.0 AS build
ARG USE_CUDA=false
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY deploy/InferenceCluster.ServiceDefaults/ deploy/InferenceCluster.ServiceDefaults/
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
    Inference__ModelPath=/models/model
# A numeric user exists in every base image's eyes; the worker needs no privileges.
USER 1654
ENTRYPOINT ["/app/InferenceCluster.Worker"]
