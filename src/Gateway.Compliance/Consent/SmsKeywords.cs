namespace Gateway.Compliance.Consent;

/// <summary>
/// TCPA opt-out keywords. A reply consisting of one of them (any case, surrounding spaces and punctuation
/// ignored) revokes the <c>sms</c> purpose at once. Replies such as START do not re-grant: marketing texts
/// need prior express written consent, recorded through the admin API.
/// </summary>
public static class SmsKeywords
{
    public static IReadOnlyList<string> OptOut { get; } = ["STOP", "QUIT", "END", "REVOKE", "OPT OUT", "CANCEL", "UNSUBSCRIBE", "STOPALL", "OPTOUT", "OPT-OUT"];

    public static bool IsOptOut(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return false;
        }

        var text = reply.Trim().Trim('.', '!', '"', '\'').Trim().ToUpperInvariant();
        text = string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return OptOut.Contains(text);
    }
}
