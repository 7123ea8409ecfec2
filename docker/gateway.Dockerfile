# syntax=docker/dockerfile:1.7
# The gateway. Multi-stage: the SDK image builds, the ASP.NET runtime image runs as the non-root 'app' user.
# Run it with a read-only root filesystem: everything it writes goes to /data (audit, keys, checkpoints) and /tmp.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY policies/policy.schema.json policies/
COPY src/Gateway.Compliance/ src/Gateway.Compliance/
COPY src/Gateway.Storage/ src/Gateway.Storage/
COPY src/Service.Defaults/ src/Service.Defaults/
COPY src/Pms.Connectors/ src/Pms.Connectors/
COPY src/Gateway.Server/ src/Gateway.Server/
RUN dotnet publish src/Gateway.Server/Gateway.Server.csproj -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# /data (and the folders compose mounts volumes on) belong to the app user: Docker initialises an empty named
# volume from the image's folder, ownership included, so the non-root service can write its audit log and keys.
RUN mkdir -p /data/audit /data/keys /data/logs /data/checkpoints && chown -R $APP_UID:$APP_UID /data
# Diagnostics stay on for dotnet-counters/dotnet-trace (IPC socket in /tmp); only debugger and profiler attach are off.
ENV DOTNET_EnableDiagnostics_Debugger=0 \
    DOTNET_EnableDiagnostics_Profiler=0 \
    ASPNETCORE_URLS="https://+:8443;http://127.0.0.1:8080" \
    Gateway__DataPath=/data \
    Gateway__PoliciesPath=/policies
USER $APP_UID
EXPOSE 8443 9443
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["dotnet", "Gateway.Server.dll", "probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "Gateway.Server.dll"]
