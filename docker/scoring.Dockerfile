# syntax=docker/dockerfile:1.7
# The MQL scoring service. Same shape as the gateway image: non-root, read-only root filesystem friendly.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
# The engine checks scoring files against what each vertical's policy forwards, through Gateway.Compliance
# (which embeds the policy format's schema).
COPY policies/scoring.schema.json policies/policy.schema.json policies/
COPY src/Gateway.Compliance/ src/Gateway.Compliance/
COPY src/Scoring.Engine/ src/Scoring.Engine/
COPY src/Service.Defaults/ src/Service.Defaults/
COPY src/Scoring.Service/ src/Scoring.Service/
RUN dotnet publish src/Scoring.Service/Scoring.Service.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# /data (and the folders compose mounts volumes on) belong to the app user: Docker initialises an empty named
# volume from the image's folder, ownership included, so the non-root service can write its audit log and keys.
RUN mkdir -p /data && chown -R $APP_UID:$APP_UID /data
# Diagnostics stay on for dotnet-counters/dotnet-trace (IPC socket in /tmp); only debugger and profiler attach are off.
ENV DOTNET_EnableDiagnostics_Debugger=0 \
    DOTNET_EnableDiagnostics_Profiler=0 \
    ASPNETCORE_URLS="https://+:8444;http://127.0.0.1:8080" \
    Scoring__DataDirectory=/data \
    Scoring__PoliciesDirectory=/policies
USER $APP_UID
EXPOSE 8444
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["dotnet", "Scoring.Service.dll", "probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "Scoring.Service.dll"]
