using System.Buffers;
using System.Text.Json;

namespace Gateway.Server.Forwarding;

/// <summary>Builds the body sent to a destination (docs/forwarded-events.md): practice, vertical, policy, and the scrubbed events.</summary>
internal static class ForwardBatchWriter
{
    public static byte[] Write(string practiceId, string policyName, string policyVersion, string policySha256, DateTimeOffset sentAt, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        var size = 256 + events.Sum(e => e.Length + 1);
        var buffer = new ArrayBufferWriter<byte>(size);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("practice"u8, practiceId);
            writer.WriteString("vertical"u8, policyName);
            writer.WriteStartObject("policy"u8);
            writer.WriteString("name"u8, policyName);
            writer.WriteString("version"u8, policyVersion);
            writer.WriteString("sha256"u8, policySha256);
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
