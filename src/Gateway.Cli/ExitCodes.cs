namespace Gateway.Cli;

/// <summary>gatewayctl's exit codes (docs/gatewayctl.md). Scripts and CI rely on them; never change their meaning.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked and everything checked is sound.</summary>
    public const int Success = 0;

    /// <summary>The thing checked is wrong: a broken or truncated chain, a bad checkpoint, lint errors, failing fixtures.</summary>
    public const int Failed = 1;

    /// <summary>The command was used wrongly: bad arguments, a missing folder or file, an unreadable key or config.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected error (a bug or an I/O failure); the message says what.</summary>
    public const int Error = 3;
}

/// <summary>Thrown by commands for usage errors; its message is printed as is (it never holds identifiers or secrets).</summary>
internal sealed class UsageException(string message) : Exception(message);
