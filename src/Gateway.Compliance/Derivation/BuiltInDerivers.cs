using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Compliance.Consent;
using Gateway.Compliance.Generalization;
using Gateway.Compliance.Processing;

namespace Gateway.Compliance.Derivation;

/// <summary><c>email_valid</c>: the value is a syntactically valid email address.</summary>
public sealed class EmailValidDeriver : IFeatureDeriver
{
    public string Name => "email_valid";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = DerivedValue.Of(value.ValueKind == JsonValueKind.String && IsValid(value.GetString()!));
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    /// <summary>
    /// A dot-atom local part (letters, digits and <c>.!#$%&amp;'*+/=?^_`{|}~-</c>), one <c>@</c>, then host labels of 1 to 63
    /// letters, digits or inner hyphens and a top-level label of two or more letters; at most 254 characters. Read in one
    /// pass (it replaced a regular expression that cost a few microseconds per event; a test compares the two).
    /// </summary>
    public static bool IsValid(string email)
    {
        if (email.Length > 254)
        {
            return false;
        }

        var text = email.AsSpan().Trim();
        var at = text.IndexOf('@');
        if (at <= 0 || text[..at].ContainsAnyExcept(s_localPart))
        {
            return false;
        }

        var domain = text[(at + 1)..];
        var lastDot = domain.LastIndexOf('.');
        if (lastDot <= 0)
        {
            return false;
        }

        var topLevel = domain[(lastDot + 1)..];
        if (topLevel.Length < 2 || topLevel.ContainsAnyExcept(s_letters))
        {
            return false;
        }

        foreach (var range in domain[..lastDot].Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > 63 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]) || label.ContainsAnyExcept(s_hostLabel))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> s_localPart =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-");

    private static readonly System.Buffers.SearchValues<char> s_hostLabel =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    private static readonly System.Buffers.SearchValues<char> s_letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}

/// <summary><c>email_business</c>: a valid email whose domain is not a consumer mail provider (a B2B fit signal).</summary>
public sealed class EmailBusinessDeriver : IFeatureDeriver
{
    private static readonly FrozenSet<string> s_consumerDomains = new[]
    {
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
        "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "gmx.com", "mail.com", "zoho.com",
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net", "yandex.com",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public string Name => "email_business";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var email = value.GetString()!.Trim();
        if (!EmailValidDeriver.IsValid(email))
        {
            return false;
        }

        var domain = email[(email.LastIndexOf('@') + 1)..];
        result = DerivedValue.Of(!s_consumerDomains.Contains(domain));
        return true;
    }
}

/// <summary><c>phone_valid</c>: the value is a plausible phone number (NANP 10/11 digits, or E.164 8-15 digits).</summary>
public sealed class PhoneValidDeriver : IFeatureDeriver
{
    public string Name => "phone_valid";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = DerivedValue.Of(value.ValueKind == JsonValueKind.String && IsValid(value.GetString()!));
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    public static bool IsValid(string phone)
    {
        var text = phone.Trim();
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '+'))
            {
                return false;
            }
        }

        if (text.StartsWith('+'))
        {
            return digits is >= 8 and <= 15;
        }

        var onlyDigits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (onlyDigits.Length == 11 && onlyDigits[0] == '1')
        {
            onlyDigits = onlyDigits[1..];
        }

        return onlyDigits.Length == 10 && onlyDigits[0] is >= '2' and <= '9' && onlyDigits[3] is >= '2' and <= '9';
    }
}

/// <summary><c>in_service_area</c>: the ZIP is in the practice's configured service area. No feature when none is configured.</summary>
public sealed class InServiceAreaDeriver : IFeatureDeriver
{
    public string Name => "in_service_area";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        var practice = context.Practice;
        if (!practice.HasServiceArea || value.ValueKind != JsonValueKind.String
            || !SafeHarborZip.TryGetZip3(value.GetString(), out var zip3))
        {
            return false;
        }

        var zip5 = value.GetString()!.Trim()[..5];
        result = DerivedValue.Of(practice.ServiceAreaZip5.Contains(zip5) || practice.ServiceAreaZip3.Contains(zip3));
        return true;
    }
}

/// <summary><c>age_band</c>: a birth date's age band, over 89 as <c>90+</c>.</summary>
public sealed class AgeBandDeriver : IFeatureDeriver
{
    public string Name => "age_band";

    public DerivedOutputs Outputs => DerivedOutputs.OneOf([.. AgeBands.Labels(AgeBands.DefaultLowerBounds)]);

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        if (value.ValueKind != JsonValueKind.String
            || !AgeBands.TryGetBand(value.GetString(), context.Today, AgeBands.DefaultLowerBounds, out var band))
        {
            return false;
        }

        result = DerivedValue.Of(band);
        return true;
    }
}

/// <summary><c>present</c>: the field holds a non-empty value (e.g. <c>has_insurance</c> from an insurer's name).</summary>
public sealed class PresentDeriver : IFeatureDeriver
{
    public string Name => "present";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        var present = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim().Length > 0,
            JsonValueKind.Null or JsonValueKind.Undefined => false,
            JsonValueKind.Array => value.GetArrayLength() > 0,
            _ => true,
        };
        result = DerivedValue.Of(present);
        return true;
    }
}

/// <summary><c>seniority</c>: a job title to <c>executive</c>, <c>vp</c>, <c>director</c>, <c>manager</c> or <c>individual</c> (B2B fit).</summary>
public sealed partial class SeniorityDeriver : IFeatureDeriver
{
    public string Name => "seniority";

    private static readonly string[] s_levels = ["executive", "vp", "director", "manager", "individual"];

    public DerivedOutputs Outputs => DerivedOutputs.OneOf(s_levels);

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            return false;
        }

        var title = value.GetString()!;
        var level = Executive().IsMatch(title) ? s_levels[0]
            : VicePresident().IsMatch(title) ? s_levels[1]
            : Director().IsMatch(title) ? s_levels[2]
            : Manager().IsMatch(title) ? s_levels[3]
            : s_levels[4];
        result = DerivedValue.Of(level);
        return true;
    }

    [GeneratedRegex(@"\b(chief|ceo|cfo|coo|cio|cto|cmo|cmio|cno|cmo|president|founder|owner|partner|principal)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex Executive();

    [GeneratedRegex(@"\b(vp|svp|evp|vice\s+president)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex VicePresident();

    [GeneratedRegex(@"\b(director|head\s+of)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex Director();

    [GeneratedRegex(@"\b(manager|lead|supervisor|administrator|coordinator)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 100)]
    private static partial Regex Manager();
}

/// <summary><c>org_size_band</c>: an employee count to <c>1-49</c>, <c>50-249</c>, <c>250-999</c>, <c>1000-4999</c>, <c>5000+</c>.</summary>
public sealed class OrgSizeBandDeriver : IFeatureDeriver
{
    public string Name => "org_size_band";

    private static readonly (double Below, string Label)[] s_bands =
        [(50, "1-49"), (250, "50-249"), (1000, "250-999"), (5000, "1000-4999"), (double.PositiveInfinity, "5000+")];

    public DerivedOutputs Outputs => DerivedOutputs.OneOf([.. s_bands.Select(b => b.Label)]);

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = default;
        double count;
        if (value.ValueKind == JsonValueKind.Number)
        {
            count = value.GetDouble();
        }
        else if (value.ValueKind != JsonValueKind.String
            || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out count))
        {
            return false;
        }

        if (!double.IsFinite(count) || count < 1)
        {
            return false;
        }

        var band = s_bands.First(b => count < b.Below).Label;
        result = DerivedValue.Of(band);
        return true;
    }
}

/// <summary>
/// <c>sms_opt_out</c>: an SMS reply revokes consent to texts (a TCPA keyword such as STOP anywhere in a short reply,
/// or a phrase such as "stop texting"; <see cref="SmsRevocation"/>). Lets scoring mark a lead "do not text" without
/// receiving the reply's text.
/// </summary>
public sealed class SmsOptOutDeriver : IFeatureDeriver
{
    public string Name => "sms_opt_out";

    public DerivedOutputs Outputs => DerivedOutputs.Flag;

    public bool TryDerive(JsonElement value, ScrubContext context, out DerivedValue result)
    {
        result = DerivedValue.Of(value.ValueKind == JsonValueKind.String && SmsRevocation.Revokes(value.GetString()));
        return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }
}
