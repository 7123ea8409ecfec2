using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scoring.Service.Options;
using Microsoft.Extensions.Time.Testing;

namespace Scoring.Tests.Functional;

/// <summary>
/// Starts the real service on a real store (a SQLite file in a temp folder, or a fresh schema in the test
/// PostgreSQL server, see <see cref="ScoringBackends"/>), with a fake clock, the repository's policies, a known
/// ingest token and API key, and every log line captured.
/// </summary>
public sealed class ScoringServiceFactory : WebApplicationFactory<Program>
{
    public const string IngestToken = "test-ingest-token";
    public const string ApiKey = "test-api-key";
    public const string ApiClient = "tests";

    public static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero); // a Monday, 09:00 New York

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public ScoringServiceFactory()
        : this((IDictionary<string, string?>?)null)
    {
    }

    /// <param name="backend"><c>sqlite</c> or <c>postgres</c> (<see cref="ScoringBackends.All"/>).</param>
    public ScoringServiceFactory(string backend)
        : this(null, backend: backend)
    {
    }

    internal ScoringServiceFactory(IDictionary<string, string?>? overrides, string environment = "Production", bool defaults = true, string backend = ScoringBackends.Sqlite)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "scoring-tests-" + Guid.NewGuid().ToString("N"));
        _environment = environment;
        _settings = defaults
            ? new()
            {
                ["Ingest:TokenSha256"] = SecretHashes.Hash(IngestToken),
                [$"Api:Keys:{ApiClient}"] = SecretHashes.Hash(ApiKey),
                ["Scoring:PoliciesDirectory"] = RepoPaths.Policies,
            }
            : [];
        _settings["Scoring:DataDirectory"] = DataDirectory;
        if (backend == ScoringBackends.Postgres)
        {
            Schema = Gateway.Testing.TestPostgres.NewSchemaName("scoring");
            _settings["Storage:Provider"] = "postgres";
            _settings["Storage:Postgres:ConnectionString"] = Gateway.Testing.TestPostgres.ConnectionString;
            _settings["Storage:Postgres:Schema"] = Schema;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    internal FakeTimeProvider Time { get; } = new(Start);

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL schema of this service's tables (null on SQLite).</summary>
    public string? Schema { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>A client with the API key.</summary>
    public HttpClient ApiClientWithKey()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task<HttpResponseMessage> PostBatchAsync(object batch, string? token = IngestToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ingest/v1/batch") { Content = JsonContent.Create(batch) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await CreateClient().SendAsync(request);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (Schema is not null)
        {
            Gateway.Testing.TestPostgres.DropSchema(Schema);
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>Every log line the service writes, with its level and category.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
