namespace Scoring.Service.Storage;

/// <summary>
/// One event to store. The lead's subject is <see cref="UserId"/> if present, else <see cref="AnonymousId"/>;
/// <see cref="PreviousId"/> (alias) and an anonymous id seen with a user id link two ids of one person.
/// </summary>
internal sealed record IncomingEvent(
    string MessageId,
    string Type,
    string? Name,
    string? UserId,
    string? AnonymousId,
    string? PreviousId,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, string> Fields)
{
    public string? PrimaryId => UserId ?? AnonymousId;

    /// <summary>The other id this event says belongs to the same person, if any.</summary>
    public string? LinkedId => Type == "alias" ? PreviousId : UserId is not null ? AnonymousId : null;
}
