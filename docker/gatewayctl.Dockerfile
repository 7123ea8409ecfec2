# syntax=docker/dockerfile:1.7
# gatewayctl for compliance officers and policy engineers, e.g.:
#   docker compose run --rm gatewayctl audit verify /audit --checkpoints /checkpoints --public-key /keys/checkpoint-signing.pub.pem
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY policies/ policies/
COPY templates/ templates/
COPY src/Gateway.Compliance/ src/Gateway.Compliance/
COPY src/Gateway.Storage/ src/Gateway.Storage/
COPY src/Scoring.Engine/ src/Scoring.Engine/
COPY pms/ pms/
COPY src/Pms.Connectors/ src/Pms.Connectors/
COPY src/Gateway.Cli/ src/Gateway.Cli/
RUN dotnet publish src/Gateway.Cli/Gateway.Cli.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_EnableDiagnostics=0
USER $APP_UID
ENTRYPOINT ["dotnet", "gatewayctl.dll"]
