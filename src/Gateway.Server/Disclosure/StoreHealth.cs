using Gateway.Server.Health;

namespace Gateway.Server.Disclosure;

/// <summary>Tracks whether the consent and BAA stores answered last time; readiness is false while they do not.</summary>
internal sealed class StoreHealth : IReadinessCheck
{
    private volatile string? _failure;

    public string Name => "stores";

    public void Succeeded() => _failure = null;

    public void Failed(string store) => _failure = $"the {store} store cannot be read";

    public bool IsReady(out string? reason)
    {
        reason = _failure;
        return reason is null;
    }
}
