using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scoring.Engine.Events;
using Scoring.Service.Storage;

namespace Scoring.Service.Ingest;

/// <summary>
/// Reads the gateway's batch (docs/forwarded-events.md) into an <see cref="IncomingBatch"/>, or lists what is wrong
/// by JSON path. Error messages never repeat values: the body holds pseudonyms.
/// </summary>
internal static partial class BatchParser
{
    public const int MaxIdLength = 256;
    public const int MaxErrors = 20;

    private static readonly HashSet<string> s_types = new(StringComparer.Ordinal) { "track", "identify", "page", "screen", "group", "alias" };

    public static (IncomingBatch? Batch, Dictionary<string, string[]> Errors) Parse(JsonElement root, Func<string, bool> isKnownVertical, DateTimeOffset receivedAt)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["must be a JSON object"];
            return (null, errors);
        }

        var practice = String(root, "practice", errors, required: true, maxLength: 63);
        if (practice is not null && !PracticePattern().IsMatch(practice))
        {
            errors["practice"] = ["must be a practice id: lower-case letters, digits and '-'"];
        }

        var vertical = String(root, "vertical", errors, required: true, maxLength: 63);
        if (vertical is not null && !isKnownVertical(vertical))
        {
            errors["vertical"] = ["no scoring configuration is loaded for this vertical"];
        }

        string? policyVersion = null;
        if (root.TryGetProperty("policy", out var policy) && policy.ValueKind == JsonValueKind.Object)
        {
            policyVersion = String(policy, "version", errors, required: false, maxLength: 64, path: "policy.version");
        }

        var sentAt = Timestamp(root, "sentAt", "sentAt", errors);
        var events = new List<IncomingEvent>();
        if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            errors["batch"] = ["is required and must be an array"];
        }
        else
        {
            var index = 0;
            foreach (var item in batch.EnumerateArray())
            {
                if (errors.Count >= MaxErrors)
                {
                    break;
                }

                if (Event(item, $"batch[{index}]", sentAt, receivedAt, errors) is { } e)
                {
                    events.Add(e);
                }

                index++;
            }
        }

        return errors.Count > 0 || practice is null || vertical is null
            ? (null, errors)
            : (new IncomingBatch(practice, vertical, policyVersion, receivedAt, events), errors);
    }

    private static IncomingEvent? Event(JsonElement item, string path, DateTimeOffset? sentAt, DateTimeOffset receivedAt, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["must be an object"];
            return null;
        }

        var count = errors.Count;
        var type = String(item, "type", errors, required: true, maxLength: 16, path: path + ".type");
        if (type is not null && !s_types.Contains(type))
        {
            errors[path + ".type"] = ["must be track, identify, page, screen, group or alias"];
        }

        var messageId = String(item, "messageId", errors, required: true, maxLength: MaxIdLength, path: path + ".messageId");
        var name = String(item, "event", errors, required: type == "track", maxLength: 200, path: path + ".event");
        var userId = String(item, "userId", errors, required: false, maxLength: MaxIdLength, path: path + ".userId");
        var anonymousId = String(item, "anonymousId", errors, required: false, maxLength: MaxIdLength, path: path + ".anonymousId");
        var previousId = String(item, "previousId", errors, required: false, maxLength: MaxIdLength, path: path + ".previousId");
        var timestamp = Timestamp(item, "timestamp", path + ".timestamp", errors);
        if (errors.Count > count || type is null || messageId is null)
        {
            return null;
        }

        // The event's own time, but never later than its arrival: a client clock ahead cannot keep a signal fresh.
        var occurred = timestamp ?? sentAt ?? receivedAt;
        if (occurred > receivedAt)
        {
            occurred = receivedAt;
        }

        return new IncomingEvent(messageId, type, type == "track" ? name : null, userId, anonymousId, previousId, occurred, EventFields.Flatten(item));
    }

    private static string? String(JsonElement parent, string name, Dictionary<string, string[]> errors, bool required, int maxLength, string? path = null)
    {
        path ??= name;
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["is required"];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            errors[path] = ["must be a non-empty string"];
            return null;
        }

        if (text.Length > maxLength)
        {
            errors[path] = [$"must be at most {maxLength} characters"];
            return null;
        }

        return text;
    }

    private static DateTimeOffset? Timestamp(JsonElement parent, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && IsoPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[path] = ["must be an ISO 8601 date and time"];
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex PracticePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}
