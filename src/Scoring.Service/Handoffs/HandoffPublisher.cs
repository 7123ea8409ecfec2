using System.Security.Cryptography;
using System.Text;
using Scoring.Engine.Scoring;
using Scoring.Engine.Stages;
using Scoring.Service.Storage;

namespace Scoring.Service.Handoffs;

/// <summary>
/// Turns stage changes into outbox messages for the practice's destinations that want them: a move to MQL is an
/// <c>mql</c> hand-off, any other change a <c>stage_changed</c> one, and an MQL past due an <c>sla_breach</c>. Each
/// message's idempotency key is derived from the change itself, so the same change is queued (and delivered) once
/// per destination, whoever notices it and however often.
/// </summary>
internal sealed class HandoffPublisher
{
    private readonly HandoffDestinations _destinations;

    public HandoffPublisher(HandoffDestinations destinations)
    {
        _destinations = destinations;
    }

    public IReadOnlyList<OutboxMessage> For(
        LeadKey key, ScoringProfile profile, LeadState state, IReadOnlyList<StageTransition> changes, ScoreBreakdown now, DateTimeOffset at)
    {
        var destinations = _destinations.Of(key.Practice).ToList();
        if (destinations.Count == 0 || changes.Count == 0)
        {
            return [];
        }

        var messages = new List<OutboxMessage>();
        foreach (var change in changes)
        {
            var kind = change.To == LeadStage.Mql ? HandoffKinds.Mql : HandoffKinds.StageChanged;
            var handoff = change.To == LeadStage.Mql ? change.Handoff : state.Handoff;
            var id = IdempotencyKey(kind, key, change.At, StageCommands.Name(change.To));
            var payload = new HandoffPayload(id, kind, change.At, key.Practice, Lead(key, change.To, change.From, now, handoff)).ToJson();
            messages.AddRange(destinations.Where(d => d.Wants(kind)).Select(d => new OutboxMessage(d.Name, id, key.Practice, kind, payload, at)));
        }

        return messages;
    }

    /// <summary>The <c>sla_breach</c> messages of an overdue MQL, one per destination that wants them.</summary>
    public IReadOnlyList<OutboxMessage> Breach(LeadKey key, Handoff handoff, ScoreBreakdown? now, DateTimeOffset at)
    {
        var id = IdempotencyKey(HandoffKinds.SlaBreach, key, handoff.AssignedAt, handoff.Queue);
        var lead = new HandoffLead(
            key.Subject, StageCommands.Name(LeadStage.Mql), null, Round(now?.Score ?? 0), now?.Threshold ?? 0, handoff.Queue, handoff.Sla, handoff.DueAt,
            handoff.ServiceLine, handoff.Location, now?.LeadType, now?.DoNotText ?? false);
        var payload = new HandoffPayload(id, HandoffKinds.SlaBreach, handoff.DueAt, key.Practice, lead).ToJson();
        return [.. _destinations.Of(key.Practice).Where(d => d.Wants(HandoffKinds.SlaBreach))
            .Select(d => new OutboxMessage(d.Name, id, key.Practice, HandoffKinds.SlaBreach, payload, at))];
    }

    public bool AnyFor(string practice, string kind) => _destinations.Of(practice).Any(d => d.Wants(kind));

    private static HandoffLead Lead(LeadKey key, LeadStage stage, LeadStage? from, ScoreBreakdown now, Handoff? handoff) => new(
        key.Subject,
        StageCommands.Name(stage),
        from is { } previous ? StageCommands.Name(previous) : null,
        Round(now.Score),
        now.Threshold,
        handoff?.Queue,
        handoff?.Sla,
        handoff?.DueAt,
        handoff?.ServiceLine,
        handoff?.Location,
        now.LeadType,
        now.DoNotText);

    private static double Round(double score) => LeadScorer.Points(score);

    private static string IdempotencyKey(string kind, LeadKey key, DateTimeOffset at, string what) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{key.Practice}\n{key.Subject}\n{at.ToUnixTimeMilliseconds()}\n{what}")))[..32];
}
