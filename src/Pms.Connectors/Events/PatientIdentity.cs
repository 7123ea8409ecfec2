namespace Pms.Connectors.Events;

/// <summary>
/// Which identifier becomes the event's <c>userId</c>, which the gateway turns into the practice's keyed pseudonym.
/// <see cref="Email"/> or <see cref="Phone"/> make a PMS patient and the same person on the website (identified by the
/// same email or phone) meet under one pseudonym; <see cref="Record"/> keeps PMS leads apart (docs/pms.md#identity).
/// </summary>
public enum PatientIdentity
{
    /// <summary>The lower-cased, trimmed email; patients without one fall back to <see cref="Record"/>.</summary>
    Email,

    /// <summary>The phone's digits with the US country code (11 digits); patients without one fall back to <see cref="Record"/>.</summary>
    Phone,

    /// <summary><c>&lt;system&gt;:&lt;patient number&gt;</c>.</summary>
    Record,
}

/// <summary>Derives the userId a patient's events carry.</summary>
public static class PatientUserIds
{
    public static string For(PatientIdentity identity, string system, PatientFacts patient)
    {
        if (identity == PatientIdentity.Email && patient.Email is { } email && email.Trim() is { Length: > 2 } trimmed && trimmed.Contains('@', StringComparison.Ordinal))
        {
            return trimmed.ToLowerInvariant();
        }

        if (identity == PatientIdentity.Phone && patient.Phone is { } phone)
        {
            var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
            if (digits.Length == 10)
            {
                return "1" + digits;
            }

            if (digits.Length == 11 && digits[0] == '1')
            {
                return digits;
            }
        }

        return $"{system}:{patient.PatientNumber}";
    }
}
