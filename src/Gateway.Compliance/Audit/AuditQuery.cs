namespace Gateway.Compliance.Audit;

/// <summary>
/// Which audit records to return. Every criterion given must hold; a criterion a record kind cannot meet
/// (an event type for a delivery record) excludes it. Subjects are pseudonyms, never raw identifiers:
/// compute them with <see cref="Pseudonyms.SubjectPseudonyms"/> from the practice's key ring.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records before this time (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    public IReadOnlySet<string>? Instances { get; init; }

    /// <summary><c>event</c>, <c>delivery</c>, <c>auth-failure</c>, <c>admin</c>, <c>system</c>.</summary>
    public IReadOnlySet<string>? Kinds { get; init; }

    /// <summary>Practice ids (event and delivery records).</summary>
    public IReadOnlySet<string>? Practices { get; init; }

    /// <summary>Event types as audited (<c>identify</c>, <c>track:Appointment Requested</c>).</summary>
    public IReadOnlySet<string>? EventTypes { get; init; }

    /// <summary>Event outcomes (<c>forward</c>, <c>dropped</c>, <c>rejected</c>) or delivery outcomes (<c>delivered</c>, <c>failed</c>).</summary>
    public IReadOnlySet<string>? Outcomes { get; init; }

    /// <summary>Destinations: an event record matches when it has a decision for one of them.</summary>
    public IReadOnlySet<string>? Destinations { get; init; }

    /// <summary>Policy versions as audited (<c>2026.11.0</c>).</summary>
    public IReadOnlySet<string>? PolicyVersions { get; init; }

    /// <summary>Subject pseudonyms (event records).</summary>
    public IReadOnlySet<string>? Subjects { get; init; }

    /// <summary>Message ids (event records, and delivery records that list one).</summary>
    public IReadOnlySet<string>? MessageIds { get; init; }

    /// <summary>The cheap part, checked on the line's prefix before the record is parsed.</summary>
    public bool MatchesHeader(string instance, DateTimeOffset time, string kind) =>
        (From is not { } from || time >= from)
        && (To is not { } to || time < to)
        && (Instances is null || Instances.Contains(instance))
        && (Kinds is null || Kinds.Contains(kind));

    public bool Matches(AuditRecord record)
    {
        if (!MatchesHeader(record.Instance, record.Time, record.Kind))
        {
            return false;
        }

        if (Practices is null && EventTypes is null && Outcomes is null && Destinations is null && PolicyVersions is null && Subjects is null && MessageIds is null)
        {
            return true;
        }

        if (record.Event is { } e)
        {
            return (Practices is null || Practices.Contains(e.Practice))
                && (EventTypes is null || (e.EventType is { } type && EventTypes.Contains(type)))
                && (Outcomes is null || Outcomes.Contains(e.Outcome))
                && (Destinations is null || e.Destinations.Any(d => Destinations.Contains(d.Name)))
                && (PolicyVersions is null || PolicyVersions.Contains(e.PolicyVersion))
                && (Subjects is null || (e.Subject is { } subject && Subjects.Contains(subject)))
                && (MessageIds is null || (e.MessageId is { } id && MessageIds.Contains(id)));
        }

        if (record.Delivery is { } d)
        {
            return EventTypes is null && PolicyVersions is null && Subjects is null
                && (Practices is null || Practices.Contains(d.Practice))
                && (Outcomes is null || Outcomes.Contains(d.Delivered ? "delivered" : "failed"))
                && (Destinations is null || Destinations.Contains(d.Destination))
                && (MessageIds is null || d.MessageIds.Any(MessageIds.Contains));
        }

        return false;
    }
}
