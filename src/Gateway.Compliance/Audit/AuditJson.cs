using System.Text.Json;

namespace Gateway.Compliance.Audit;

/// <summary>Property names shared by the audit writer, its formatters and the verifier.</summary>
public static class AuditJson
{
    public const string Seq = "seq";
    public const string Time = "ts";
    public const string Instance = "instance";
    public const string Kind = "kind";
    public const string Prev = "prev";
    public const string Hash = "hash";

    /// <summary>The marker that starts the hash member: a record's hash covers every byte before it.</summary>
    public static ReadOnlySpan<byte> HashMarker => ",\"hash\":\""u8;

    /// <summary>The hash of "nothing before": the <c>prev</c> of an instance's first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    internal static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };
}

/// <summary>The kinds of audit record.</summary>
public static class AuditKinds
{
    /// <summary>The engine's decision for one event (before anything is sent).</summary>
    public const string Event = "event";

    /// <summary>The result of one attempt to deliver events to a destination.</summary>
    public const string Delivery = "delivery";

    /// <summary>A call to the admin API.</summary>
    public const string Admin = "admin";

    /// <summary>A failed authentication (never the presented secret).</summary>
    public const string AuthFailure = "auth-failure";

    /// <summary>Gateway lifecycle: chain start, recovery after a crash, policy reloads.</summary>
    public const string System = "system";
}
