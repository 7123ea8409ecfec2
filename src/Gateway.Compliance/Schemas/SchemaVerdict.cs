namespace Gateway.Compliance.Schemas;

/// <summary>What the compiled validator could decide on its own about an event.</summary>
internal enum SchemaVerdict : byte
{
    /// <summary>NJsonSchema would accept the event: no need to ask it.</summary>
    Valid,

    /// <summary>NJsonSchema would reject the event.</summary>
    Invalid,

    /// <summary>
    /// The answer depends on something the compiled form does not model exactly (a string Newtonsoft may read
    /// as a date, an escaped property name, a non-finite number, very deep nesting): NJsonSchema decides.
    /// </summary>
    Unsure,
}
