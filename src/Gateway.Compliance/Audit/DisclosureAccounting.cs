namespace Gateway.Compliance.Audit;

/// <summary>
/// An accounting of disclosures for one person (in the manner of 45 CFR 164.528): every time one of their
/// events reached a destination. An event was disclosed to a destination when its <c>event</c> record says
/// <c>forward</c> for that destination and a <c>delivery</c> record with <c>delivered: true</c> lists its
/// message id. The period applies to the delivery time, when the disclosure happened.
/// </summary>
public static class DisclosureAccounting
{
    public static DisclosureReport Account(AuditReader reader, string practice, IReadOnlySet<string> subjects, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(practice);
        var practices = new HashSet<string>(StringComparer.Ordinal) { practice };

        // Pass 1: the person's event records (few), by message id.
        var events = new Dictionary<string, List<(AuditRecord Record, AuditEventRecord Event)>>(StringComparer.Ordinal);
        var found = 0;
        foreach (var record in reader.Read(new AuditQuery { To = to, Kinds = Set(AuditKinds.Event), Practices = practices, Subjects = subjects }))
        {
            found++;
            if (record.Event is { MessageId: { } messageId } e)
            {
                if (!events.TryGetValue(messageId, out var list))
                {
                    events[messageId] = list = [];
                }

                list.Add((record, e));
            }
        }

        // Pass 2: deliveries in the period that list one of those message ids and reached the destination (delivered,
        // or refused by an ad platform after it read them).
        var disclosures = new List<Disclosure>();
        var disclosed = new HashSet<(string Instance, long Seq)>();
        if (events.Count > 0)
        {
            var query = new AuditQuery { From = from, To = to, Kinds = Set(AuditKinds.Delivery), Practices = practices, MessageIds = events.Keys.ToHashSet(StringComparer.Ordinal) };
            foreach (var record in reader.Read(query))
            {
                if (record.Delivery is not { Disclosed: true } delivery)
                {
                    continue;
                }

                foreach (var messageId in delivery.MessageIds)
                {
                    if (!events.TryGetValue(messageId, out var candidates))
                    {
                        continue;
                    }

                    // The latest decision for this message id, made before the delivery, that forwards to this destination.
                    var match = candidates
                        .Where(c => c.Record.Time <= record.Time && c.Event.Outcome == "forward")
                        .Select(c => (c.Record, c.Event, Decision: c.Event.Destinations.FirstOrDefault(d => d.Name == delivery.Destination && d.Outcome == "forward")))
                        .LastOrDefault(c => c.Decision is not null);
                    if (match.Decision is null)
                    {
                        continue;
                    }

                    disclosed.Add((match.Record.Instance, match.Record.Seq));
                    disclosures.Add(new Disclosure
                    {
                        Time = record.Time,
                        Destination = delivery.Destination,
                        Cluster = delivery.Cluster,
                        Attempt = delivery.Attempt,
                        Practice = match.Event.Practice,
                        EventType = match.Event.EventType,
                        EventTime = match.Record.Time,
                        MessageId = messageId,
                        PolicyVersion = match.Event.PolicyVersion,
                        PolicySha256 = match.Event.PolicySha256,
                        Vertical = match.Event.Vertical,
                        Baa = match.Decision.Baa,
                        Consent = match.Decision.Consent,
                        Deidentified = match.Decision.Deidentified,
                        Fields = DisclosedFields.From(match.Event),
                        EventRecord = new AuditLocation(match.Record.Instance, match.Record.File, match.Record.Line, match.Record.Seq),
                        DeliveryRecord = new AuditLocation(record.Instance, record.File, record.Line, record.Seq),
                    });
                }
            }
        }

        var notDisclosed = events.Values.SelectMany(l => l).Count(c => !disclosed.Contains((c.Record.Instance, c.Record.Seq)) && (from is null || c.Record.Time >= from));
        return new DisclosureReport(
            [.. disclosures.OrderBy(d => d.Time).ThenBy(d => d.Destination, StringComparer.Ordinal)],
            found,
            notDisclosed);
    }

    private static HashSet<string> Set(string value) => new(StringComparer.Ordinal) { value };
}

/// <summary>The disclosures found, how many of the person's event records were read, and how many of those were never delivered.</summary>
public sealed record DisclosureReport(IReadOnlyList<Disclosure> Disclosures, int EventRecords, int EventsNotDisclosed);

/// <summary>Where a record is: instance, file, 1-based line and sequence number.</summary>
public sealed record AuditLocation(string Instance, string File, long Line, long Seq)
{
    public override string ToString() => $"{File}:{Line} (seq {Seq})";
}

/// <summary>One disclosure: what reached which destination, when, and under which policy, consent and BAA.</summary>
public sealed record Disclosure
{
    /// <summary>When the destination accepted it (the delivery record's time).</summary>
    public required DateTimeOffset Time { get; init; }

    public required string Destination { get; init; }

    public string? Cluster { get; init; }

    /// <summary>How the delivery that succeeded was made: <c>direct</c> or <c>outbox</c> (a retry).</summary>
    public string? Attempt { get; init; }

    public required string Practice { get; init; }

    public required string Vertical { get; init; }

    public string? EventType { get; init; }

    /// <summary>When the gateway decided on the event (the event record's time).</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>The message id as forwarded (a pseudonym).</summary>
    public required string MessageId { get; init; }

    public required string PolicyVersion { get; init; }

    public required string PolicySha256 { get; init; }

    /// <summary>The BAA record the decision relied on; null when none was needed or recorded.</summary>
    public long? Baa { get; init; }

    /// <summary>The consent ledger records the decision relied on.</summary>
    public IReadOnlyList<long> Consent { get; init; } = [];

    /// <summary>True when only de-identified fields were sent there.</summary>
    public bool Deidentified { get; init; }

    public required DisclosedFields Fields { get; init; }

    public required AuditLocation EventRecord { get; init; }

    public required AuditLocation DeliveryRecord { get; init; }
}

/// <summary>
/// Which fields were sent in which form (policy paths, never values), and which were withheld.
/// </summary>
public sealed record DisclosedFields
{
    /// <summary>Sent as they came.</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>Sent as keyed HMAC pseudonyms (still PHI).</summary>
    public IReadOnlyList<string> Pseudonymized { get; init; } = [];

    /// <summary>Sent as reversible tokens.</summary>
    public IReadOnlyList<string> Tokenized { get; init; } = [];

    /// <summary>Generalization method (<c>zip3</c>, <c>url</c>, <c>band</c>, ...) to the paths sent in that form.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Generalized { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Free text sent with detected identifiers replaced.</summary>
    public IReadOnlyList<string> RedactedText { get; init; } = [];

    /// <summary>Features derived from a field and sent instead of it, as <c>path → feature</c>.</summary>
    public IReadOnlyList<string> Derived { get; init; } = [];

    /// <summary>Dropped by the policy.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Dropped because the value could not be transformed.</summary>
    public IReadOnlyList<string> Invalid { get; init; } = [];

    /// <summary>Not allowed for the destination (no BAA covering it).</summary>
    public IReadOnlyList<string> NotAllowed { get; init; } = [];

    /// <summary>Fields the policy does not name, dropped, as <c>parent.*</c>.</summary>
    public IReadOnlyList<string> Unmapped { get; init; } = [];

    public static DisclosedFields From(AuditEventRecord e)
    {
        IReadOnlyList<string> Get(string action) => e.Fields.TryGetValue(action, out var paths) ? paths : [];
        return new DisclosedFields
        {
            Kept = Get("keep"),
            Pseudonymized = Get("hmac"),
            Tokenized = Get("tokenize"),
            Generalized = e.Fields.Where(f => f.Key.StartsWith("generalize:", StringComparison.Ordinal))
                .ToDictionary(f => f.Key["generalize:".Length..], f => f.Value, StringComparer.Ordinal),
            RedactedText = Get("redact-text"),
            Derived = [.. e.Derived.SelectMany(d => d.Value.Select(feature => $"{d.Key} → {feature}"))],
            Dropped = Get("drop"),
            Invalid = Get("invalid"),
            NotAllowed = Get("withheld"),
            Unmapped = e.Unmapped,
        };
    }
}
