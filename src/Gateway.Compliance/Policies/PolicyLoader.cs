using System.Security.Cryptography;
using System.Text;
using Gateway.Compliance.Policies.Definitions;
using Gateway.Compliance.Policies.Validation;
using Gateway.Compliance.Policies.Yaml;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Gateway.Compliance.Policies;

/// <summary>
/// Loads one vertical's policy folder: parses <c>policy.yaml</c>, checks it against the policy format
/// schema, runs every semantic rule, and compiles it. Reports all errors with file, line and path;
/// returns no policy at all if there is any error (never a partial one).
/// </summary>
public sealed class PolicyLoader
{
    /// <summary>The policy file's name inside a vertical's folder.</summary>
    public const string PolicyFileName = "policy.yaml";

    private static readonly Lazy<JsonSchema> s_formatSchema = new(LoadFormatSchema);

    private readonly PolicyEngineComponents _components;
    private readonly IReadOnlyList<IPolicyRule> _rules;

    public PolicyLoader(PolicyEngineComponents? components = null)
    {
        _components = components ?? PolicyEngineComponents.Default;
        _rules =
        [
            new PolicyNameMatchesFolder(),
            new EventSchemasLoad(),
            new SchemaPatternsAreLinear(),
            new FieldRulesAreWellFormed(),
            new FieldPathsResolve(),
            new KeptValuesAreConstrained(),
            new RulesDoNotOverlap(),
            new SdkContextFieldsAreExplicit(),
            new DestinationsAreDeclared(),
            new AdDestinationsAreSafe(),
            new BirthDatesUseAgeBands(),
            new ConsentSettingsResolve(),
            new ConsentPurposesAreValid(),
            .. _components.ExtraRules,
        ];
    }

    /// <summary>The policy format's JSON Schema (also shipped as <c>policies/policy.schema.json</c>).</summary>
    public static JsonSchema FormatSchema => s_formatSchema.Value;

    public PolicyLoadResult Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        var file = Path.Combine(directory, PolicyFileName);
        var errors = new List<PolicyError>();
        if (!File.Exists(file))
        {
            errors.Add(new PolicyError(new SourceLocation(PolicyFileName, 0, 0), string.Empty, $"no {PolicyFileName} in '{directory}'"));
            return new PolicyLoadResult(null, errors);
        }

        if (!Text.TextNormalization.IsAvailable)
        {
            // Free-text and keyword checks compare NFKC-normalized text; without ICU that silently does nothing.
            errors.Add(new PolicyError(new SourceLocation(PolicyFileName, 0, 0), string.Empty,
                "Unicode NFKC normalization is unavailable (ICU missing or DOTNET_SYSTEM_GLOBALIZATION_INVARIANT set); no policy is loaded without it"));
            return new PolicyLoadResult(null, errors);
        }

        var text = File.ReadAllText(file, Encoding.UTF8);
        var yaml = new YamlJsonReader();
        var root = yaml.Read(text);
        errors.AddRange(yaml.Errors.Select(e => new PolicyError(new SourceLocation(PolicyFileName, (int)e.Mark.Line, (int)e.Mark.Column), string.Empty, e.Message)));
        if (root is not JObject rootObject || errors.Count > 0)
        {
            if (errors.Count == 0)
            {
                errors.Add(new PolicyError(new SourceLocation(PolicyFileName, 1, 1), string.Empty, "the policy file must be a YAML mapping"));
            }

            return new PolicyLoadResult(null, errors);
        }

        foreach (var (error, line, column) in yaml.Validate(FormatSchema, rootObject))
        {
            var path = FormatPath(error.Path);
            var message = error.Kind == NJsonSchema.Validation.ValidationErrorKind.PropertyRequired
                ? $"'{error.Property}' is required"
                : $"does not match the policy format ({Schemas.NJsonSchemaEventValidator.RuleName(error.Kind)})";
            errors.Add(new PolicyError(new SourceLocation(PolicyFileName, line, column), path, message));
        }

        if (errors.Count > 0)
        {
            return new PolicyLoadResult(null, errors);
        }

        var definition = new PolicyDefinitionReader(yaml, PolicyFileName).Read(rootObject);
        var context = new PolicyValidationContext(definition, directory, _components);
        foreach (var rule in _rules)
        {
            rule.Validate(context);
        }

        if (context.Errors.Count > 0)
        {
            return new PolicyLoadResult(null, [.. context.Errors.Distinct()]);
        }

        return new PolicyLoadResult(PolicyCompiler.Compile(context, ContentHash(directory)), []);
    }

    /// <summary>Loads or throws <see cref="PolicyLoadException"/> with every error.</summary>
    public CompiledPolicy LoadOrThrow(string directory)
    {
        var result = Load(directory);
        return result.Policy ?? throw new PolicyLoadException(directory, result.Errors);
    }

    /// <summary>SHA-256 over the policy file and every JSON file in the folder (fixtures excluded), names included.</summary>
    public static string ContentHash(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("fixtures/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Prepend(PolicyFileName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in files)
        {
            var content = File.ReadAllBytes(Path.Combine(directory, relative));
            var name = Encoding.UTF8.GetBytes(relative);
            hash.AppendData(BitConverter.GetBytes(name.Length));
            hash.AppendData(name);
            hash.AppendData(BitConverter.GetBytes((long)content.Length));
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string FormatPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "#" ? string.Empty : path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path;

    private static JsonSchema LoadFormatSchema()
    {
        using var stream = typeof(PolicyLoader).Assembly.GetManifestResourceStream("policy.schema.json")
            ?? throw new InvalidOperationException("The policy format schema is not embedded.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}

/// <summary>The outcome of loading a policy folder: a policy, or every error (never both).</summary>
public sealed record PolicyLoadResult(CompiledPolicy? Policy, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Policy is not null;
}
