using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Gateway.Compliance.Schemas;

/// <summary>
/// Validates with NJsonSchema itself, the schema authority. Error paths are rebuilt from the schema's
/// declared names; the offending value (<see cref="ValidationError"/>'s token) is never read.
/// </summary>
public sealed class NJsonSchemaEventValidator : IEventSchemaValidator
{
    private readonly JsonSchema _schema;

    public NJsonSchemaEventValidator(JsonSchema schema)
    {
        _schema = schema;
    }

    public bool Validate(JsonElement element, ICollection<SchemaViolation> violations)
    {
        JToken token;
        try
        {
            token = JToken.Parse(element.GetRawText(), new Newtonsoft.Json.Linq.JsonLoadSettings
            {
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
                CommentHandling = CommentHandling.Ignore,
            });
        }
        catch (Newtonsoft.Json.JsonException)
        {
            violations.Add(new SchemaViolation("$", "unreadable"));
            return false;
        }

        // Newtonsoft reads integers beyond Int64 as BigInteger, which NJsonSchema cannot compare or convert (it
        // throws InvalidCastException on any number check). No SDK sends such ids or counts; refuse them by path.
        var outOfRange = false;
        foreach (var value in token is JContainer container ? container.DescendantsAndSelf() : [token])
        {
            if (value is JValue { Value: System.Numerics.BigInteger })
            {
                violations.Add(new SchemaViolation(SafePath(_schema, value.Path), "number-out-of-range"));
                outOfRange = true;
            }
        }

        if (outOfRange)
        {
            return false;
        }

        var errors = _schema.Validate(token);
        if (errors.Count == 0)
        {
            return true;
        }

        foreach (var error in Flatten(errors))
        {
            violations.Add(new SchemaViolation(SafePath(_schema, error.Path), RuleName(error.Kind)));
        }

        return false;
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var nested in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    /// <summary>ValidationErrorKind.StringExpected → <c>string-expected</c>.</summary>
    public static string RuleName(ValidationErrorKind kind)
    {
        var name = kind.ToString();
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Turns NJsonSchema's <c>#/a.b[0].c</c> into <c>a.b[0].c</c>, keeping only names the schema
    /// declares at each level; anything else (a name the client chose) becomes <c>*</c>.
    /// </summary>
    internal static string SafePath(JsonSchema root, string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "#" || path == "#/")
        {
            return "$";
        }

        var text = path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path;
        var builder = new StringBuilder();
        IReadOnlyList<JsonSchema> level = [root.ActualSchema];
        foreach (var raw in text.Split('.'))
        {
            var name = raw;
            var indexes = string.Empty;
            var bracket = raw.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = raw[..bracket];
                indexes = SafeIndexes(raw[bracket..]);
            }

            if (name.Length > 0)
            {
                var declared = SchemaNavigator.Declares(level, name);
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(declared ? name : Paths.FieldPath.Wildcard);
                var next = new List<JsonSchema>();
                foreach (var s in level.SelectMany(SchemaNavigator.Expand))
                {
                    next.AddRange(SchemaNavigator.Resolve(s, [declared ? name : Paths.FieldPath.Wildcard]));
                }

                level = next;
            }

            if (indexes.Length > 0)
            {
                builder.Append(indexes);
                var next = new List<JsonSchema>();
                foreach (var s in level.SelectMany(SchemaNavigator.Expand))
                {
                    next.AddRange(SchemaNavigator.Resolve(s, [Paths.FieldPath.Wildcard]));
                }

                level = next;
            }
        }

        return builder.Length == 0 ? "$" : builder.ToString();
    }

    private static string SafeIndexes(string brackets)
    {
        var builder = new StringBuilder();
        foreach (var part in brackets.Split('[', StringSplitOptions.RemoveEmptyEntries))
        {
            var index = part.TrimEnd(']');
            builder.Append('[').Append(index.All(char.IsAsciiDigit) && index.Length is > 0 and < 7 ? index : "*").Append(']');
        }

        return builder.ToString();
    }
}
