namespace Gateway.Compliance.Operators;

/// <summary>
/// Turns a policy field rule into a <see cref="FieldOperator"/>, as YARP's transform factories turn route
/// config into transforms. <see cref="Validate"/> reports every problem with the rule's options;
/// <see cref="Create"/> is called only for rules that validated.
/// </summary>
public interface IFieldOperatorFactory
{
    /// <summary>The action name this factory owns.</summary>
    string Action { get; }

    /// <summary>Adds a message to <paramref name="errors"/> for each problem with <paramref name="options"/>.</summary>
    void Validate(RuleOptions options, OperatorBuildContext context, ICollection<string> errors);

    FieldOperator Create(RuleOptions options, OperatorBuildContext context);
}
