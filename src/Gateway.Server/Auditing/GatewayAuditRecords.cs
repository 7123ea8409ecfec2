using System.Buffers;
using System.Text.Json;
using Gateway.Compliance.Audit;

namespace Gateway.Server.Auditing;

/// <summary>The gateway's own audit record bodies besides event decisions: deliveries and failed authentications.</summary>
internal static class GatewayAuditRecords
{
    public static byte[] Delivery(string practiceId, string destination, string cluster, IReadOnlyList<string> messageIds, bool delivered, int? status, string? error, string attempt,
        bool queued = false, string? deadLettered = null, bool reconciled = false, bool transmitted = false)
    {
        return Write(writer =>
        {
            writer.WriteString(AuditJson.Kind, AuditKinds.Delivery);
            writer.WriteString("practice", practiceId);
            writer.WriteString("destination", destination);
            writer.WriteString("cluster", cluster);
            writer.WriteString("attempt", attempt);
            writer.WriteBoolean("delivered", delivered);
            if (status is { } s)
            {
                writer.WriteNumber("status", s);
            }
            else
            {
                writer.WriteNull("status");
            }

            if (error is null)
            {
                writer.WriteNull("error");
            }
            else
            {
                writer.WriteString("error", error);
            }

            if (queued)
            {
                writer.WriteBoolean("queued", true);
            }

            if (reconciled)
            {
                // Written at start from the outbox's memory of a delivery whose record a crash or an audit outage lost.
                writer.WriteBoolean("reconciled", true);
            }

            if (deadLettered is not null)
            {
                writer.WriteString("deadLettered", deadLettered);
            }

            if (transmitted)
            {
                // Not delivered, yet the destination received the events (an ad platform refused rows it had read):
                // a disclosure for the accounting all the same.
                writer.WriteBoolean("transmitted", true);
            }

            writer.WriteNumber("events", messageIds.Count);
            writer.WriteStartArray("messageIds");
            foreach (var id in messageIds)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>A failed authentication: the surface, the reason and the practice if known. Never the presented secret.</summary>
    public static byte[] AuthFailure(string surface, string reason) => Write(writer =>
    {
        writer.WriteString(AuditJson.Kind, AuditKinds.AuthFailure);
        writer.WriteString("surface", surface);
        writer.WriteString("reason", reason);
    });

    internal static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
