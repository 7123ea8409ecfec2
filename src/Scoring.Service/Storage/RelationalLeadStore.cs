using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Scoring.Engine.Events;
using Scoring.Engine.Funnel;
using Scoring.Engine.Stages;

namespace Scoring.Service.Storage;

/// <summary>
/// The lead store's logic over ADO.NET, shared by the SQLite and PostgreSQL stores: a batch is stored atomically,
/// the unique (practice, message_id) constraint decides which copy of a retried event is new, every write to a lead
/// bumps its version, times are Unix milliseconds. A backend supplies connections, write transactions, the
/// per-practice append lock and its spelling of the two-argument maximum and minimum.
/// </summary>
internal abstract partial class RelationalLeadStore : ILeadStore, IHandoffOutbox
{
    private const string LeadColumns =
        "practice, subject, vertical, stage, stage_since, created_at, last_event_at, campaign, source, medium, " +
        "queue, assigned_at, due_at, service_line, location, evaluated_through, config_sha256, next_check_at, version, " +
        "sla, lead_location, lead_service_line, lead_type";

    private const string TransitionColumns = "at, from_stage, to_stage, reason, actor, client, criteria, queue, due_at, service_line, location, sla";

    private static readonly string[] s_systemStages = ["lead", "mql", "recycled"];

    /// <summary>The SQL function returning the larger of two values (<c>MAX</c> on SQLite, <c>GREATEST</c> on PostgreSQL).</summary>
    protected abstract string Greatest { get; }

    /// <summary>The SQL function returning the smaller of two values.</summary>
    protected abstract string Least { get; }

    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>An open connection, ready for use.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that writes (SQLite: <c>BEGIN IMMEDIATE</c>).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serializes the appends of one practice until the transaction ends, where the backend does not already.</summary>
    protected virtual Task LockPracticeAsync(DbConnection connection, DbTransaction transaction, string practice, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM schema_migrations;");
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException)
        {
            return false;
        }
    }

    public async Task<AppendResult> AppendAsync(IncomingBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await LockPracticeAsync(connection, transaction, batch.Practice, cancellationToken);
        var accepted = 0;
        var duplicates = 0;
        var affected = new List<string>();
        var received = Ms(batch.ReceivedAt);
        foreach (var e in batch.Events)
        {
            await using var insert = Command(connection, transaction, """
                INSERT INTO events (practice, message_id, type, name, occurred_at, received_at, vertical, policy_version, fields)
                VALUES (@p, @m, @type, @name, @occurred, @received, @vertical, @policy, @fields)
                ON CONFLICT (practice, message_id) DO NOTHING
                RETURNING seq;
                """,
                ("@p", batch.Practice), ("@m", e.MessageId), ("@type", e.Type), ("@name", e.Name), ("@occurred", Ms(e.OccurredAt)),
                ("@received", received), ("@vertical", batch.Vertical), ("@policy", batch.PolicyVersion),
                ("@fields", JsonSerializer.Serialize(e.Fields)));
            if (await insert.ExecuteScalarAsync(cancellationToken) is not long seq)
            {
                duplicates++;
                continue;
            }

            accepted++;
            if (e.PrimaryId is not { } primary)
            {
                continue;
            }

            var subject = await ResolveAsync(connection, transaction, batch.Practice, primary, cancellationToken);
            if (subject is null)
            {
                subject = primary;
                await LinkAsync(connection, transaction, batch.Practice, primary, subject, cancellationToken);
            }

            if (e.LinkedId is { } other && other != primary)
            {
                var otherSubject = await ResolveAsync(connection, transaction, batch.Practice, other, cancellationToken);
                if (otherSubject is null)
                {
                    await LinkAsync(connection, transaction, batch.Practice, other, subject, cancellationToken);
                }
                else if (otherSubject != subject
                    && (e.Type == "alias" || await IsIdentifiedAsync(connection, transaction, batch.Practice, otherSubject, cancellationToken) == false))
                {
                    // An alias always merges; an anonymous id merges into the first user id it is seen with.
                    await MergeAsync(connection, transaction, batch.Practice, otherSubject, subject, batch.ReceivedAt, cancellationToken);
                    affected.Remove(otherSubject);
                }
            }

            await EnsureLeadAsync(connection, transaction, batch, e, subject, cancellationToken);
            await ExecuteAsync(connection, transaction, "UPDATE events SET subject = @s WHERE seq = @seq;", cancellationToken, ("@s", subject), ("@seq", seq));
            await ExecuteAsync(connection, transaction, $"""
                UPDATE leads SET
                    last_event_at = {Greatest}(COALESCE(last_event_at, @occurred), @occurred),
                    identified = {Greatest}(identified, @identified),
                    campaign = CASE WHEN campaign IS NULL AND source IS NULL AND medium IS NULL THEN @campaign ELSE campaign END,
                    source = CASE WHEN campaign IS NULL AND source IS NULL AND medium IS NULL THEN @source ELSE source END,
                    medium = CASE WHEN campaign IS NULL AND source IS NULL AND medium IS NULL THEN @medium ELSE medium END,
                    next_check_at = {Least}(COALESCE(next_check_at, @received), @received),
                    created_at = {Least}(created_at, @occurred),
                    stage_since = CASE WHEN stage = 'lead' AND stage_since > @occurred THEN @occurred ELSE stage_since END,
                    version = version + 1
                WHERE practice = @p AND subject = @s;
                UPDATE transitions SET at = @occurred WHERE practice = @p AND subject = @s AND from_stage IS NULL AND at > @occurred;
                """, cancellationToken,
                ("@occurred", Ms(e.OccurredAt)), ("@identified", e.UserId is null ? 0 : 1), ("@received", received),
                ("@campaign", e.Fields.GetValueOrDefault("context.campaign.name")), ("@source", e.Fields.GetValueOrDefault("context.campaign.source")),
                ("@medium", e.Fields.GetValueOrDefault("context.campaign.medium")), ("@p", batch.Practice), ("@s", subject));
            if (!affected.Contains(subject))
            {
                affected.Add(subject);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new AppendResult(accepted, duplicates, [.. affected.Select(s => new LeadKey(batch.Practice, s))]);
    }

    public async Task<LeadRecord?> FindLeadAsync(string practice, string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var subject = await ResolveAsync(connection, null, practice, id, cancellationToken) ?? id;
        return await ReadLeadAsync(connection, null, practice, subject, cancellationToken);
    }

    public async Task<IReadOnlyList<LeadEvent>> GetEventsAsync(LeadKey key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT type, name, occurred_at, received_at, fields FROM events WHERE practice = @p AND subject = @s ORDER BY occurred_at, seq;",
            ("@p", key.Practice), ("@s", key.Subject));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<LeadEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [];
            events.Add(new LeadEvent(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), At(reader.GetInt64(2)), At(reader.GetInt64(3)), fields));
        }

        return events;
    }

    public async Task<IReadOnlyList<StoredTransition>> GetTransitionsAsync(LeadKey key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT {TransitionColumns} FROM transitions WHERE practice = @p AND subject = @s ORDER BY at, id;",
            ("@p", key.Practice), ("@s", key.Subject));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var transitions = new List<StoredTransition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = At(reader.GetInt64(0));
            var handoff = reader.IsDBNull(7)
                ? null
                : new Handoff(reader.GetString(7), at, At(reader.GetInt64(8)), NullableString(reader, 9), NullableString(reader, 10), NullableString(reader, 11));
            var transition = new StageTransition(
                at,
                reader.IsDBNull(1) ? null : Stage(reader.GetString(1)),
                Stage(reader.GetString(2)),
                reader.GetString(3),
                reader.GetString(4),
                JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [],
                handoff);
            transitions.Add(new StoredTransition(transition, reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return transitions;
    }

    public async Task<bool> TrySaveAsync(LeadUpdate update, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var state = update.State;
        var handoff = state.Handoff;
        var changed = await ExecuteAsync(connection, transaction, """
            UPDATE leads SET
                stage = @stage, stage_since = @since,
                queue = @queue, assigned_at = @assigned, due_at = @due, service_line = @line, location = @location, sla = @sla,
                evaluated_through = @through, config_sha256 = @sha, next_check_at = @next,
                lead_location = @leadLocation, lead_service_line = @leadLine, lead_type = @leadType,
                version = version + 1
            WHERE practice = @p AND subject = @s AND version = @version;
            """, cancellationToken,
            ("@stage", StageCommands.Name(state.Stage)), ("@since", Ms(state.StageSince)),
            ("@queue", handoff?.Queue), ("@assigned", Ms(handoff?.AssignedAt)), ("@due", Ms(handoff?.DueAt)),
            ("@line", handoff?.ServiceLine), ("@location", handoff?.Location), ("@sla", handoff?.Sla),
            ("@through", Ms(state.EvaluatedThrough)), ("@sha", state.ConfigSha256), ("@next", Ms(update.NextCheckAt)),
            ("@leadLocation", update.Facts.Location), ("@leadLine", update.Facts.ServiceLine), ("@leadType", update.Facts.LeadType),
            ("@p", update.Key.Practice), ("@s", update.Key.Subject), ("@version", update.ExpectedVersion));
        if (changed == 0)
        {
            return false;
        }

        if (update.Rewrite is { } rewrite)
        {
            // The system's history from the rewind on is replaced; people's decisions and the first "lead" stay.
            var from = rewrite.From is { } f ? " AND at >= @from" : string.Empty;
            await ExecuteAsync(connection, transaction,
                $"DELETE FROM transitions WHERE practice = @p AND subject = @s AND actor = @system AND from_stage IS NOT NULL{from};", cancellationToken,
                ("@p", update.Key.Practice), ("@s", update.Key.Subject), ("@system", StageTransition.SystemActor), ("@from", Ms(rewrite.From)));
            foreach (var transition in rewrite.Transitions)
            {
                await InsertTransitionAsync(connection, transaction, update.Key, transition, null, cancellationToken);
            }
        }

        foreach (var transition in update.Personal)
        {
            await InsertTransitionAsync(connection, transaction, update.Key, transition, update.Client, cancellationToken);
        }

        foreach (var message in update.Handoffs)
        {
            await EnqueueAsync(connection, transaction, message, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<LeadKey>> FindDueAsync(
        DateTimeOffset now, IReadOnlyList<ConfigurationIdentity> configurations, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT practice, subject FROM leads WHERE next_check_at <= @now");
        var parameters = new List<(string, object?)> { ("@now", Ms(now)), ("@limit", limit) };
        var stages = $"stage IN ('{string.Join("', '", s_systemStages)}') AND (config_sha256 IS NULL OR config_sha256 <> @s{{0}})";
        for (var i = 0; i < configurations.Count; i++)
        {
            var (vertical, practice, sha) = configurations[i];
            parameters.Add(($"@v{i}", vertical));
            parameters.Add(($"@s{i}", sha));
            string scope;
            if (practice is not null)
            {
                parameters.Add(($"@p{i}", practice));
                scope = $"practice = @p{i}";
            }
            else
            {
                // The vertical's own file scores every practice of it that has no file of its own.
                var own = configurations.Select((c, j) => (c, j)).Where(x => x.c.Vertical == vertical && x.c.Practice is not null).Select(x => $"@p{x.j}").ToList();
                scope = own.Count == 0 ? "1 = 1" : $"practice NOT IN ({string.Join(", ", own)})";
            }

            sql.Append($" OR (vertical = @v{i} AND {scope} AND {string.Format(CultureInfo.InvariantCulture, stages, i)})");
        }

        sql.Append(" ORDER BY next_check_at LIMIT @limit;");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<LeadKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new LeadKey(reader.GetString(0), reader.GetString(1)));
        }

        return keys;
    }

    public async Task<IReadOnlyList<LeadRecord>> ListAsync(LeadQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filters(
            ("practice", query.Practice), ("vertical", query.Vertical), ("stage", query.Stage is { } stage ? StageCommands.Name(stage) : null),
            ("queue", query.Queue), ("lead_location", query.Location), ("lead_service_line", query.ServiceLine));
        parameters.Add(("@limit", query.Limit));
        parameters.Add(("@offset", query.Offset));
        return await ReadLeadsAsync(
            $"SELECT {LeadColumns} FROM leads{where} ORDER BY stage_since DESC, practice, subject LIMIT @limit OFFSET @offset;",
            parameters, cancellationToken);
    }

    public async Task<IReadOnlyList<LeadRecord>> ListOverdueAsync(DateTimeOffset now, OverdueQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filters(
            ("practice", query.Practice), ("vertical", query.Vertical), ("queue", query.Queue), ("location", query.Location));
        parameters.Add(("@now", Ms(now)));
        var clause = where.Length == 0 ? " WHERE" : where + " AND";
        return await ReadLeadsAsync(
            $"SELECT {LeadColumns} FROM leads{clause} stage = 'mql' AND due_at < @now ORDER BY due_at, practice, subject;",
            parameters, cancellationToken);
    }

    public async Task<IReadOnlyList<FunnelLead>> GetFunnelLeadsAsync(FunnelQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filters(("l.vertical", query.Vertical), ("l.practice", query.Practice));
        parameters.Add(("@from", Ms(query.From)));
        parameters.Add(("@to", Ms(query.To)));
        var clause = where.Length == 0 ? " WHERE" : where + " AND";
        const string First = "SELECT MIN(t.at) FROM transitions t WHERE t.practice = l.practice AND t.subject = l.subject AND t.to_stage";
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT l.vertical, l.created_at, l.campaign, l.source, l.medium, l.stage,
                ({First} = 'mql'), ({First} = 'sql'), ({First} IN ('appointment', 'opportunity')),
                l.lead_service_line, l.lead_location, l.lead_type
            FROM leads l{clause} l.created_at >= @from AND l.created_at < @to;
            """, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leads = new List<FunnelLead>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leads.Add(new FunnelLead(
                reader.GetString(0), At(reader.GetInt64(1)), NullableString(reader, 2), NullableString(reader, 3), NullableString(reader, 4),
                NullableAt(reader, 6), NullableAt(reader, 7), NullableAt(reader, 8), Stage(reader.GetString(5)),
                NullableString(reader, 9), NullableString(reader, 10), NullableString(reader, 11)));
        }

        return leads;
    }

    private static async Task<string?> ResolveAsync(DbConnection connection, DbTransaction? transaction, string practice, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT subject FROM identities WHERE practice = @p AND id = @id;", ("@p", practice), ("@id", id));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static Task LinkAsync(DbConnection connection, DbTransaction transaction, string practice, string id, string subject, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO identities (practice, id, subject) VALUES (@p, @id, @s) ON CONFLICT DO NOTHING;",
            cancellationToken, ("@p", practice), ("@id", id), ("@s", subject));

    private static async Task<bool?> IsIdentifiedAsync(DbConnection connection, DbTransaction transaction, string practice, string subject, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT identified FROM leads WHERE practice = @p AND subject = @s;", ("@p", practice), ("@s", subject));
        return await command.ExecuteScalarAsync(cancellationToken) is long identified ? identified != 0 : null;
    }

    private static async Task EnsureLeadAsync(
        DbConnection connection, DbTransaction transaction, IncomingBatch batch, IncomingEvent e, string subject, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, """
            INSERT INTO leads (practice, subject, vertical, identified, stage, stage_since, created_at, next_check_at, version)
            VALUES (@p, @s, @vertical, 0, 'lead', @occurred, @occurred, @received, 0)
            ON CONFLICT (practice, subject) DO NOTHING
            RETURNING 1;
            """,
            ("@p", batch.Practice), ("@s", subject), ("@vertical", batch.Vertical), ("@occurred", Ms(e.OccurredAt)), ("@received", Ms(batch.ReceivedAt)));
        if (await insert.ExecuteScalarAsync(cancellationToken) is not null)
        {
            var key = e.Type == "track" && e.Name is not null ? e.Name : e.Type;
            var first = new StageTransition(e.OccurredAt, null, LeadStage.Lead, $"first event ({key})", StageTransition.SystemActor, []);
            await InsertTransitionAsync(connection, transaction, new LeadKey(batch.Practice, subject), first, null, cancellationToken);
        }
    }

    /// <summary>
    /// Moves everything of <paramref name="from"/> to <paramref name="into"/>. If <paramref name="into"/> has no lead yet, the
    /// lead is renamed; otherwise the merged lead keeps the higher stage (<see cref="LeadMerge"/>) and is re-evaluated.
    /// </summary>
    private async Task MergeAsync(
        DbConnection connection, DbTransaction transaction, string practice, string from, string into, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var source = await ReadLeadAsync(connection, transaction, practice, from, cancellationToken);
        var target = await ReadLeadAsync(connection, transaction, practice, into, cancellationToken);
        await ExecuteAsync(connection, transaction, "UPDATE events SET subject = @into WHERE practice = @p AND subject = @from;", cancellationToken, ("@p", practice), ("@from", from), ("@into", into));
        await ExecuteAsync(connection, transaction, "UPDATE identities SET subject = @into WHERE practice = @p AND subject = @from;", cancellationToken, ("@p", practice), ("@from", from), ("@into", into));
        await ExecuteAsync(connection, transaction, "UPDATE transitions SET subject = @into WHERE practice = @p AND subject = @from;", cancellationToken, ("@p", practice), ("@from", from), ("@into", into));
        if (source is null)
        {
            return;
        }

        if (target is null)
        {
            await ExecuteAsync(connection, transaction, "UPDATE leads SET subject = @into, next_check_at = @now, version = version + 1 WHERE practice = @p AND subject = @from;",
                cancellationToken, ("@p", practice), ("@from", from), ("@into", into), ("@now", Ms(now)));
            return;
        }

        var chosen = LeadMerge.Choose(target.State, source.State);
        var earlier = source.CreatedAt < target.CreatedAt ? source : target;
        var firstTouch = earlier.Campaign is not null || earlier.Source is not null || earlier.Medium is not null ? earlier : (earlier == source ? target : source);
        var handoff = chosen.Handoff;
        await ExecuteAsync(connection, transaction, $"""
            UPDATE leads SET
                stage = @stage, stage_since = @since,
                queue = @queue, assigned_at = @assigned, due_at = @due, service_line = @line, location = @location,
                created_at = @created, last_event_at = {Greatest}(COALESCE(last_event_at, 0), COALESCE(@last, 0)),
                campaign = @campaign, source = @source, medium = @medium,
                identified = 1, evaluated_through = NULL, config_sha256 = @sha, next_check_at = @now,
                version = version + 1
            WHERE practice = @p AND subject = @into;
            """, cancellationToken,
            ("@stage", StageCommands.Name(chosen.Stage)), ("@since", Ms(chosen.StageSince)),
            ("@queue", handoff?.Queue), ("@assigned", Ms(handoff?.AssignedAt)), ("@due", Ms(handoff?.DueAt)),
            ("@line", handoff?.ServiceLine), ("@location", handoff?.Location),
            ("@created", Ms(earlier.CreatedAt)), ("@last", Ms(source.LastEventAt)),
            ("@campaign", firstTouch.Campaign), ("@source", firstTouch.Source), ("@medium", firstTouch.Medium),
            ("@sha", chosen.ConfigSha256), ("@now", Ms(now)), ("@p", practice), ("@into", into));
        if (chosen.Stage != target.State.Stage)
        {
            var merged = new StageTransition(now, target.State.Stage, chosen.Stage, "merged with another id of the same person", StageTransition.SystemActor, []);
            await InsertTransitionAsync(connection, transaction, target.Key, merged, null, cancellationToken);
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM leads WHERE practice = @p AND subject = @from;", cancellationToken, ("@p", practice), ("@from", from));
    }

    private static Task InsertTransitionAsync(
        DbConnection connection, DbTransaction transaction, LeadKey key, StageTransition transition, string? client, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO transitions (practice, subject, at, from_stage, to_stage, reason, actor, client, criteria, queue, due_at, service_line, location, sla)
            VALUES (@p, @s, @at, @from, @to, @reason, @actor, @client, @criteria, @queue, @due, @line, @location, @sla);
            """, cancellationToken,
            ("@queue", transition.Handoff?.Queue), ("@due", Ms(transition.Handoff?.DueAt)), ("@line", transition.Handoff?.ServiceLine),
            ("@location", transition.Handoff?.Location), ("@sla", transition.Handoff?.Sla),
            ("@p", key.Practice), ("@s", key.Subject), ("@at", Ms(transition.At)),
            ("@from", transition.From is { } from ? StageCommands.Name(from) : null), ("@to", StageCommands.Name(transition.To)),
            ("@reason", transition.Reason), ("@actor", transition.Actor),
            ("@client", transition.Actor == StageTransition.SystemActor ? null : client),
            ("@criteria", JsonSerializer.Serialize(transition.Criteria)));

    private static async Task<LeadRecord?> ReadLeadAsync(DbConnection connection, DbTransaction? transaction, string practice, string subject, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {LeadColumns} FROM leads WHERE practice = @p AND subject = @s;", ("@p", practice), ("@s", subject));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadLead(reader) : null;
    }

    private async Task<IReadOnlyList<LeadRecord>> ReadLeadsAsync(string sql, List<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leads = new List<LeadRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leads.Add(ReadLead(reader));
        }

        return leads;
    }

    private static LeadRecord ReadLead(DbDataReader reader)
    {
        var handoff = reader.IsDBNull(10)
            ? null
            : new Handoff(reader.GetString(10), At(reader.GetInt64(11)), At(reader.GetInt64(12)), NullableString(reader, 13), NullableString(reader, 14), NullableString(reader, 19));
        var state = new LeadState(Stage(reader.GetString(3)), At(reader.GetInt64(4)), handoff, NullableAt(reader, 15), NullableString(reader, 16));
        return new LeadRecord(
            new LeadKey(reader.GetString(0), reader.GetString(1)),
            reader.GetString(2),
            state,
            At(reader.GetInt64(5)),
            NullableAt(reader, 6),
            NullableString(reader, 7),
            NullableString(reader, 8),
            NullableString(reader, 9),
            NullableAt(reader, 17),
            reader.GetInt64(18),
            new LeadFacts(NullableString(reader, 20), NullableString(reader, 21), NullableString(reader, 22)));
    }

    private static (string Where, List<(string, object?)> Parameters) Filters(params (string Column, string? Value)[] filters)
    {
        var clauses = new List<string>();
        var parameters = new List<(string, object?)>();
        for (var i = 0; i < filters.Length; i++)
        {
            if (filters[i].Value is { } value)
            {
                clauses.Add($"{filters[i].Column} = @f{i}");
                parameters.Add(($"@f{i}", value));
            }
        }

        return (clauses.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", clauses), parameters);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    protected static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? NullableAt(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : At(reader.GetInt64(ordinal));

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static LeadStage Stage(string text) => Enum.Parse<LeadStage>(text, ignoreCase: true);
}
