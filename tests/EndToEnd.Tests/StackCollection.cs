namespace EndToEnd.Tests;

/// <summary>
/// The end-to-end tests start gateway processes (and scoring services): they run one at a time, since on a small CI
/// machine two stacks starting at once make the gateways' start and stores time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StackCollection
{
    public const string Name = "gateway processes";
}
