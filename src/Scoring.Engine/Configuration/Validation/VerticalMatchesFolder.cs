namespace Scoring.Engine.Configuration.Validation;

/// <summary>The file's <c>vertical</c> equals its folder's name, so a batch's vertical names exactly one configuration.</summary>
internal sealed class VerticalMatchesFolder : IScoringRule
{
    public void Validate(ScoringValidationContext context)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(context.Directory));
        if (!string.Equals(folder, context.Config.Vertical, StringComparison.Ordinal))
        {
            context.AddError(context.Config.LocationOf("vertical"), "vertical", $"the file is for vertical '{context.Config.Vertical}' but its folder is '{folder}'");
        }
    }
}
