using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.Compliance.Policies.Yaml;

/// <summary>
/// Reads a YAML document into a JSON token tree (so the policy format can be checked by its JSON Schema
/// with NJsonSchema) and remembers where every token came from, so errors carry line and column.
/// Duplicate keys are errors. Plain scalars follow the YAML core schema (true/false, null, numbers).
/// </summary>
internal sealed class YamlJsonReader
{
    private readonly Dictionary<JToken, Mark> _marks = new(ReferenceEqualityComparer.Instance);
    private readonly List<(Mark Mark, string Message)> _errors = [];

    public IReadOnlyDictionary<JToken, Mark> Marks => _marks;

    public IReadOnlyList<(Mark Mark, string Message)> Errors => _errors;

    public JToken? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            _errors.Add((ex.Start, "invalid YAML: " + FirstLine(ex.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections instead of a YamlException.
            _errors.Add((Mark.Empty, "invalid YAML: the parser could not read the file (check flow sequences such as [a, b] and quoting)"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            _errors.Add((Mark.Empty, "a policy file holds exactly one YAML document"));
            return null;
        }

        return Convert(stream.Documents[0].RootNode);
    }

    public (int Line, int Column) LocationOf(JToken token)
    {
        for (JToken? t = token; t is not null; t = t.Parent)
        {
            if (_marks.TryGetValue(t, out var mark))
            {
                return ((int)mark.Line, (int)mark.Column);
            }
        }

        return (0, 0);
    }

    /// <summary>
    /// Validates <paramref name="root"/> against a JSON Schema and returns each error with the YAML location
    /// of the token it concerns. NJsonSchema reports positions of the JSON text it validated, so the tree is
    /// written out, read back with line info, and the two trees are walked together to map positions back.
    /// </summary>
    public IReadOnlyList<(NJsonSchema.Validation.ValidationError Error, int Line, int Column)> Validate(NJsonSchema.JsonSchema schema, JToken root)
    {
        var text = root.ToString(Newtonsoft.Json.Formatting.Indented);
        var reparsed = JToken.Parse(text, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
        var positions = new Dictionary<(int, int), JToken>();
        MapPositions(reparsed, root, positions);
        var result = new List<(NJsonSchema.Validation.ValidationError, int, int)>();
        foreach (var error in Flatten(schema.Validate(reparsed), positions))
        {
            var (line, column) = TokenAt(error, positions) is { } original ? LocationOf(original) : (0, 0);
            result.Add((error, line, column));
        }

        return result;
    }

    private static JToken? TokenAt(NJsonSchema.Validation.ValidationError error, Dictionary<(int, int), JToken> positions) =>
        error.HasLineInfo && positions.TryGetValue((error.LineNumber, error.LinePosition), out var token) ? token : null;

    private static void MapPositions(JToken reparsed, JToken original, Dictionary<(int, int), JToken> positions)
    {
        if (reparsed is IJsonLineInfo info && info.HasLineInfo())
        {
            positions.TryAdd((info.LineNumber, info.LinePosition), original);
        }

        var a = reparsed.Children().ToList();
        var b = original.Children().ToList();
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            MapPositions(a[i], b[i], positions);
        }
    }

    /// <summary>
    /// Expands oneOf/anyOf errors into their branches' errors, keeping only the branches written for the
    /// token's own type (a string rule is not told that an object rule needs 'action').
    /// </summary>
    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(
        IEnumerable<NJsonSchema.Validation.ValidationError> errors, Dictionary<(int, int), JToken> positions)
    {
        foreach (var error in errors)
        {
            if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                var type = TokenAt(error, positions)?.Type switch
                {
                    JTokenType.String => NJsonSchema.JsonObjectType.String,
                    JTokenType.Object => NJsonSchema.JsonObjectType.Object,
                    JTokenType.Array => NJsonSchema.JsonObjectType.Array,
                    _ => NJsonSchema.JsonObjectType.None,
                };
                var branches = child.Errors.Where(b => type != NJsonSchema.JsonObjectType.None && b.Key.ActualSchema.Type.HasFlag(type)).ToList();
                if (branches.Count == 0)
                {
                    yield return error;
                    continue;
                }

                foreach (var nested in Flatten(branches.SelectMany(e => e.Value), positions))
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

    private JToken Convert(YamlNode node)
    {
        JToken token;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        _errors.Add((keyNode.Start, "mapping keys must be plain strings"));
                        continue;
                    }

                    if (obj.ContainsKey(key))
                    {
                        _errors.Add((keyNode.Start, $"duplicate key '{key}'"));
                        continue;
                    }

                    var property = new JProperty(key, Convert(valueNode));
                    _marks[property] = keyNode.Start;
                    obj.Add(property);
                }

                token = obj;
                break;
            case YamlSequenceNode sequence:
                var array = new JArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item));
                }

                token = array;
                break;
            case YamlScalarNode scalar:
                token = ConvertScalar(scalar);
                break;
            default:
                _errors.Add((node.Start, "aliases and anchors are not supported in policy files"));
                token = JValue.CreateNull();
                break;
        }

        _marks[token] = node.Start;
        return token;
    }

    private static JToken ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return new JValue(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return JValue.CreateNull();
            case "true" or "True" or "TRUE":
                return new JValue(true);
            case "false" or "False" or "FALSE":
                return new JValue(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new JValue(integer);
        }

        if (value.Any(char.IsAsciiDigit) && value.Count(c => c == '.') <= 1
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return new JValue(real);
        }

        return new JValue(value);
    }

    private static string FirstLine(string message)
    {
        var index = message.IndexOf('\n', StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
