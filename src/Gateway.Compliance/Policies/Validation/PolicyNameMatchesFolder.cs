namespace Gateway.Compliance.Policies.Validation;

/// <summary>The policy's <c>name</c> equals its folder's name, so a practice's vertical names exactly one folder.</summary>
internal sealed class PolicyNameMatchesFolder : IPolicyRule
{
    public void Validate(PolicyValidationContext context)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(context.Directory));
        if (!string.Equals(folder, context.Definition.Name, StringComparison.Ordinal))
        {
            context.AddError(context.Definition.Location, "name", $"the policy is named '{context.Definition.Name}' but its folder is '{folder}'");
        }
    }
}
