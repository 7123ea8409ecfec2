using Gateway.Server.Health;

namespace Gateway.Server.Durability;

/// <summary>
/// Watches the Data Protection key ring folder. If it is emptied or removed while the gateway runs,
/// Data Protection would quietly make a new key and everything protected before would become unreadable;
/// instead the gateway stops protecting anything (quarantine, tokens), fails those requests closed, and
/// reports not ready until the key ring is restored.
/// </summary>
internal sealed class KeyRingGuard(string keysDirectory) : IReadinessCheck
{
    public string Name => "keys";

    public string KeysDirectory { get; } = keysDirectory;

    public bool IsAvailable => Directory.Exists(KeysDirectory) && Directory.EnumerateFiles(KeysDirectory, "key-*.xml").Any();

    /// <summary>Throws <see cref="KeyRingUnavailableException"/> when the key ring is gone.</summary>
    public void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new KeyRingUnavailableException();
        }
    }

    public bool IsReady(out string? reason)
    {
        var ok = IsAvailable;
        reason = ok ? null : "the Data Protection key ring is missing";
        return ok;
    }
}

/// <summary>The Data Protection key ring is missing: nothing that needs it may proceed.</summary>
internal sealed class KeyRingUnavailableException : Exception
{
    public KeyRingUnavailableException()
        : base("The Data Protection key ring is missing.")
    {
    }
}
