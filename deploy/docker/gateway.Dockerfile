# syntax=docker/dockerfile:1.7
# The gateway image. DOTNET_REGISTRY is the host of Microsoft's container registry, which serves the .NET images.

ARG DOTNET_REGISTRY

FROM ${DOTNET_REGISTRY}/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY deploy/InferenceCluster.ServiceDefaults/ deploy/InferenceCluster.ServiceDefaults/
# The gateway can host an embedded worker (no broker configured), so it builds against the worker libraries.
COPY worker/ worker/
COPY models/test-model/ models/test-model/
COPY gateway/ gateway/
RUN dotnet publish gateway/InferenceCluster.Gateway/InferenceCluster.Gateway.csproj -c Release -o /app

FROM ${DOTNET_REGISTRY}/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_ENVIRONMENT=Production
EXPOSE 8080
USER 1654
ENTRYPOINT ["dotnet", "InferenceCluster.Gateway.dll"]
