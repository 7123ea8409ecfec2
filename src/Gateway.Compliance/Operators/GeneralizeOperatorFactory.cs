using System.Globalization;
using System.Text.Json;
using Gateway.Compliance.Classification;
using Gateway.Compliance.Generalization;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Operators;

/// <summary>
/// <c>generalize</c>: replaces a value with a coarser one. Option <c>method</c>:
/// <list type="bullet">
/// <item><c>zip3</c>: ZIP to its first three digits, restricted Safe Harbor areas to <c>000</c>;</item>
/// <item><c>year</c>: a date to its year (for event dates; birth dates use <c>age-band</c>);</item>
/// <item><c>age-band</c>: a birth date to an age band, over 89 as <c>90+</c> (option <c>bands</c>: lower bounds);</item>
/// <item><c>ip-truncate</c>: IPv4 to /24, IPv6 to /48 (still PHI);</item>
/// <item><c>url</c>: by allow-list (<see cref="UrlGeneralizer"/>): no query, fragment, user info or port; a host only if it
/// is the practice's or the policy's <c>urls.hosts</c>; the path's longest prefix a <c>urls.paths</c> template matches,
/// then <c>:redacted</c>; option <c>keep</c>: <c>origin+path</c> (default), <c>origin</c>, <c>path</c>;</item>
/// <item><c>band</c>: a number to a labelled range (option <c>bounds</c>, ascending).</item>
/// </list>
/// </summary>
public sealed class GeneralizeOperatorFactory : IFieldOperatorFactory
{
    public static readonly string[] Methods = ["zip3", "year", "age-band", "ip-truncate", "url", "band"];

    public string Action => "generalize";

    public void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors) => Build(options, context, errors);

    public FieldOperator Create(RuleOptions options, OperatorBuildContext context) =>
        Build(options, context, []) ?? throw new InvalidOperationException("Create called for a rule that did not validate.");

    private static FieldOperator? Build(RuleOptions options, OperatorBuildContext context, ICollection<string> errors)
    {
        var method = options.GetString("method", errors);
        switch (method)
        {
            case null:
                errors.Add($"generalize needs option 'method' ({string.Join(", ", Methods)})");
                return null;
            case "zip3":
                return new Zip3();
            case "year":
                return new Year();
            case "age-band":
                var bands = options.GetNumberList("bands", errors);
                if (bands.Count > 0 && (bands[0] != 0 || !IsAscending(bands) || bands.Any(b => b != Math.Floor(b))))
                {
                    errors.Add("option 'bands' must be ascending whole numbers starting at 0");
                }

                return new AgeBand(bands.Count > 0 ? [.. bands.Select(b => (int)b)] : AgeBands.DefaultLowerBounds);
            case "ip-truncate":
                return new IpTruncate();
            case "url":
                var part = options.GetString("keep", errors) switch
                {
                    null or "origin+path" => UrlPart.OriginAndPath,
                    "origin" => UrlPart.Origin,
                    "path" => UrlPart.Path,
                    _ => Error(errors, "option 'keep' must be origin+path, origin or path", UrlPart.OriginAndPath),
                };
                if (options.Has("sensitiveSegments"))
                {
                    options.GetToken("sensitiveSegments");
                    errors.Add("option 'sensitiveSegments' was replaced by the policy's 'urls.paths' templates: list the paths that may be forwarded instead");
                }

                return new Url(new UrlGeneralizer(part, context.AllowLists.UrlTemplates, context.AllowLists.Hosts));
            case "band":
                var bounds = options.GetNumberList("bounds", errors);
                if (bounds.Count == 0 || !IsAscending(bounds))
                {
                    errors.Add("band needs option 'bounds': a non-empty ascending list of numbers");
                    return null;
                }

                return new Band(bounds);
            default:
                errors.Add($"unknown generalize method '{method}' (known: {string.Join(", ", Methods)})");
                return null;
        }
    }

    private static T Error<T>(ICollection<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }

    private static bool IsAscending(IReadOnlyList<double> values)
    {
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private abstract class Method(string method, DataClasses outputClass) : FieldOperator("generalize", outputClass, method)
    {
        public sealed override FieldOutcome Apply(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return FieldOutcome.Dropped;
            }

            return Write(value, output, context) ? FieldOutcome.Written : FieldOutcome.Invalid;
        }

        protected abstract bool Write(JsonElement value, ScrubOutput output, ScrubContext context);
    }

    private sealed class Zip3() : Method("zip3", DataClasses.Generalized)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (TryGetText(value, out var text) && SafeHarborZip.TryGeneralize(text, out var zip3))
            {
                output.WriteString(zip3);
                return true;
            }

            return false;
        }
    }

    private sealed class Year() : Method("year", DataClasses.Generalized)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.String && AgeBands.TryParseDate(value.GetString(), out var date))
            {
                output.WriteNumber(date.Year);
                return true;
            }

            return false;
        }
    }

    private sealed class AgeBand(int[] lowerBounds) : Method("age-band", DataClasses.Generalized)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.String && AgeBands.TryGetBand(value.GetString(), context.Today, lowerBounds, out var band))
            {
                output.WriteString(band);
                return true;
            }

            return false;
        }
    }

    private sealed class IpTruncate() : Method("ip-truncate", DataClasses.Network)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.String && IpTruncation.TryTruncate(value.GetString(), out var truncated))
            {
                output.WriteString(truncated);
                return true;
            }

            return false;
        }
    }

    private sealed class Url(UrlGeneralizer generalizer) : Method("url", DataClasses.Url)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            if (value.ValueKind == JsonValueKind.String && generalizer.TryGeneralize(value.GetString()!, context.Practice, out var url))
            {
                output.WriteString(url);
                return true;
            }

            return false;
        }
    }

    private sealed class Band(IReadOnlyList<double> bounds) : Method("band", DataClasses.Generalized)
    {
        protected override bool Write(JsonElement value, ScrubOutput output, ScrubContext context)
        {
            double number;
            if (value.ValueKind == JsonValueKind.Number)
            {
                number = value.GetDouble();
            }
            else if (value.ValueKind != JsonValueKind.String
                || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            {
                return false;
            }

            if (!double.IsFinite(number))
            {
                return false;
            }

            output.WriteString(NumberBands.BandFor(number, bounds));
            return true;
        }
    }
}
