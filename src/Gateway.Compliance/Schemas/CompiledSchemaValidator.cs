using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Validation.FormatValidators;

namespace Gateway.Compliance.Schemas;

/// <summary>
/// A fast validator compiled once, at policy load, from the schema NJsonSchema loaded (NJsonSchema stays the
/// schema authority). It reads the <see cref="JsonElement"/> directly instead of re-parsing the event into a
/// Newtonsoft <c>JToken</c>, and follows NJsonSchema's semantics for the keywords it models: <c>$ref</c>, type
/// (with NJsonSchema's nullability), required, properties, additionalProperties, enum, minLength/maxLength
/// (UTF-16 length), pattern, format <c>date-time</c>, minimum/maximum (exclusive forms too, compared as NJsonSchema
/// does, through decimal), items, minItems/maxItems; integers beyond Int64 anywhere are rejected as
/// <see cref="NJsonSchemaEventValidator"/> does, and so are duplicate property names.
/// <para>
/// It only ever answers "valid" on its own. Whenever it finds a violation, or meets a value whose verdict it does
/// not model exactly (a string Newtonsoft would read as a date where the text matters, an escaped property name,
/// a non-finite number, nesting beyond <see cref="MaxDepth"/>), it asks <see cref="NJsonSchemaEventValidator"/>,
/// which decides and reports the violations in the usual form (paths and rules, never values). So it can never
/// accept what NJsonSchema rejects through a modelled rule, and rejections look exactly as before. A schema using
/// any keyword outside that set is not compiled at all (see <see cref="Create"/>). The differential tests check
/// its verdicts against NJsonSchema on a large generated corpus.
/// </para>
/// </summary>
public sealed class CompiledSchemaValidator : IEventSchemaValidator
{
    /// <summary>Deeper events go to NJsonSchema (Newtonsoft's default reader depth is 64).</summary>
    public const int MaxDepth = 48;

    private const int MaxObjectProperties = 64;
    private const int MayBeDateMinLength = 19;
    private const int MayBeDateMaxLength = 40;
    private const int StackChars = 256;

    /// <summary>The format Newtonsoft and NJsonSchema both accept for a date-time string; used as a fast path only.</summary>
    private const string IsoDateTime = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK";

    private static readonly DateTimeFormatValidator s_dateTime = new();

    private readonly CompiledSchemaNode _root;

    private CompiledSchemaValidator(CompiledSchemaNode root, NJsonSchemaEventValidator reference)
    {
        _root = root;
        Reference = reference;
    }

    /// <summary>NJsonSchema's validator for the same schema: decides and reports whatever this one does not accept.</summary>
    internal NJsonSchemaEventValidator Reference { get; }

    /// <summary>
    /// The validator for <paramref name="schema"/>: a compiled one when every keyword it uses is modelled,
    /// otherwise NJsonSchema's own (fail closed: never a validator that ignores a keyword).
    /// </summary>
    public static IEventSchemaValidator Create(JsonSchema schema)
    {
        var reference = new NJsonSchemaEventValidator(schema);
        return CompiledSchemaNode.TryCompile(schema, out var root, out _) ? new CompiledSchemaValidator(root!, reference) : reference;
    }

    public bool Validate(JsonElement element, ICollection<SchemaViolation> violations) =>
        Check(element) == SchemaVerdict.Valid || Reference.Validate(element, violations);

    /// <summary>The compiled verdict alone (for the differential tests and benchmarks).</summary>
    internal SchemaVerdict Check(JsonElement element) => Check(element, _root, 0);

    private static SchemaVerdict Check(JsonElement value, CompiledSchemaNode node, int depth)
    {
        if (depth > MaxDepth)
        {
            return SchemaVerdict.Unsure;
        }

        var kind = value.ValueKind;
        var skipTypeAndEnum = kind == JsonValueKind.Null && node.Nullable;
        if (!skipTypeAndEnum && node.Types != JsonObjectType.None && !MatchesType(value, kind, node.Types))
        {
            return SchemaVerdict.Invalid;
        }

        SchemaVerdict verdict;
        switch (kind)
        {
            case JsonValueKind.String:
                verdict = CheckString(value, node, skipTypeAndEnum);
                break;
            case JsonValueKind.Number:
                verdict = CheckNumber(value, node);
                break;
            case JsonValueKind.Object:
                verdict = CheckObject(value, node, depth);
                break;
            case JsonValueKind.Array:
                verdict = CheckArray(value, node, depth);
                break;
            default:
                verdict = SchemaVerdict.Valid;
                break;
        }

        if (verdict != SchemaVerdict.Valid)
        {
            return verdict;
        }

        if (kind != JsonValueKind.String && node.Enum is not null && !skipTypeAndEnum)
        {
            // No non-string value prints as one of the modelled enum strings (see CompiledSchemaNode.EnumText).
            return SchemaVerdict.Invalid;
        }

        // NJsonSchema checks required properties on any value that is not an object, unless the type allows null.
        if (kind != JsonValueKind.Object && node.HasRequired && (node.Types & JsonObjectType.Null) == 0)
        {
            return SchemaVerdict.Invalid;
        }

        return SchemaVerdict.Valid;
    }

    private static bool MatchesType(JsonElement value, JsonValueKind kind, JsonObjectType types) => kind switch
    {
        JsonValueKind.String => (types & JsonObjectType.String) != 0,
        JsonValueKind.Number => (types & JsonObjectType.Number) != 0 || ((types & JsonObjectType.Integer) != 0 && IsIntegerLiteral(value)),
        JsonValueKind.True or JsonValueKind.False => (types & JsonObjectType.Boolean) != 0,
        JsonValueKind.Null => (types & JsonObjectType.Null) != 0,
        JsonValueKind.Object => (types & JsonObjectType.Object) != 0,
        JsonValueKind.Array => (types & JsonObjectType.Array) != 0,
        _ => false,
    };

    /// <summary>Newtonsoft reads a number without fraction or exponent as an integer (Int64, else BigInteger).</summary>
    private static bool IsIntegerLiteral(JsonElement value) =>
        JsonMarshal.GetRawUtf8Value(value).IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    private static SchemaVerdict CheckNumber(JsonElement value, CompiledSchemaNode node)
    {
        decimal number;
        double asDouble;
        var decimalInRange = true;
        if (IsIntegerLiteral(value))
        {
            if (!value.TryGetInt64(out var integer))
            {
                // Newtonsoft would make it a BigInteger, which NJsonSchemaEventValidator refuses (number-out-of-range).
                return SchemaVerdict.Invalid;
            }

            number = integer;
            asDouble = integer;
        }
        else
        {
            if (!value.TryGetDouble(out asDouble) || !double.IsFinite(asDouble))
            {
                return SchemaVerdict.Unsure;
            }

            // NJsonSchema converts Newtonsoft's double to decimal (rounding to 15 digits), or compares as double on overflow.
            try
            {
                number = (decimal)asDouble;
            }
            catch (OverflowException)
            {
                number = 0;
                decimalInRange = false;
            }
        }

        if (!node.HasNumberBounds)
        {
            return SchemaVerdict.Valid;
        }

        var ok = decimalInRange ? WithinBounds(number, node) : WithinBounds(asDouble, node);
        return ok ? SchemaVerdict.Valid : SchemaVerdict.Invalid;
    }

    /// <summary>The bounds compared in <typeparamref name="T"/> (decimal, or double when the value overflows decimal).</summary>
    private static bool WithinBounds<T>(T value, CompiledSchemaNode node)
        where T : System.Numerics.INumber<T> =>
        !(node.Minimum is { } min && (node.IsExclusiveMinimum ? value <= T.CreateChecked(min) : value < T.CreateChecked(min)))
        && !(node.Maximum is { } max && (node.IsExclusiveMaximum ? value >= T.CreateChecked(max) : value > T.CreateChecked(max)))
        && !(node.ExclusiveMinimum is { } xmin && value <= T.CreateChecked(xmin))
        && !(node.ExclusiveMaximum is { } xmax && value >= T.CreateChecked(xmax));

    private static SchemaVerdict CheckString(JsonElement value, CompiledSchemaNode node, bool skipEnum)
    {
        if (!node.ChecksStringText && !node.DateTimeFormat)
        {
            return SchemaVerdict.Valid;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length > 0 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return CheckText(value.GetString(), node, skipEnum);
        }

        Span<char> stack = stackalloc char[StackChars];
        char[]? rented = null;
        try
        {
            var buffer = raw.Length <= StackChars ? stack : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
            var count = Encoding.UTF8.GetChars(raw, buffer);
            return CheckText(buffer[..count], node, skipEnum);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static SchemaVerdict CheckText(ReadOnlySpan<char> text, CompiledSchemaNode node, bool skipEnum)
    {
        // Newtonsoft (DateParseHandling.DateTime) may read such a string as a date, which NJsonSchema then checks as
        // its reformatted text and always accepts for format date-time. Where that could change the verdict, ask it.
        var mayBeDate = MayBeReadAsDate(text);
        if (mayBeDate && DateMayChangeVerdict(node))
        {
            return SchemaVerdict.Unsure;
        }

        if (node.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            return SchemaVerdict.Invalid;
        }

        if ((node.MinLength is { } min && text.Length < min) || (node.MaxLength is { } max && text.Length > max))
        {
            return SchemaVerdict.Invalid;
        }

        if (node.DateTimeFormat)
        {
            if (mayBeDate)
            {
                return IsPlainIsoDateTime(text) || DateTimeOffset.TryParseExact(text, IsoDateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? SchemaVerdict.Valid
                    : SchemaVerdict.Unsure;
            }

            if (!s_dateTime.IsValid(text.ToString(), Newtonsoft.Json.Linq.JTokenType.String))
            {
                return SchemaVerdict.Invalid;
            }
        }

        if (node.Enum is { } values && !skipEnum)
        {
            foreach (var allowed in values)
            {
                if (text.SequenceEqual(allowed))
                {
                    return SchemaVerdict.Valid;
                }
            }

            return SchemaVerdict.Invalid;
        }

        return SchemaVerdict.Valid;
    }

    /// <summary>
    /// A cheap, stricter check than parsing with <see cref="IsoDateTime"/>: <c>yyyy-MM-ddTHH:mm:ss</c>, optionally
    /// 1-7 fraction digits, then nothing, <c>Z</c> or <c>±hh:mm</c>, every field in range (years 1000-9998, so no
    /// offset leaves DateTimeOffset's range). True implies the parse succeeds; false means "parse to know".
    /// </summary>
    internal static bool IsPlainIsoDateTime(ReadOnlySpan<char> text)
    {
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year is < 1000 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var rest = text[19..];
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits is < 2 or > 8)
            {
                return false;
            }

            rest = rest[digits..];
        }

        return rest.Length == 0
            || (rest.Length == 1 && rest[0] == 'Z')
            || (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':'
                && TryDigits(rest.Slice(1, 2), out var offsetHours) && TryDigits(rest.Slice(4, 2), out var offsetMinutes)
                && offsetMinutes <= 59 && (offsetHours < 14 || (offsetHours == 14 && offsetMinutes == 0)));
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>
    /// A string Newtonsoft reads as a date is checked as <c>yyyy-MM-ddTHH:mm:ssK</c> (19, 20 or 25 characters) instead
    /// of its own 19-40 characters: length limits outside that range cannot tell them apart; patterns and enums can.
    /// </summary>
    private static bool DateMayChangeVerdict(CompiledSchemaNode node) =>
        node.Pattern is not null || node.Enum is not null
        || node.MinLength > MayBeDateMinLength || node.MaxLength < MayBeDateMaxLength;

    /// <summary>The strings Newtonsoft tries to read as dates: ISO-like (19-40 characters, a digit first, 'T' at 10) or <c>/Date(...)/</c>.</summary>
    internal static bool MayBeReadAsDate(ReadOnlySpan<char> text) =>
        (text.Length is >= MayBeDateMinLength and <= MayBeDateMaxLength && char.IsDigit(text[0]) && text[10] == 'T')
        || (text.StartsWith("/Date(", StringComparison.Ordinal) && text.EndsWith(")/", StringComparison.Ordinal));

    private static SchemaVerdict CheckArray(JsonElement value, CompiledSchemaNode node, int depth)
    {
        var count = value.GetArrayLength();
        if ((node.MinItems > 0 && count < node.MinItems) || (node.MaxItems > 0 && count > node.MaxItems))
        {
            return SchemaVerdict.Invalid;
        }

        foreach (var item in value.EnumerateArray())
        {
            var verdict = node.Items is { } items ? Check(item, items, depth + 1) : Scan(item, depth + 1);
            if (verdict != SchemaVerdict.Valid)
            {
                return verdict;
            }
        }

        return SchemaVerdict.Valid;
    }

    private static SchemaVerdict CheckObject(JsonElement value, CompiledSchemaNode node, int depth)
    {
        Span<char> chars = stackalloc char[StackChars];
        var seen = 0UL;
        var names = new NameSet(stackalloc int[MaxObjectProperties]);
        foreach (var property in value.EnumerateObject())
        {
            var name = Name(property, chars);
            if (!names.TryAdd(name))
            {
                // Too many properties or a possible duplicate (unreadable there): NJsonSchema decides.
                return SchemaVerdict.Unsure;
            }

            SchemaVerdict verdict;
            if (node.PropertyCount > 0 && node.Properties.TryGetValue(name, out var declared))
            {
                seen |= 1UL << declared.Index;
                verdict = property.Value.ValueKind == JsonValueKind.Null && declared.Nullable
                    ? SchemaVerdict.Valid
                    : Check(property.Value, declared.Schema, depth + 1);
            }
            else if (node.AdditionalProperties is { } additional)
            {
                verdict = Check(property.Value, additional, depth + 1);
            }
            else if (!node.AllowAdditionalProperties)
            {
                return SchemaVerdict.Invalid;
            }
            else
            {
                verdict = Scan(property.Value, depth + 1);
            }

            if (verdict != SchemaVerdict.Valid)
            {
                return verdict;
            }
        }

        if ((seen & node.RequiredMask) != node.RequiredMask)
        {
            return SchemaVerdict.Invalid;
        }

        foreach (var required in node.OtherRequired)
        {
            if (!value.TryGetProperty(required, out _))
            {
                return SchemaVerdict.Invalid;
            }
        }

        return SchemaVerdict.Valid;
    }

    /// <summary>A value no schema describes: still refused where NJsonSchemaEventValidator refuses it anywhere.</summary>
    private static SchemaVerdict Scan(JsonElement value, int depth)
    {
        if (depth > MaxDepth)
        {
            return SchemaVerdict.Unsure;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (IsIntegerLiteral(value))
                {
                    return value.TryGetInt64(out _) ? SchemaVerdict.Valid : SchemaVerdict.Invalid;
                }

                return value.TryGetDouble(out var d) && double.IsFinite(d) ? SchemaVerdict.Valid : SchemaVerdict.Unsure;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    var verdict = Scan(item, depth + 1);
                    if (verdict != SchemaVerdict.Valid)
                    {
                        return verdict;
                    }
                }

                return SchemaVerdict.Valid;
            case JsonValueKind.Object:
                var names = new NameSet(stackalloc int[MaxObjectProperties]);
                Span<char> chars = stackalloc char[StackChars];
                foreach (var property in value.EnumerateObject())
                {
                    if (!names.TryAdd(Name(property, chars)))
                    {
                        return SchemaVerdict.Unsure;
                    }

                    var verdict = Scan(property.Value, depth + 1);
                    if (verdict != SchemaVerdict.Valid)
                    {
                        return verdict;
                    }
                }

                return SchemaVerdict.Valid;
            default:
                return SchemaVerdict.Valid;
        }
    }

    /// <summary>The property's name as Newtonsoft reads it (unescaped), decoded into <paramref name="buffer"/> when it fits.</summary>
    private static ReadOnlySpan<char> Name(JsonProperty property, Span<char> buffer)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0 || raw.Length > buffer.Length)
        {
            return property.Name;
        }

        var count = Encoding.UTF8.GetChars(raw, buffer);
        return buffer[..count];
    }

    /// <summary>
    /// Hashes of the property names seen in one object: a repeated hash (a duplicate name, or a collision) makes
    /// the verdict unsure, so NJsonSchema (which refuses duplicates as unreadable) decides.
    /// </summary>
    private ref struct NameSet(Span<int> hashes)
    {
        private readonly Span<int> _hashes = hashes;
        private int _count;

        public bool TryAdd(ReadOnlySpan<char> name)
        {
            if (_count == _hashes.Length)
            {
                return false;
            }

            var value = string.GetHashCode(name, StringComparison.Ordinal);
            if (_hashes[.._count].Contains(value))
            {
                return false;
            }

            _hashes[_count++] = value;
            return true;
        }
    }
}
