using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Derivation;

namespace Gateway.Compliance.Destinations;

/// <summary>
/// Normalizes and SHA-256-hashes contact identifiers the way each ad platform matches them (docs/destinations.md).
/// The platforms differ: Meta wants a phone's digits with the country code and no <c>+</c>; Google wants E.164 with
/// the <c>+</c> and the dots removed before <c>@gmail.com</c>. A hash is still an identifier (an unkeyed SHA-256 of an
/// email is reversible by dictionary): these are sent only in authorized mode. Returns null for a value that is not
/// a plausible email or phone, so nothing malformed is hashed and sent.
/// </summary>
public static class AdIdentifierHashing
{
    /// <summary>Meta <c>em</c>: trimmed, lower-cased, SHA-256, lower-case hex.</summary>
    public static string? MetaEmail(string email) => NormalizedEmail(email, removeGmailDots: false) is { } normalized ? Sha256Hex(normalized) : null;

    /// <summary>Meta <c>ph</c>: digits only, with the country code (a 10-digit North American number gets 1), no leading zeros.</summary>
    public static string? MetaPhone(string phone) => PhoneDigits(phone) is { } digits ? Sha256Hex(digits) : null;

    /// <summary>Google <c>hashedEmail</c>: trimmed, lower-cased, dots removed from the local part of gmail.com and googlemail.com addresses.</summary>
    public static string? GoogleEmail(string email) => NormalizedEmail(email, removeGmailDots: true) is { } normalized ? Sha256Hex(normalized) : null;

    /// <summary>Google <c>hashedPhoneNumber</c>: E.164, a <c>+</c> then the country code and number.</summary>
    public static string? GooglePhone(string phone) => PhoneDigits(phone) is { } digits ? Sha256Hex("+" + digits) : null;

    /// <summary>The normalized email both platforms start from; null when the value is not an email address.</summary>
    public static string? NormalizedEmail(string email, bool removeGmailDots)
    {
        var normalized = email.Trim().ToLowerInvariant();
        if (!EmailValidDeriver.IsValid(normalized))
        {
            return null;
        }

        if (removeGmailDots)
        {
            var at = normalized.LastIndexOf('@');
            var domain = normalized[(at + 1)..];
            if (domain is "gmail.com" or "googlemail.com")
            {
                normalized = normalized[..at].Replace(".", string.Empty, StringComparison.Ordinal) + normalized[at..];
            }
        }

        return normalized;
    }

    /// <summary>The phone's digits with its country code and no leading zeros; null when it is not a phone number. A number
    /// written without <c>+</c> and with ten digits is taken as North American (country code 1); one with <c>+</c> already
    /// carries its country code.</summary>
    public static string? PhoneDigits(string phone)
    {
        if (!PhoneValidDeriver.IsValid(phone))
        {
            return null;
        }

        var trimmed = phone.Trim();
        var digits = string.Concat(trimmed.Where(char.IsAsciiDigit)).TrimStart('0');
        if (!trimmed.StartsWith('+') && digits.Length == 10)
        {
            digits = "1" + digits;
        }

        return digits.Length is >= 8 and <= 15 ? digits : null;
    }

    public static string Sha256Hex(string normalized) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
}
