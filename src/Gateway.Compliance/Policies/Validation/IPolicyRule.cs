namespace Gateway.Compliance.Policies.Validation;

/// <summary>
/// One semantic check on a policy. Rules add every error they find to the context; the loader runs all
/// of them and refuses the policy if any error was found.
/// </summary>
public interface IPolicyRule
{
    void Validate(PolicyValidationContext context);
}
