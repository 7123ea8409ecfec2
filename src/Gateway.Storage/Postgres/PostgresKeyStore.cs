namespace Gateway.Storage.Postgres;

/// <summary>
/// The ASP.NET Core Data Protection key ring as rows, shared by every gateway instance (each key's XML as
/// Data Protection wrote it: encrypted with the configured certificate when one is set). Keys are only ever
/// added; revocations are new elements. The gateway adapts this to Data Protection's <c>IXmlRepository</c>.
/// </summary>
public sealed class PostgresKeyStore(PostgresDatabase database) : PostgresStore(database, "data-protection-keys", s_migrations)
{
    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE data_protection_keys (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name text NOT NULL,
            xml text NOT NULL,
            stored_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT ux_data_protection_keys_name UNIQUE (friendly_name)
        );
        """,
    ];

    /// <summary>Every element's XML, oldest first.</summary>
    public IReadOnlyList<string> ReadAll() => Run(() => QueryAsync("SELECT xml FROM data_protection_keys ORDER BY id;", _ => { }, r => r.GetString(0), CancellationToken.None));

    /// <summary>Adds an element; a name already stored (a retried write) is kept as it was.</summary>
    public void Add(string friendlyName, string xml) => Run(() => ExecuteAsync(
        "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO NOTHING;", c =>
        {
            c.Parameters.AddWithValue("name", friendlyName);
            c.Parameters.AddWithValue("xml", xml);
        }, CancellationToken.None));

    /// <summary>True when at least one key (not only revocations) is stored.</summary>
    public async Task<bool> HasKeysAsync(CancellationToken cancellationToken = default) =>
        (bool)(await ScalarAsync("SELECT EXISTS (SELECT 1 FROM data_protection_keys WHERE friendly_name LIKE 'key-%');", _ => { }, cancellationToken))!;

    // Data Protection's repository interface is synchronous; it is called at start and when the key ring is refreshed, never per request.
    private static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
