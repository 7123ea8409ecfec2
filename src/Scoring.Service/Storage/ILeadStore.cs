using Scoring.Engine.Events;
using Scoring.Engine.Funnel;

namespace Scoring.Service.Storage;

/// <summary>
/// Durable storage of forwarded events, identities, leads and their stage transitions, on SQLite
/// (<see cref="Sqlite.SqliteLeadStore"/>) or PostgreSQL (<see cref="Postgres.PostgresLeadStore"/>), both to this contract
/// (the store tests run against both):
/// <list type="bullet">
/// <item><see cref="AppendAsync"/> stores a batch atomically; an event whose (practice, message id) is already stored
/// is a duplicate and changes nothing, even when two requests race (a unique constraint decides).</item>
/// <item>Every write to a lead bumps its version; <see cref="TrySaveAsync"/> applies only at the expected version.</item>
/// <item>Times are stored to the millisecond.</item>
/// </list>
/// </summary>
internal interface ILeadStore
{
    /// <summary>Creates or migrates the schema. Called once at start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores new events, links identities (merging two leads of one person), creates leads for new subjects with
    /// their first transition, and marks touched leads due for evaluation.
    /// </summary>
    Task<AppendResult> AppendAsync(IncomingBatch batch, CancellationToken cancellationToken);

    /// <summary>The lead a subject or any id linked to it belongs to.</summary>
    Task<LeadRecord?> FindLeadAsync(string practice, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadEvent>> GetEventsAsync(LeadKey key, CancellationToken cancellationToken);

    /// <summary>The lead's transitions, oldest first.</summary>
    Task<IReadOnlyList<StoredTransition>> GetTransitionsAsync(LeadKey key, CancellationToken cancellationToken);

    /// <summary>Applies the update if the lead is still at the expected version; false if it changed meanwhile.</summary>
    Task<bool> TrySaveAsync(LeadUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Leads whose stage may have changed by <paramref name="now"/>: next check due, or evaluated under another
    /// configuration than the current one of their practice or vertical (system-managed stages only).
    /// </summary>
    Task<IReadOnlyList<LeadKey>> FindDueAsync(DateTimeOffset now, IReadOnlyList<ConfigurationIdentity> configurations, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadRecord>> ListAsync(LeadQuery query, CancellationToken cancellationToken);

    /// <summary>MQLs whose hand-off is past due at <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<LeadRecord>> ListOverdueAsync(DateTimeOffset now, OverdueQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<FunnelLead>> GetFunnelLeadsAsync(FunnelQuery query, CancellationToken cancellationToken);
}
