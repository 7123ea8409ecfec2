namespace Gateway.Storage.Postgres;

/// <summary>
/// The trigger function that makes a table append-only: any UPDATE, DELETE or TRUNCATE raises an exception,
/// so history cannot be rewritten through the gateway's own credentials (revoke those privileges from the
/// application's role as well; see docs/postgresql.md).
/// </summary>
internal static class PostgresAppendOnly
{
    public const string Function = """
        CREATE OR REPLACE FUNCTION refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% records are append-only', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        """;

    /// <summary>The triggers that make <paramref name="table"/> append-only.</summary>
    public static string Triggers(string table, string what) => $"""
        CREATE TRIGGER {table}_no_rewrite BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_rewrite('{what}');
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite('{what}');
        """;
}
