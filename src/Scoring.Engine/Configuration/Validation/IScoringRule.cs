namespace Scoring.Engine.Configuration.Validation;

/// <summary>
/// One semantic check on a scoring file. Rules add every error they find to the context; the loader runs all of
/// them and refuses the configuration if any error was found.
/// </summary>
internal interface IScoringRule
{
    void Validate(ScoringValidationContext context);
}
