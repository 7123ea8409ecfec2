using System.Buffers;
using System.Text.Json;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Processing;

namespace Gateway.Server.Forwarding;

/// <summary>Builds the body sent to a destination (docs/forwarded-events.md): practice, vertical, policy, and the scrubbed events.</summary>
internal static class ForwardBatchWriter
{
    public static byte[] Write(string practiceId, CompiledPolicy policy, DateTimeOffset sentAt, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        var size = 256 + events.Sum(e => e.Length + 1);
        var buffer = new ArrayBufferWriter<byte>(size);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("practice"u8, practiceId);
            writer.WriteString("vertical"u8, policy.Name);
            writer.WriteStartObject("policy"u8);
            writer.WriteString("name"u8, policy.Name);
            writer.WriteString("version"u8, policy.Version);
            writer.WriteString("sha256"u8, policy.Sha256);
            writer.WriteEndObject();
            writer.WriteString("sentAt"u8, sentAt.UtcDateTime);
            writer.WriteStartArray("batch"u8);
            foreach (var e in events)
            {
                writer.WriteRawValue(e.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
