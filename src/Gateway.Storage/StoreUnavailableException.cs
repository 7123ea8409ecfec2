namespace Gateway.Storage;

/// <summary>A store could not be read or written. Callers fail closed: nothing is forwarded, the client is told to retry.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string store, Exception inner)
        : base($"The {store} store is unavailable ({inner.GetType().Name}).", inner)
    {
        Store = store;
    }

    public string Store { get; }
}
