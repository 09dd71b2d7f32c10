# syntax=docker/dockerfile:1.7
# The gateway image, built on the .NET images by their usual names. A mirror of them can be named with
#   --build-arg SDK_IMAGE=<mirror>/dotnet/sdk:10.0 --build-arg ASPNET_IMAGE=<mirror>/dotnet/aspnet:10.0

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY deploy/InferenceCluster.ServiceDefaults/ deploy/InferenceCluster.ServiceDefaults/
COPY deploy/InferenceCluster.Settings/ deploy/InferenceCluster.Settings/
# The gateway can host an embedded worker (no broker configured), so it builds against the worker libraries.
COPY worker/ worker/
COPY models/test-model/ models/test-model/
COPY gateway/ gateway/
RUN dotnet publish gateway/InferenceCluster.Gateway/InferenceCluster.Gateway.csproj -c Release -o /app

FROM ${ASPNET_IMAGE}
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_ENVIRONMENT=Production
EXPOSE 8080
USER 1654
ENTRYPOINT ["dotnet", "InferenceCluster.Gateway.dll"]
