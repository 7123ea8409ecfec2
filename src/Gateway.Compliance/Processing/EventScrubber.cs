using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Operators;
using Gateway.Compliance.Policies;

namespace Gateway.Compliance.Processing;

/// <summary>
/// Walks an event and its event type's rule trie together and writes the scrubbed event. Allow-list:
/// a field with no rule is dropped. System fields (<c>type</c>, <c>event</c>, <c>messageId</c>) are written
/// from the validated envelope; derived features go under <c>derived</c>.
/// </summary>
internal static class EventScrubber
{
    private static readonly JsonEncodedText s_type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText s_event = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText s_messageId = JsonEncodedText.Encode("messageId");
    private static readonly JsonEncodedText s_derived = JsonEncodedText.Encode("derived");

    /// <summary>Writes the scrubbed event; rules whose output class is not in <paramref name="allowed"/> are withheld (used to de-identify).</summary>
    public static void Scrub(JsonElement evt, CompiledEventType type, ScrubContext context, ScrubOutput output, string messageId, DataClasses allowed)
    {
        context.Trace.Reset(type.Rules, type.NodeCount);
        output.PushObject((JsonProperty?)null);
        output.EnsureOpen();
        var writer = output.Writer;
        writer.WriteString(s_type, type.EncodedType);
        if (type.EncodedEventName is { } name)
        {
            writer.WriteString(s_event, name);
        }

        writer.WriteString(s_messageId, messageId);

        var root = type.Root;
        foreach (var property in evt.EnumerateObject())
        {
            if (IsSystemField(property))
            {
                continue;
            }

            var node = Match(root, property);
            if (node is null)
            {
                context.Trace.RecordUnmapped(root);
                continue;
            }

            ScrubValue(property.Value, node, property, context, output, allowed);
        }

        var derived = context.Trace.Derived;
        if (derived.Count > 0 && (allowed & DataClasses.Derived) != 0)
        {
            output.PushObject(s_derived);
            output.EnsureOpen();
            foreach (var (derivation, value) in derived)
            {
                if (value.Flag is { } flag)
                {
                    writer.WriteBoolean(derivation.EncodedName, flag);
                }
                else if (value.Labels is { } labels)
                {
                    writer.WriteStartArray(derivation.EncodedName);
                    foreach (var label in labels)
                    {
                        writer.WriteStringValue(label);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteString(derivation.EncodedName, value.Label);
                }
            }

            output.Pop();
        }

        output.Pop();
        context.CurrentRule = null;
    }

    private static void ScrubValue(JsonElement value, RuleNode node, JsonProperty? name, ScrubContext context, ScrubOutput output, DataClasses allowed)
    {
        if (node.Rule is { } rule)
        {
            ApplyRule(value, rule, name, context, output, allowed);
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.PushObject(name);
                foreach (var property in value.EnumerateObject())
                {
                    var child = Match(node, property);
                    if (child is null)
                    {
                        context.Trace.RecordUnmapped(node);
                        continue;
                    }

                    ScrubValue(property.Value, child, property, context, output, allowed);
                }

                output.Pop();
                break;
            case JsonValueKind.Array:
                output.PushArray(name);
                var itemNode = node.Wildcard;
                foreach (var item in value.EnumerateArray())
                {
                    if (itemNode is null)
                    {
                        context.Trace.RecordUnmapped(node);
                        continue;
                    }

                    ScrubValue(item, itemNode, null, context, output, allowed);
                }

                output.Pop();
                break;
            default:
                // A value where the policy only names fields beneath: nothing here is allowed.
                context.Trace.RecordUnmapped(node);
                break;
        }
    }

    private static void ApplyRule(JsonElement value, CompiledFieldRule rule, JsonProperty? name, ScrubContext context, ScrubOutput output, DataClasses allowed)
    {
        context.CurrentRule = rule;
        foreach (var derivation in rule.Derivations)
        {
            if (derivation.Deriver.TryDerive(value, context, out var derivedValue))
            {
                context.Trace.RecordDerived(rule, derivation, derivedValue);
            }
        }

        var op = rule.Operator;
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && !op.AppliesToContainers)
        {
            context.Trace.Record(rule, FieldOutcome.Invalid);
            return;
        }

        if (op.OutputClass != DataClasses.None && (op.OutputClass & ~allowed) != 0)
        {
            context.Trace.RecordWithheld(rule);
            return;
        }

        output.PushValue(name);
        var outcome = op.Apply(value, output, context);
        output.Pop();
        context.Trace.Record(rule, outcome);
    }

    private static bool IsSystemField(JsonProperty property) =>
        property.NameEquals("type"u8) || property.NameEquals("event"u8) || property.NameEquals("messageId"u8);

    private static RuleNode? Match(RuleNode node, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0 || raw.Length > 256)
        {
            return node.Match(property.Name);
        }

        Span<char> chars = stackalloc char[raw.Length];
        var count = Encoding.UTF8.GetChars(raw, chars);
        return node.Match(chars[..count]);
    }
}
